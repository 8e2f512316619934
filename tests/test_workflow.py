"""The review workflow's steps, called as the admin, commands and tests call them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck import workflow
from factcheck.history import bulk_update_with_history, recorded_change
from factcheck.models import Claim, ClaimStatus, CommentKind, PublishedRevision
from factcheck.models.claims import WorkflowBypassRefused
from factcheck.ratings import BEST_RATING, DEFINITIONS, RATING_VALUES, WORST_RATING, Verdict
from factcheck.roles import PERMISSIONS, Role
from factcheck.workflow import Step
from tests.conftest import user_with_role
from tests.factories import CitationFactory, ClaimFactory, ReviewedClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["researcher", "factchecker", "editor", "superuser", "viewer", "anonymous"]

# Who may take each step (the closing note of issue 3 reproduces this table).
MATRIX = {
    Step.SUBMIT: {"researcher", "editor", "superuser"},
    Step.REQUEST_CHANGES: {"factchecker", "editor", "superuser"},
    Step.APPROVE: {"factchecker", "superuser"},
    Step.PUBLISH: {"editor", "superuser"},
    Step.UNPUBLISH: {"editor", "superuser"},
    Step.ASSIGN: {"editor", "superuser"},
    Step.EDIT: {"researcher", "editor", "superuser"},
    Step.COMMENT: {"researcher", "factchecker", "editor", "superuser", "viewer"},
}
STARTS_FROM = {
    Step.SUBMIT: ClaimStatus.DRAFT,
    Step.REQUEST_CHANGES: ClaimStatus.IN_REVIEW,
    Step.APPROVE: ClaimStatus.IN_REVIEW,
    Step.PUBLISH: ClaimStatus.APPROVED,
    Step.UNPUBLISH: ClaimStatus.PUBLISHED,
    Step.ASSIGN: ClaimStatus.DRAFT,
    Step.EDIT: ClaimStatus.DRAFT,
    Step.COMMENT: ClaimStatus.IN_REVIEW,
}


def published_claim(**kwargs) -> Claim:
    """An approved claim, published by a superuser who had no part in it."""
    claim = ReviewedClaimFactory(**kwargs)
    publisher = UserFactory(username="publisher", is_superuser=True)
    workflow.publish(claim, user=publisher)
    claim.refresh_from_db()
    return claim


def claim_in(state) -> Claim:
    if state == ClaimStatus.PUBLISHED:
        return published_claim()
    if state == ClaimStatus.APPROVED:
        return ReviewedClaimFactory()
    return ClaimFactory(status=state)


def take(step, claim, user):
    """Take ``step`` with whatever input it needs."""
    if step is Step.SUBMIT:
        return workflow.submit(claim, user=user)
    if step is Step.REQUEST_CHANGES:
        return workflow.request_changes(claim, user=user, comment="Cite the report's page.")
    if step is Step.APPROVE:
        return workflow.approve(
            claim,
            user=user,
            verdict=Verdict.ACCURATE,
            rationale="Page 2 of the report.",
            fidelity="not_applicable",
        )
    if step is Step.PUBLISH:
        return workflow.publish(claim, user=user)
    if step is Step.UNPUBLISH:
        return workflow.unpublish(claim, user=user, reason="Withdrawn pending review.")
    if step is Step.ASSIGN:
        assignee = user_with_role("fc-assignee", Role.FACT_CHECKER)
        return workflow.assign(claim, user=user, assignee=assignee)
    if step is Step.EDIT:
        claim.statement = "Edited statement"
        return workflow.save_edit(claim, user=user, reason="Tightened the wording")
    return workflow.comment(claim, user=user, body="Looks fine to me.")


@pytest.fixture
def people(researcher, factchecker, editor, superuser, viewer):
    return {
        "researcher": researcher,
        "factchecker": factchecker,
        "editor": editor,
        "superuser": superuser,
        "viewer": viewer,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("step", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(step, role, people):
    claim = claim_in(STARTS_FROM[step])
    before = (claim.status, claim.version)
    if role in MATRIX[step]:
        take(step, claim, people[role])
        claim.refresh_from_db()
        assert claim.version > before[1] or step is Step.COMMENT
    else:
        with pytest.raises(workflow.NotPermitted):
            take(step, claim, people[role])
        claim.refresh_from_db()
        assert (claim.status, claim.version) == before


def test_roles_in_the_database_match_roles_py():
    for role, codenames in PERMISSIONS.items():
        group = Group.objects.get(name=str(role))
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


@pytest.mark.parametrize(
    ("step", "wrong_state"),
    [
        (Step.SUBMIT, ClaimStatus.IN_REVIEW),
        (Step.REQUEST_CHANGES, ClaimStatus.DRAFT),
        (Step.APPROVE, ClaimStatus.DRAFT),
        (Step.APPROVE, ClaimStatus.APPROVED),
        (Step.PUBLISH, ClaimStatus.IN_REVIEW),
        (Step.UNPUBLISH, ClaimStatus.APPROVED),  # approved, but nothing is live
        (Step.ASSIGN, ClaimStatus.PUBLISHED),
        (Step.EDIT, ClaimStatus.IN_REVIEW),
        (Step.EDIT, ClaimStatus.APPROVED),
    ],
)
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(step, wrong_state, superuser):
    claim = claim_in(wrong_state)
    before = (claim.status, claim.version, claim.history.count())
    with pytest.raises(workflow.WrongState):
        take(step, claim, superuser)
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.history.count()) == before


# Four eyes -----------------------------------------------------------------------


def test_nobody_approves_a_revision_they_changed_superusers_included(superuser, factchecker):
    claim = ClaimFactory()
    claim.statement = "Reworded by the boss"
    workflow.save_edit(claim, user=superuser, reason="Reworded")
    workflow.submit(claim, user=superuser)
    with pytest.raises(workflow.FourEyes, match="You changed this revision"):
        workflow.approve(
            claim, user=superuser, verdict="accurate", rationale="Fine", fidelity="not_applicable"
        )
    workflow.approve(
        Claim.objects.get(pk=claim.pk),
        user=factchecker,
        verdict="accurate",
        rationale="Fine",
        fidelity="not_applicable",
    )


def test_nobody_publishes_a_revision_they_changed_or_approved(superuser, editor, researcher):
    claim = ClaimFactory()
    claim.statement = "Reworded by the editor"
    workflow.save_edit(claim, user=editor, reason="Reworded")
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=superuser, verdict="accurate", rationale="Fine", fidelity="not_applicable"
    )
    claim.refresh_from_db()
    with pytest.raises(workflow.FourEyes, match="You changed this revision"):
        workflow.publish(claim, user=editor)
    with pytest.raises(workflow.FourEyes, match="You approved this revision"):
        workflow.publish(claim, user=superuser)
    other_editor = user_with_role("eve", Role.EDITOR)
    workflow.publish(claim, user=other_editor)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED


def test_publishing_starts_the_next_revision_with_no_editors(researcher, factchecker, editor):
    claim = ClaimFactory()
    claim.statement = "First wording"
    workflow.save_edit(claim, user=researcher, reason="Wrote it")
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="Fine", fidelity="not_applicable"
    )
    workflow.publish(Claim.objects.get(pk=claim.pk), user=editor)
    assert not Claim.objects.get(pk=claim.pk).revision_editors.exists()


# Published and pending revisions -----------------------------------------------


def test_editing_a_published_claim_keeps_the_public_revision_until_republished(
    researcher, factchecker, editor, client
):
    claim = published_claim(statement="Police detained thousands")
    first = claim.live_revision
    claim.statement = "Police detained more than 30,000 people"
    workflow.save_edit(claim, user=researcher, reason="Give the figure")
    claim.refresh_from_db()
    assert (claim.status, claim.live_revision) == (ClaimStatus.DRAFT, first)
    assert claim.has_unpublished_changes
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Police detained thousands" in page and "30,000" not in page

    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim,
        user=factchecker,
        verdict="mostly_accurate",
        rationale="Close.",
        fidelity="not_applicable",
    )
    claim.refresh_from_db()
    with pytest.raises(workflow.StepRefused, match="Say what changed"):
        workflow.publish(claim, user=editor)
    second = workflow.publish(claim, user=editor, note="Added the figure from the report.")
    assert (second.number, second.is_correction) == (2, True)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "30,000" in page and "Mostly accurate" in page
    assert list(claim.published_revisions.values_list("number", flat=True)) == [1, 2]


def test_unpublishing_withdraws_the_public_page_and_needs_a_reason(editor, client):
    claim = published_claim()
    with pytest.raises(workflow.StepRefused, match="reason"):
        workflow.unpublish(claim, user=editor, reason="  ")
    workflow.unpublish(claim, user=editor, reason="The report was withdrawn.")
    claim.refresh_from_db()
    assert claim.live_revision is None and claim.status == ClaimStatus.DRAFT
    assert claim.withdrawal_reason == "The report was withdrawn."
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_published_revisions_are_never_changed_or_deleted():
    revision = published_claim().live_revision
    revision.statement = "Rewritten history"
    with pytest.raises(Exception, match="never changed"):
        revision.save()
    with pytest.raises(Exception, match="never changed or deleted"):
        revision.delete()


def test_request_changes_needs_a_comment_and_lands_in_the_thread(factchecker):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    with pytest.raises(workflow.StepRefused, match="comment"):
        workflow.request_changes(claim, user=factchecker, comment="")
    workflow.request_changes(claim, user=factchecker, comment="Quote the full sentence.")
    (comment,) = claim.review_comments.all()
    assert (comment.author, comment.kind, comment.body) == (
        factchecker,
        CommentKind.CHANGES_REQUESTED,
        "Quote the full sentence.",
    )


def test_approval_needs_a_real_verdict_and_a_rationale(factchecker):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    with pytest.raises(workflow.StepRefused, match="Choose a verdict"):
        workflow.approve(
            claim,
            user=factchecker,
            verdict="not_yet_rated",
            rationale="x",
            fidelity="not_applicable",
        )
    with pytest.raises(workflow.StepRefused, match="rationale"):
        workflow.approve(
            claim, user=factchecker, verdict="accurate", rationale=" ", fidelity="not_applicable"
        )


def test_an_orphaned_claim_cannot_be_submitted(researcher):
    claim = ClaimFactory()
    with recorded_change(reason="Text changed"):
        claim.source.text = "Something else entirely."
        claim.source.save()
    claim.refresh_from_db()
    with pytest.raises(workflow.WrongState, match="no longer anchors"):
        workflow.submit(claim, user=researcher)


# Exact history -----------------------------------------------------------------


def test_each_step_leaves_exactly_one_history_row_with_user_and_reason(
    researcher, factchecker, editor
):
    claim = ClaimFactory()
    workflow.submit(claim, user=researcher, note="Ready")
    workflow.request_changes(claim, user=factchecker, comment="Add the page number")
    claim.refresh_from_db()
    claim.quote = "The report found “massive” abuses again"
    claim.quote_start = None
    workflow.save_edit(claim, user=researcher, reason="Quoted the later sentence")
    workflow.submit(claim, user=researcher)
    workflow.assign(claim, user=editor, assignee=factchecker)
    workflow.approve(
        claim,
        user=factchecker,
        verdict="accurate",
        rationale="Seen on p. 2",
        fidelity="not_applicable",
    )
    workflow.publish(claim, user=editor, note="")
    rows = [
        (r.history_user.username if r.history_user else None, r.history_change_reason, r.status)
        for r in claim.history.order_by("history_date", "history_id")
    ]
    assert rows == [
        (None, "Created by a test factory", "draft"),
        ("rita", "Submitted for review: Ready", "in_review"),
        ("fay", "Changes requested: Add the page number", "draft"),
        ("rita", "Quoted the later sentence", "draft"),
        ("rita", "Submitted for review", "in_review"),
        ("ed", "Assigned to fay", "in_review"),
        ("fay", "Approved as Accurate", "approved"),
        ("ed", "Published revision 1", "published"),
    ]


# Stale copies ------------------------------------------------------------------


def test_a_step_on_a_stale_copy_is_refused_naming_who_changed_it_and_when(
    researcher, factchecker, editor
):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    mine = Claim.objects.get(pk=claim.pk)
    theirs = Claim.objects.get(pk=claim.pk)
    workflow.approve(
        theirs,
        user=factchecker,
        verdict="inaccurate",
        rationale="Contradicted",
        fidelity="not_applicable",
    )
    with pytest.raises(workflow.StaleClaim) as refused:
        workflow.request_changes(mine, user=editor, comment="Needs work")
    message = str(refused.value)
    assert "was changed by fay" in message and "Approved as Inaccurate" in message
    claim.refresh_from_db()
    assert (claim.status, claim.verdict) == (ClaimStatus.APPROVED, Verdict.INACCURATE)


# Guards against bypassing the steps -----------------------------------------------


def test_status_and_verdict_cannot_be_saved_outside_a_step():
    claim = ClaimFactory()
    claim.status = ClaimStatus.PUBLISHED
    with pytest.raises(WorkflowBypassRefused), recorded_change(reason="Sneaky"):
        claim.save()
    claim = Claim.objects.get(pk=claim.pk)
    claim.verdict = Verdict.ACCURATE
    with pytest.raises(WorkflowBypassRefused):
        bulk_update_with_history([claim], Claim, ["verdict"], reason="Sneaky bulk")
    assert Claim.objects.get(pk=claim.pk).verdict == Verdict.NOT_YET_RATED


# Assignment --------------------------------------------------------------------


def test_assignment_emails_the_fact_checker_after_commit_and_fills_their_queue(
    editor, factchecker, researcher, mailoutbox, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.assign(claim, user=editor, assignee=factchecker, note="Urgent")
    assert mailoutbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    (mail,) = mailoutbox
    assert mail.to == [factchecker.email]
    assert claim.statement in mail.subject
    assert f"/admin/factcheck/claim/{claim.pk}/change/" in mail.body and "Urgent" in mail.body
    assert list(Claim.objects.assigned_to(factchecker)) == [claim]
    with pytest.raises(workflow.StepRefused, match="cannot review"):
        workflow.assign(claim, user=editor, assignee=researcher)


# Rating scale --------------------------------------------------------------------


def test_every_verdict_has_a_definition_and_rated_ones_a_number_on_the_scale():
    assert set(DEFINITIONS) == set(Verdict)
    assert set(RATING_VALUES) == set(Verdict) - {Verdict.NOT_YET_RATED, Verdict.UNVERIFIABLE}
    assert (BEST_RATING, WORST_RATING) == (5, 1)
    assert RATING_VALUES[Verdict.ACCURATE] == BEST_RATING
    assert RATING_VALUES[Verdict.INACCURATE] == WORST_RATING


# Command -------------------------------------------------------------------------


def test_claim_step_command_takes_the_same_guarded_steps(researcher, factchecker, capsys):
    claim = ClaimFactory()
    call_command("claim_step", "submit", claim.slug, user="rita")
    assert "now in review" in capsys.readouterr().out
    approve = {"verdict": "accurate", "fidelity": "verbatim", "rationale": "p. 2"}
    with pytest.raises(CommandError, match="Approve refused: Your role does not allow"):
        call_command("claim_step", "approve", claim.slug, user="rita", **approve)
    with pytest.raises(CommandError, match="approve needs --verdict, --fidelity"):
        call_command("claim_step", "approve", claim.slug, user="fay", verdict="accurate")
    call_command("claim_step", "approve", claim.slug, user="fay", **approve)
    assert "(accurate; fidelity: verbatim)" in capsys.readouterr().out
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by) == (ClaimStatus.APPROVED, factchecker)
    assert claim.fidelity == "verbatim"
    assert claim.history.first().history_user == factchecker
    assert PublishedRevision.objects.count() == 0


def test_a_new_claim_cannot_be_saved_already_published_or_rated(researcher):
    claim = ClaimFactory.build(
        source=ClaimFactory().source, slug="born-published", status=ClaimStatus.PUBLISHED
    )
    with pytest.raises(WorkflowBypassRefused):
        workflow.save_edit(claim, user=researcher, reason="Shortcut")
    assert not Claim.objects.filter(slug="born-published").exists()


# Evidence and fidelity ------------------------------------------------------------


def test_a_verdict_on_the_scale_needs_a_cited_passage_but_unverifiable_does_not(factchecker):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW, evidence=False)
    with pytest.raises(workflow.StepRefused, match="“Accurate” needs evidence"):
        workflow.approve(
            claim, user=factchecker, verdict="accurate", rationale="x", fidelity="verbatim"
        )
    CitationFactory(claim=claim, stance="context")  # context alone settles nothing
    with pytest.raises(workflow.StepRefused, match="needs evidence"):
        workflow.approve(
            claim, user=factchecker, verdict="inaccurate", rationale="x", fidelity="verbatim"
        )
    workflow.approve(
        claim,
        user=factchecker,
        verdict="unverifiable",
        rationale="The report's own text would settle it.",
        fidelity="not_found",
    )
    claim.refresh_from_db()
    assert (claim.verdict, claim.fidelity) == ("unverifiable", "not_found")


def test_fidelity_is_chosen_on_its_scale_and_a_difference_is_explained(factchecker):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    approve = {"user": factchecker, "verdict": "accurate", "rationale": "p. 2"}
    with pytest.raises(workflow.StepRefused, match="Choose a fidelity rating"):
        workflow.approve(claim, fidelity="not_yet_rated", **approve)
    with pytest.raises(workflow.StepRefused, match="not a fidelity rating on our scale"):
        workflow.approve(claim, fidelity="sort of", **approve)
    with pytest.raises(workflow.StepRefused, match="Say what differs"):
        workflow.approve(claim, fidelity="overstated", fidelity_note=" ", **approve)
    workflow.approve(claim, fidelity="overstated", fidelity_note="“all” for “most”.", **approve)
    claim.refresh_from_db()
    assert (claim.fidelity, claim.fidelity_note) == ("overstated", "“all” for “most”.")
    (comment,) = claim.review_comments.filter(kind=CommentKind.APPROVED)
    assert comment.body == "Verdict: Accurate. Fidelity: Overstated."


def test_fidelity_changes_only_through_a_step(claim):
    claim.fidelity = "verbatim"
    with pytest.raises(WorkflowBypassRefused, match="fidelity"), recorded_change(reason="x"):
        claim.save()
    with pytest.raises(WorkflowBypassRefused, match="fidelity"):
        bulk_update_with_history([claim], Claim, ["fidelity"], reason="x")
    claim.refresh_from_db()
    assert claim.fidelity == "not_yet_rated"


def test_a_claim_is_submitted_only_with_passages_copied_exactly(researcher):
    claim = ClaimFactory(evidence=False)
    citation = CitationFactory(claim=claim, passage="")
    with pytest.raises(workflow.StepRefused, match="quote the passage"):
        workflow.submit(claim, user=researcher)
    citation.passage = "The report says “massive and systematic”."
    citation.original_words = "massive and systemic"  # not what the passage says
    citation.article_words = "Police detained thousands"
    citation.wording_difference = "One word."
    with recorded_change(reason="Compared the wording"):
        citation.save()
    with pytest.raises(workflow.StepRefused, match="Copy these words from the passage"):
        workflow.submit(claim, user=researcher)
    citation.original_words = "massive and systematic"
    with recorded_change(reason="Copied exactly"):
        citation.save()
    workflow.submit(claim, user=researcher)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_what_was_approved_is_what_gets_published(researcher, factchecker, editor):
    claim = ClaimFactory()
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="p. 2", fidelity="verbatim"
    )
    evidence = claim.citations.get().source
    evidence.title = "A different document"  # a cited source edited after approval
    with recorded_change(reason="Retitled", user=researcher):
        evidence.save()
    with pytest.raises(workflow.StepRefused, match="changed since it was approved"):
        workflow.publish(claim, user=editor)
    assert not PublishedRevision.objects.exists()
    workflow.request_changes(claim, user=editor, comment="Check the retitled source.")
    workflow.submit(claim, user=researcher)
    workflow.approve(
        claim, user=factchecker, verdict="accurate", rationale="p. 2", fidelity="verbatim"
    )
    revision = workflow.publish(claim, user=editor)
    assert revision.citations[0]["title"] == "A different document"
    assert revision.fidelity == "verbatim"


def test_a_key_never_changes(claim):
    from factcheck.models import KeyChangeRefused

    assert claim.key == claim.slug
    claim.key = "something-else"
    with pytest.raises(KeyChangeRefused), recorded_change(reason="x"):
        claim.save()
    with pytest.raises(KeyChangeRefused):
        bulk_update_with_history([claim], Claim, ["key"], reason="x")
    claim.refresh_from_db()
    claim.slug = "a-new-address"
    with recorded_change(reason="Renamed"):
        claim.save()
    claim.refresh_from_db()
    assert (claim.slug, claim.key) == ("a-new-address", "claim-" + claim.key.split("-")[-1])
