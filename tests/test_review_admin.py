"""The review workflow in the admin: step pages, the claim page, history, bulk actions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factcheck import workflow
from factcheck.history import bulk_create_with_history, recorded_change
from factcheck.models import Claim, ClaimKind, ClaimStatus
from factcheck.models.claims import workflow_writes
from factcheck.ratings import Verdict
from factcheck.roles import Role
from factcheck.workflow import Step
from tests.conftest import user_with_role
from tests.factories import ClaimFactory, ReviewedClaimFactory, SourceFactory
from tests.test_admin import claim_form
from tests.test_workflow import MATRIX, ROLES, STARTS_FROM, claim_in, published_claim

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:factcheck_claim_changelist")

STEP_POSTS = {
    Step.SUBMIT: {"note": "Ready for review"},
    Step.REQUEST_CHANGES: {"comment": "Quote the whole sentence."},
    Step.APPROVE: {
        "verdict": "accurate",
        "rationale": "The report says so on p. 2.",
        "fidelity": "verbatim",
    },
    Step.PUBLISH: {"note": ""},
    Step.UNPUBLISH: {"reason": "Withdrawn while we re-check."},
}


def step_url(claim, step):
    return reverse("admin:factcheck_claim_step", args=[claim.pk, step.value])


def change_url(claim):
    return reverse("admin:factcheck_claim_change", args=[claim.pk])


@pytest.fixture
def log_in_as(client, researcher, factchecker, editor, superuser, viewer):
    people = {
        "researcher": researcher,
        "factchecker": factchecker,
        "editor": editor,
        "superuser": superuser,
        "viewer": viewer,
    }

    def log_in(role):
        if role == "anonymous":
            client.logout()
            return AnonymousUser()
        client.force_login(people[role])
        return people[role]

    return log_in


@pytest.mark.parametrize("step", [*STEP_POSTS, Step.ASSIGN])
@pytest.mark.parametrize("role", ROLES)
def test_step_pages_check_the_permission_on_the_server(step, role, client, log_in_as):
    claim = claim_in(STARTS_FROM[step])
    data = dict(STEP_POSTS.get(step, {}))
    if step is Step.ASSIGN:
        data["assignee"] = user_with_role("fc-2", Role.FACT_CHECKER).pk
    before = (claim.status, claim.version, claim.assignee_id)
    log_in_as(role)
    page = client.get(step_url(claim, step))
    response = client.post(step_url(claim, step), {**data, "version": claim.version})
    claim.refresh_from_db()
    if role == "anonymous":
        assert page.status_code == response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert (claim.status, claim.version, claim.assignee_id) == before
    elif role in MATRIX[step]:
        assert page.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == change_url(claim)
        assert claim.version == before[1] + 1
    else:
        assert page.status_code == response.status_code == 403
        assert (claim.status, claim.version, claim.assignee_id) == before


def test_the_review_panel_shows_only_the_steps_this_user_can_take_and_who_acts_next(
    client, researcher, factchecker
):
    claim = ClaimFactory()
    client.force_login(researcher)
    html = client.get(change_url(claim)).content.decode()
    assert f'href="{step_url(claim, Step.SUBMIT)}"' in html
    assert 'data-step="approve"' not in html and 'data-step="publish"' not in html
    assert "Your role does not allow" not in html
    assert "Waiting for a researcher or editor to submit it for review." in html
    assert 'id="review-thread"' in html and 'id="recent-history"' in html

    workflow.submit(claim, user=researcher)
    html = client.get(change_url(claim)).content.decode()
    assert "data-step=" not in html  # nothing for the researcher to do now
    assert "Waiting for a fact-checker to approve it or request changes." in html
    client.force_login(factchecker)
    html = client.get(change_url(claim)).content.decode()
    assert 'data-step="approve"' in html and 'data-step="request_changes"' in html


def test_four_eyes_refusal_is_shown_on_the_page_and_enforced_on_post(client, superuser):
    claim = ClaimFactory()
    claim.statement = "Edited by the superuser"
    workflow.save_edit(claim, user=superuser, reason="Edit")
    workflow.submit(claim, user=superuser)
    client.force_login(superuser)
    html = client.get(change_url(claim)).content.decode()
    assert "You changed this revision, so someone else must approve it" in html
    assert "Nobody else may approve it yet" in html  # no fact-checker exists here
    response = client.post(
        step_url(claim, Step.APPROVE), {**STEP_POSTS[Step.APPROVE], "version": claim.version}
    )
    assert response.status_code == 409
    assert "four-eyes rule" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_status_and_verdict_posted_with_the_form_are_ignored(client, researcher):
    claim = ClaimFactory()
    client.force_login(researcher)
    data = claim_form(claim, change_reason="Try to publish", statement="New words")
    data.update(status="published", verdict="accurate", rationale="Self-approved")
    response = client.post(change_url(claim), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "New words"
    assert (claim.status, claim.verdict, claim.rationale) == ("draft", "not_yet_rated", "")


def test_claims_in_review_are_read_only_until_changes_are_requested(client, researcher):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    client.force_login(researcher)
    page = client.get(change_url(claim))
    assert page.status_code == 200 and "locked so that what was reviewed" in page.content.decode()
    response = client.post(change_url(claim), claim_form(claim, statement="x", change_reason="y"))
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.statement == "Police detained thousands"


def test_editing_a_published_claim_in_the_admin_starts_a_new_draft_revision(client, researcher):
    claim = published_claim()
    client.force_login(researcher)
    response = client.post(
        change_url(claim), claim_form(claim, statement="Reworded", change_reason="Clearer")
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == (ClaimStatus.DRAFT, "Reworded")
    assert claim.live_revision.statement == "Police detained thousands"
    assert claim.history.first().history_change_reason == (
        "New revision of the published claim: Clearer"
    )
    html = client.get(change_url(claim)).content.decode()
    assert "changes below are not published yet" in html


def test_a_stale_admin_save_is_refused_naming_who_and_when_and_keeps_their_work(
    client, researcher, editor
):
    claim = ClaimFactory()
    client.force_login(researcher)
    stale_form = claim_form(claim, statement="Researcher's words", change_reason="Mine")
    # Meanwhile the editor saves the same claim.
    theirs = Claim.objects.get(pk=claim.pk)
    theirs.attributed_to = "Editor's attribution"
    workflow.save_edit(theirs, user=editor, reason="Fixed the attribution")

    response = client.post(change_url(claim), stale_form)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "was changed by ed at" in errors and "Fixed the attribution" in errors
    claim.refresh_from_db()
    assert (claim.statement, claim.attributed_to) == (
        "Police detained thousands",
        "Editor's attribution",
    )


def test_a_stale_step_page_is_refused(client, factchecker, editor):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    client.force_login(factchecker)
    seen = claim.version
    workflow.assign(Claim.objects.get(pk=claim.pk), user=editor, assignee=factchecker)
    response = client.post(
        step_url(claim, Step.APPROVE), {**STEP_POSTS[Step.APPROVE], "version": seen}
    )
    assert response.status_code == 409
    assert "was changed by ed" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


# History pages ---------------------------------------------------------------------


def history_form_url(claim, record):
    return reverse("admin:factcheck_claim_simple_history", args=[claim.pk, record.pk])


def test_a_view_only_user_cannot_revert(client, viewer):
    claim = ClaimFactory()
    claim.statement = "Second wording"
    workflow.save_edit(claim, user=user_with_role("r2", Role.RESEARCHER), reason="Reword")
    first = claim.history.last()
    client.force_login(viewer)
    assert client.get(history_form_url(claim, first)).status_code == 200
    response = client.post(
        history_form_url(claim, first),
        {**claim_form(claim, statement="Police detained thousands"), "change_reason": "Revert"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.statement == "Second wording" and claim.history.count() == 2


def test_a_revert_brings_back_words_as_a_new_draft_never_the_old_state(
    client, researcher, factchecker, editor
):
    claim = ClaimFactory(statement="Original words")
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="Checked", fidelity="not_applicable"
    )
    workflow.publish(claim, user=editor)
    live = claim.live_revision
    published_version = claim.history.first()
    claim.statement = "Later words"
    workflow.save_edit(claim, user=researcher, reason="Reword")
    oldest = claim.history.last()  # a draft, not yet rated
    assert (oldest.status, oldest.verdict) == ("draft", "not_yet_rated")

    client.force_login(researcher)
    response = client.post(
        history_form_url(claim, oldest),
        {
            "change_reason": "Back to the original wording",
            "status": "published",
            "seen_version": Claim.objects.get(pk=claim.pk).version,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Original words"
    assert (claim.status, claim.verdict, claim.live_revision) == (
        ClaimStatus.DRAFT,
        Verdict.ACCURATE,
        live,
    )
    latest = claim.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        researcher,
        "Back to the original wording",
    )
    assert published_version.status == ClaimStatus.PUBLISHED


def test_a_claim_in_review_cannot_be_reverted(client, researcher):
    claim = ClaimFactory()
    workflow.submit(claim, user=researcher)
    client.force_login(researcher)
    response = client.post(history_form_url(claim, claim.history.last()), {"change_reason": "x"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_history_is_hidden_from_staff_who_cannot_see_claims(client, researcher):
    claim = ClaimFactory()
    nobody = user_with_role("no-perms")  # staff, no permissions
    client.force_login(nobody)
    assert client.get(reverse("admin:factcheck_claim_history", args=[claim.pk])).status_code == 403
    assert client.get(history_form_url(claim, claim.history.first())).status_code == 403
    client.force_login(researcher)
    history = client.get(reverse("admin:factcheck_claim_history", args=[claim.pk]))
    assert history.status_code == 200


def test_history_page_shows_status_and_verdict_changes(client, editor, factchecker, researcher):
    claim = ClaimFactory()
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim,
        user=factchecker,
        verdict="misleading",
        rationale="Out of context",
        fidelity="not_applicable",
    )
    client.force_login(editor)
    html = client.get(reverse("admin:factcheck_claim_history", args=[claim.pk])).content.decode()
    assert "Approved as Misleading" in html
    # Review fields are diffed too, with their labels: not "in_review" but "In review".
    changes = html[html.index('id="change-history"') :]
    assert "Not yet rated" in changes and "In review" in changes and "Approved" in changes
    assert "in_review" not in changes and "not_yet_rated" not in changes


# Bulk actions ------------------------------------------------------------------------


def action_post(claims, action, seen=None, **extra):
    seen = seen or {}
    data = {"action": action, "_selected_action": [c.pk for c in claims], **extra}
    for claim in claims:
        data[f"seen_version_{claim.pk}"] = seen.get(claim.pk, claim.version)
    return data


def test_bulk_submit_obeys_the_rules_and_refuses_claims_changed_since_the_list(
    client, researcher, editor
):
    fresh, changed, in_review = ClaimFactory(), ClaimFactory(), ClaimFactory()
    workflow.submit(in_review, user=researcher)
    seen = {changed.pk: changed.version}
    changed.statement = "Changed by the editor"
    workflow.save_edit(changed, user=editor, reason="Meanwhile")
    client.force_login(researcher)
    response = client.post(
        CHANGELIST, action_post([fresh, changed, in_review], "submit_selected", seen), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "Submitted 1 claim(s)."
    assert any("was changed by ed" in m for m in messages)
    assert any("Only a draft can be submitted" in m for m in messages)
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses[fresh.pk] == ClaimStatus.IN_REVIEW
    assert statuses[changed.pk] == ClaimStatus.DRAFT
    assert Claim.objects.get(pk=fresh.pk).history.first().history_user == researcher


def test_bulk_actions_are_offered_only_to_roles_that_may_take_them(client, factchecker):
    ClaimFactory()
    client.force_login(factchecker)
    response = client.get(CHANGELIST)
    assert response.context["action_form"] is None  # no action is offered at all
    response = client.post(CHANGELIST, action_post(Claim.objects.all(), "submit_selected"))
    assert Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count() == 0


def test_bulk_assign_asks_for_the_fact_checker_then_assigns_and_emails(
    client, editor, factchecker, mailoutbox, django_capture_on_commit_callbacks
):
    claims = [ClaimFactory(), ClaimFactory()]
    client.force_login(editor)
    page = client.post(CHANGELIST, action_post(claims, "assign_selected"))
    assert page.status_code == 200 and b"Assign these 2 claim(s)" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            action_post(claims, "assign_selected", apply="1", assignee=factchecker.pk, note="Hi"),
        )
    assert {c.assignee for c in Claim.objects.all()} == {factchecker}
    assert len(mailoutbox) == 2
    queue = client.get(f"{CHANGELIST}?assignee=me")
    assert len(queue.context["cl"].result_list) == 0  # the editor's own queue is empty
    client.force_login(factchecker)
    queue = client.get(f"{CHANGELIST}?assignee=me")
    assert {c.pk for c in queue.context["cl"].result_list} == {c.pk for c in claims}


# Comments, dashboard, list ------------------------------------------------------------


def test_review_comments_are_for_staff_and_kept_with_author_and_time(client, factchecker):
    claim = ClaimFactory()
    url = reverse("admin:factcheck_claim_comment", args=[claim.pk])
    client.logout()
    assert client.post(url, {"body": "anonymous note"}).status_code == 302
    assert not claim.review_comments.exists()
    client.force_login(factchecker)
    client.post(url, {"body": "Check the date against the OSCE page."})
    (comment,) = claim.review_comments.all()
    assert (comment.author, comment.body) == (factchecker, "Check the date against the OSCE page.")
    html = client.get(change_url(claim)).content.decode()
    assert "Check the date against the OSCE page." in html


def test_dashboard_counts_claims_by_state_and_verdict_and_shows_my_queue(
    client, factchecker, editor
):
    ClaimFactory()
    ClaimFactory(status=ClaimStatus.IN_REVIEW)
    ReviewedClaimFactory()
    mine = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    workflow.assign(mine, user=editor, assignee=factchecker)
    client.force_login(factchecker)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'data-status="in_review">2<' in html
    assert 'data-status="approved">1<' in html
    assert 'data-verdict="accurate">1<' in html
    assert 'Assigned to me</a> <span class="queue-total">(1)' in html
    assert 'Waiting for review</a> <span class="queue-total">(2)' in html


def many_claims(n, source, prefix, assignee):
    """``n`` claims in every state and verdict, created in bulk with history."""
    start = source.text.index("Police detained thousands")
    claims = [
        Claim(
            source=source,
            slug=f"{prefix}-{i}",
            statement=f"Claim {i}",
            quote="Police detained thousands",
            quote_start=start,
            quote_end=start + 25,
            attributed_to=f"Person {i % 7}",
            kind=ClaimKind.STATISTIC,
            status=list(ClaimStatus)[i % 4],
            verdict=list(Verdict)[i % 7],
            assignee=assignee if i % 2 else None,
        )
        for i in range(n)
    ]
    with workflow_writes():
        bulk_create_with_history(claims, Claim, reason="Bulk test data", batch_size=500)


@pytest.mark.parametrize(
    "query",
    ["", "?status__exact=in_review", "?assignee=me", "?q=detained", "?verdict__exact=mixed"],
)
def test_claim_list_queries_do_not_grow_with_the_number_of_claims(client, editor, query):
    source = SourceFactory()
    client.force_login(editor)
    many_claims(20, source, "few", editor)
    with CaptureQueriesContext(connection) as small:
        assert client.get(CHANGELIST + query).status_code == 200
    many_claims(400, source, "many", user_with_role("fc-many", Role.FACT_CHECKER))
    with CaptureQueriesContext(connection) as large:
        assert client.get(CHANGELIST + query).status_code == 200
    assert len(large) == len(small)


def test_claim_change_page_queries_do_not_grow_with_citations_or_history(client, editor):
    from tests.factories import CitationFactory

    claim = ClaimFactory()
    client.force_login(editor)
    with CaptureQueriesContext(connection) as small:
        client.get(change_url(claim))
    for n in range(5):
        CitationFactory(claim=claim)
        claim.refresh_from_db()
        claim.statement = f"Wording {n}"
        workflow.save_edit(claim, user=editor, reason=f"Edit {n}")
    with CaptureQueriesContext(connection) as large:
        client.get(change_url(claim))
    # The citation inline costs one query per citation's source choices at most.
    assert len(large) <= len(small) + 5, "\n".join(q["sql"][:200] for q in large.captured_queries)


# Citations are part of the claim's content --------------------------------------------


def citation_form(citation, **overrides):
    return {
        "claim": citation.claim_id,
        "source": citation.source_id,
        "stance": citation.stance,
        "passage": citation.passage,
        "locator": citation.locator,
        "accessed_on": "",
        "archived_url": "",
        "note": citation.note,
        "change_reason": "Fixed the locator",
        "seen_version": type(citation).objects.get(pk=citation.pk).version,
        **overrides,
    }


def test_citations_of_a_claim_in_review_cannot_be_changed(client, researcher):
    from tests.factories import CitationFactory

    citation = CitationFactory(claim=ClaimFactory(status=ClaimStatus.IN_REVIEW))
    client.force_login(researcher)
    url = reverse("admin:factcheck_citation_change", args=[citation.pk])
    response = client.post(url, citation_form(citation, locator="p. 99"))
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.locator != "p. 99"


def test_changing_a_citation_of_a_published_claim_starts_a_new_draft_revision(client, researcher):
    from tests.factories import CitationFactory

    claim = ClaimFactory()
    citation = CitationFactory(claim=claim, locator="p. 1")
    claim = published_claim_from(claim)
    client.force_login(researcher)
    url = reverse("admin:factcheck_citation_change", args=[citation.pk])
    assert client.post(url, citation_form(citation, locator="p. 2")).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert claim.live_revision.citations[0]["locator"] == "p. 1"  # the public keeps p. 1
    assert claim.history.first().history_change_reason == (
        "New revision of the published claim: Citation: Fixed the locator"
    )
    assert claim.revision_editors.filter(pk=researcher.pk).exists()


def published_claim_from(claim):
    reviewer = user_with_role("rev", Role.FACT_CHECKER)
    publisher = user_with_role("pub", Role.EDITOR)
    workflow.submit(claim, user=user_with_role("sub", Role.RESEARCHER))
    workflow.approve(
        claim, user=reviewer, verdict="accurate", rationale="Checked", fidelity="not_applicable"
    )
    workflow.publish(claim, user=publisher)
    return claim


def test_the_public_page_never_shows_the_review_thread_or_pending_edits(
    client, researcher, factchecker
):
    claim = published_claim_from(ClaimFactory())
    workflow.comment(claim, user=factchecker, body="Internal: double-check with the OSCE")
    claim.statement = "Pending wording"
    workflow.save_edit(claim, user=researcher, reason="Reword")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Police detained thousands" in page
    for secret in ["Internal: double-check", "Pending wording", "fay", "rita", "@example.org"]:
        assert secret not in page


@pytest.mark.parametrize("model", ["source", "citation"])
def test_view_only_staff_cannot_revert_sources_or_citations_either(client, factchecker, model):
    from tests.factories import CitationFactory

    citation = CitationFactory(note="First note")
    target = citation.source if model == "source" else citation
    first = target.history.first()
    with recorded_change(reason="Second version"):
        target.note = "Second note"
        target.save()
    client.force_login(factchecker)  # may view sources and citations, not change them
    url = reverse(f"admin:factcheck_{model}_simple_history", args=[target.pk, first.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "First note", "change_reason": "Revert"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.note == "Second note"


def test_the_publish_page_of_a_correction_shows_what_readers_will_see_change(
    client, researcher, factchecker, editor
):
    claim = published_claim_from(ClaimFactory())
    claim.statement = "Police detained more than 30,000 people"
    workflow.save_edit(claim, user=researcher, reason="Figure")
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim,
        user=factchecker,
        verdict="mostly_accurate",
        rationale="Close",
        fidelity="not_applicable",
    )
    client.force_login(editor)
    html = client.get(step_url(claim, Step.PUBLISH)).content.decode()
    assert "What readers will see change from revision 1" in html
    assert "<del>Police detained thousands</del>" in html
    assert "<ins>Police detained more than 30,000 people</ins>" in html
    assert "<del>Accurate</del>" in html and "<ins>Mostly accurate</ins>" in html


# Stale tabs, the Back button and double clicks ---------------------------------------


@pytest.mark.parametrize(
    ("step", "why"),
    [
        (Step.PUBLISH, "Only an approved claim can be published."),
        (Step.APPROVE, "Only a claim in review can be approved."),
        (Step.SUBMIT, "Only a draft can be submitted."),
        (Step.UNPUBLISH, "Nothing of this claim is published."),
    ],
)
def test_a_step_page_opened_when_the_step_is_no_longer_possible_shows_why(
    client, superuser, step, why
):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW if step is Step.SUBMIT else "draft")
    client.force_login(superuser)
    response = client.get(step_url(claim, step))
    assert response.status_code == 409
    html = response.content.decode()
    assert why in html
    assert f'value="{step.label}" disabled' in html
    assert f'href="{change_url(claim)}"' in html


def test_a_four_eyes_refusal_on_a_step_page_is_shown_not_a_server_error(client, superuser):
    claim = ClaimFactory()
    claim.statement = "Edited by the superuser"
    workflow.save_edit(claim, user=superuser, reason="Edit")
    workflow.submit(claim, user=superuser)
    client.force_login(superuser)
    response = client.get(step_url(claim, Step.APPROVE))
    assert response.status_code == 409
    assert "someone else must approve it" in response.content.decode()


def test_a_step_sent_twice_reads_as_done_not_as_someone_elses_change(
    client, researcher, factchecker, editor
):
    claim = ReviewedClaimFactory()
    client.force_login(editor)
    post = {**STEP_POSTS[Step.PUBLISH], "version": claim.version}
    first = client.post(step_url(claim, Step.PUBLISH), post)
    assert first.status_code == 302
    again = client.post(step_url(claim, Step.PUBLISH), post, follow=True)
    assert again.redirect_chain == [(change_url(claim), 302)]
    messages = [(m.level_tag, str(m)) for m in again.context["messages"]]
    assert messages[-1] == (
        "success",
        "Already done by your first click: Published. The public now sees this revision.",
    )
    assert [tag for tag, _ in messages] == ["success", "success"]
    claim.refresh_from_db()
    assert claim.published_revisions.count() == 1
    assert claim.history.filter(history_change_reason__startswith="Published").count() == 1


def test_a_step_taken_after_someone_elses_change_is_still_refused_as_stale(
    client, factchecker, editor
):
    # Only the user's own completed step reads as done; another person's is reported.
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    seen = claim.version
    other = user_with_role("fc-other", Role.FACT_CHECKER)
    workflow.approve(
        Claim.objects.get(pk=claim.pk),
        user=other,
        verdict="accurate",
        rationale="Checked",
        fidelity="verbatim",
    )
    client.force_login(factchecker)
    response = client.post(
        step_url(claim, Step.APPROVE), {**STEP_POSTS[Step.APPROVE], "version": seen}
    )
    assert response.status_code == 409
    assert "was changed by fc-other" in response.content.decode()


def test_the_step_button_is_disabled_by_a_static_script_after_the_first_click(client, editor):
    claim = ReviewedClaimFactory()
    client.force_login(editor)
    html = client.get(step_url(claim, Step.PUBLISH)).content.decode()
    assert '<script src="/static/factcheck/step_form.js" defer></script>' in html
    assert "<script>" not in html


def test_a_step_the_role_may_not_take_answers_403_with_the_reason(client, researcher):
    claim = ReviewedClaimFactory()
    client.force_login(researcher)
    for response in [
        client.get(step_url(claim, Step.PUBLISH)),
        client.post(step_url(claim, Step.PUBLISH), {"version": claim.version}),
    ]:
        assert response.status_code == 403
        html = response.content.decode()
        assert "Your role does not allow this step (publish)." in html
        assert f'href="{change_url(claim)}"' in html or 'href="/admin/"' in html


def test_a_four_eyes_refusal_names_who_else_can_publish(client, researcher, factchecker, editor):
    other = user_with_role("ed-two", Role.EDITOR)
    user_with_role("ed-away", Role.EDITOR, is_active=False)
    claim = ClaimFactory()
    claim.statement = "The editor's own wording"
    workflow.save_edit(claim, user=editor, reason="Reword")
    workflow.submit(claim, user=editor)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="Checked", fidelity="verbatim"
    )
    client.force_login(editor)
    expected = (
        "You changed this revision, so someone else must publish it (four-eyes rule). "
        "Who can publish it: ed-two."
    )
    assert expected in client.get(change_url(claim)).content.decode()
    response = client.post(step_url(claim, Step.PUBLISH), {"note": "", "version": claim.version})
    assert response.status_code == 409 and expected in response.content.decode()
    client.force_login(other)
    response = client.post(step_url(claim, Step.PUBLISH), {"note": "", "version": claim.version})
    assert response.status_code == 302


# Withdrawn claims ------------------------------------------------------------------


def test_a_withdrawn_claim_reads_as_withdrawn_on_its_page_in_the_list_and_on_the_desk(
    client, editor
):
    withdrawn = published_claim()
    workflow.unpublish(withdrawn, user=editor, reason="Re-checking the figure.")
    draft = ClaimFactory()
    when = withdrawn.withdrawn_at.astimezone(timezone.get_current_timezone())
    client.force_login(editor)

    html = client.get(change_url(withdrawn)).content.decode()
    start = html.index('class="review-state"')
    state = html[start : html.index("</p>", start)]
    assert f"Withdrawn on {when:%Y-%m-%d %H:%M} (Re-checking the figure.)" in state
    assert "Draft" not in state

    listed = client.get(f"{CHANGELIST}?publication=withdrawn")
    assert [c.pk for c in listed.context["cl"].result_list] == [withdrawn.pk]
    assert f"Withdrawn {when:%Y-%m-%d}" in listed.content.decode()
    drafts = client.get(f"{CHANGELIST}?publication=never")
    assert [c.pk for c in drafts.context["cl"].result_list] == [draft.pk]

    desk = client.get(reverse("admin:index")).content.decode()
    assert 'data-status="withdrawn">1<' in desk
    assert 'data-status="draft">1<' in desk  # the withdrawn claim is not counted as a draft


# Sent back for changes -----------------------------------------------------------------


def test_a_researcher_is_emailed_and_finds_the_claim_sent_back_on_the_desk(
    client, researcher, factchecker, mailoutbox, django_capture_on_commit_callbacks
):
    mine = ClaimFactory(statement="Mine, sent back")
    others = ClaimFactory(statement="Someone else's draft")
    other_researcher = user_with_role("rex", Role.RESEARCHER)
    others.attributed_to = "Edited by rex"
    workflow.save_edit(others, user=other_researcher, reason="Edit")
    workflow.submit(mine, user=researcher)  # submitted, never edited by them
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(mine, user=factchecker, comment="Quote the whole sentence.")

    (mail,) = mailoutbox
    assert mail.to == [researcher.email]
    assert mail.subject == "Changes requested: Mine, sent back"
    assert "fay asked for changes" in mail.body and "Quote the whole sentence." in mail.body
    assert f"http://testserver{change_url(mine)}" in mail.body or change_url(mine) in mail.body

    client.force_login(researcher)
    desk = client.get(reverse("admin:index")).content.decode()
    assert 'Sent back to me for changes</a> <span class="queue-total">(1)' in desk
    assert "Mine, sent back" in desk
    queue = client.get(f"{CHANGELIST}?mine=sent_back")
    assert [c.pk for c in queue.context["cl"].result_list] == [mine.pk]
    drafts = client.get(f"{CHANGELIST}?status__exact=draft&mine=worked_on")
    assert [c.pk for c in drafts.context["cl"].result_list] == [mine.pk]
    assert "Someone else's draft" not in desk


def test_no_changes_requested_mail_goes_to_the_person_who_asked(
    researcher, editor, factchecker, mailoutbox, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    claim.statement = "The editor's words"
    workflow.save_edit(claim, user=editor, reason="Edit")
    workflow.submit(claim, user=researcher)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(claim, user=editor, comment="Check the figure.")
    assert [m.to for m in mailoutbox] == [[researcher.email]]
