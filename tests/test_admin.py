"""The editorial desk in the Django admin."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from factcheck import workflow
from factcheck.history import bulk_create_with_history, diff, recorded_change
from factcheck.models import Citation, Claim, ClaimKind, Stance
from tests.conftest import ARTICLE_CLAIMS
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:factcheck_claim_changelist")


def change_url(claim):
    return reverse("admin:factcheck_claim_change", args=[claim.pk])


def claim_form(claim, **overrides):
    data = {
        "source": claim.source_id,
        "slug": claim.slug,
        "statement": claim.statement,
        "attributed_to": claim.attributed_to,
        "kind": claim.kind,
        "quote": claim.quote,
        "quote_start": claim.quote_start if claim.quote_start is not None else "",
        "change_reason": "",
        "seen_version": claim.version if claim.pk else "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def source_form(source, **overrides):
    """The Source change form as the admin page would submit it."""
    published_at = source.published_at
    data = {
        "title": source.title,
        "slug": source.slug,
        "kind": source.kind,
        "url": source.url,
        "publisher": source.publisher,
        "byline": source.byline,
        "published_on": source.published_on or "",
        "published_at_0": published_at.date() if published_at else "",
        "published_at_1": published_at.time() if published_at else "",
        "dateline": source.dateline,
        "language": source.language,
        "available_languages": ", ".join(source.available_languages),
        "text": source.text,
        "retrieved_on": source.retrieved_on or "",
        "notes": source.notes,
        "change_reason": "",
        "seen_version": source.version,
    }
    data.update(overrides)
    return data


def test_claim_list_shows_every_article_claim_with_its_quote_highlighted(client, editor, article):
    client.force_login(editor)
    response = client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{ARTICLE_CLAIMS} claims" in html
    for claim in Claim.objects.all():
        assert f"<mark>{escape(claim.quote)}</mark>" in html, claim.slug
    assert html.count("<mark>") == ARTICLE_CLAIMS


def test_claim_list_query_count_does_not_grow_with_claims(
    client, editor, article, django_assert_num_queries
):
    client.force_login(editor)
    client.get(CHANGELIST)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as baseline:
        client.get(CHANGELIST)
    text = article.text
    start = text.index("The 58-page report")
    more = [
        Claim(
            source=article,
            slug=f"extra-{n}",
            statement="Extra",
            quote="The 58-page report",
            quote_start=start,
            quote_end=start + 18,
            quote_prefix=text[start - 32 : start],
            quote_suffix=text[start + 18 : start + 50],
            attributed_to=f"Person {n}",
            kind=ClaimKind.STATISTIC,
        )
        for n in range(150)
    ]
    bulk_create_with_history(more, Claim, reason="Load test data")
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(CHANGELIST)


def test_claim_page_shows_the_quote_highlighted_inside_its_paragraph(client, editor, article):
    claim = Claim.objects.get(slug="at-least-178-journalists-repressed")
    client.force_login(editor)
    html = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    assert (
        "Benedek states that media freedoms, journalists’ safety, and other rights are "
        '“under massive attack.” <mark id="quote">He documents that in the post-election '
        "period, at least 178 journalists “experienced repression and violations.”"
        "</mark> Dozens have been injured since January due to police violence.</div>"
    ) in html
    assert f"Characters {claim.quote_start}–{claim.quote_end}" in html


def test_stored_text_is_escaped_on_the_claim_page(client, editor):
    source = SourceFactory(text="<b>bold</b> said <script>alert(1)</script> loudly")
    claim = ClaimFactory(source=source, quote="<script>alert(1)</script>", statement="<i>x</i>")
    client.force_login(editor)
    html = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '<mark id="quote">&lt;script&gt;alert(1)&lt;/script&gt;</mark>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("orphaned__exact=1", {"orphan"}),
        ("attributed_to=Rachel+Denber", {"denber"}),
        ("verdict__exact=accurate", {"rated"}),
        ("kind__exact=quotation", {"denber"}),
        ("q=Benedek", {"benedek"}),
    ],
)
def test_claim_list_filters_and_search(client, editor, source, query, expected):
    ClaimFactory(
        source=source,
        slug="benedek",
        quote="Police detained thousands",
        statement="Benedek found it",
    )
    ClaimFactory(
        source=source,
        slug="denber",
        attributed_to="Rachel Denber",
        kind=ClaimKind.QUOTATION,
        quote="Officials said the report was wrong",
    )
    ClaimFactory(source=source, slug="rated", verdict="accurate", quote="Headline")
    orphan = ClaimFactory(source=source, slug="orphan", quote="abuses in 2020")
    source.text = source.text.replace("in 2020", "in 2021")
    with recorded_change(reason="test"):
        source.save()
    orphan.refresh_from_db()
    assert orphan.orphaned
    client.force_login(editor)
    response = client.get(f"{CHANGELIST}?{query}")
    shown = {c.slug for c in response.context["cl"].result_list}
    assert shown == expected


def test_a_change_without_a_reason_is_refused_and_nothing_changes(client, editor, claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    response = client.post(url, claim_form(claim, statement="Sneaky"))
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.statement == "Police detained thousands" and claim.history.count() == 1


def test_a_change_with_a_reason_is_recorded_with_user_reason_and_diff(client, editor, claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    response = client.post(
        url, claim_form(claim, attributed_to="Checked", change_reason="Added attribution")
    )
    assert response.status_code == 302
    latest, first = claim.history.all()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Added attribution")
    assert [c.field for c in diff(latest, first).changes] == ["attributed_to"]
    history = client.get(reverse("admin:factcheck_claim_history", args=[claim.pk]))
    html = history.content.decode()
    assert "Added attribution" in html and "ed" in html and "Checked" in html


def test_a_quote_missing_from_the_source_is_refused_in_the_form(client, editor, claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    data = claim_form(claim, quote="Police detained millions", change_reason="Edit")
    response = client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert "does not occur in the source’s stored text" in errors["quote"][0]


def test_a_quote_typed_with_plain_spaces_is_saved_with_the_texts_no_break_spaces(client, editor):
    source = SourceFactory(text="Intro.\n\nA wave of protests\u00a0that swept the country.")
    claim = ClaimFactory(source=source, quote="Intro.")
    client.force_login(editor)
    data = claim_form(claim, quote="protests that swept", quote_start="", change_reason="Edit")
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert claim.quote == "protests\u00a0that swept"
    assert source.text[claim.quote_start : claim.quote_end] == claim.quote


def test_a_quote_with_straight_quotes_is_refused_naming_the_character_that_differs(
    client, editor, claim
):
    client.force_login(editor)
    data = claim_form(claim, quote='The report found "massive" abuses', change_reason="Edit")
    errors = client.post(change_url(claim), data).context["adminform"].form.errors
    assert (
        'the text has “ (LEFT DOUBLE QUOTATION MARK) where you typed " (QUOTATION MARK)'
        in errors["quote"][0]
    )


def test_an_ambiguous_quote_is_refused_in_the_form_with_its_occurrences(client, editor, claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    data = claim_form(
        claim, quote="The report found “massive” abuses", quote_start="", change_reason="Edit"
    )
    errors = client.post(url, data).context["adminform"].form.errors
    assert "occurs 2 times" in errors["quote"][0]


def test_inline_citations_are_recorded_with_the_claims_reason(client, editor, claim):
    evidence = SourceFactory(text="Independent evidence.")
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    data = claim_form(
        claim,
        change_reason="Added evidence",
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": evidence.pk,
            "citations-0-stance": Stance.SUPPORTS,
            "citations-0-passage": "Independent evidence.",
            "citations-0-locator": "para. 1",
            "citations-0-accessed_on": "2026-11-25",
        },
    )
    assert client.post(url, data).status_code == 302
    citation = Citation.objects.get(claim=claim, source=evidence)
    (record,) = citation.history.all()
    assert (record.history_user, record.history_change_reason) == (editor, "Added evidence")


def test_editing_source_text_in_the_admin_reports_orphaned_claims(client, editor, claim):
    source = claim.source
    client.force_login(editor)
    url = reverse("admin:factcheck_source_change", args=[source.pk])
    data = source_form(source, text="Entirely new text.", change_reason="Replaced the text")
    response = client.post(url, data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 orphaned" in m for m in messages)
    assert any(claim.slug in m and "orphaned" in m for m in messages)
    claim.refresh_from_db()
    assert claim.orphaned
    assert claim.history.first().history_user == editor


def test_anonymous_users_are_sent_to_log_in(client, claim):
    for url in [CHANGELIST, reverse("admin:factcheck_claim_history", args=[claim.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_researchers_cannot_delete_sources(client, source):
    researcher = UserFactory(username="res")
    researcher.groups.add(Group.objects.get(name="Researcher"))
    client.force_login(researcher)
    response = client.post(
        reverse("admin:factcheck_source_delete", args=[source.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert source.__class__.objects.filter(pk=source.pk).exists()


def test_admin_deletion_is_recorded(client, editor, claim):
    client.force_login(editor)
    client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    record = Claim.history.get(id=claim.pk, history_type="-")
    assert (record.history_user, record.history_change_reason) == (editor, "Deleted in the admin")


def test_history_names_the_command_when_no_user_made_the_change(client, editor, article):
    claim = Claim.objects.get(slug="report-is-58-pages")
    client.force_login(editor)
    html = client.get(reverse("admin:factcheck_claim_history", args=[claim.pk])).content.decode()
    assert "Imported from fixture belarus_hrw_2020" in html
    assert ", OS user " in html


def test_browser_line_breaks_in_source_text_do_not_shift_any_claim(client, editor, article):
    # Browsers submit text areas with CRLF line breaks.
    sha, claims = article.text_sha256, Claim.objects.count()
    client.force_login(editor)
    url = reverse("admin:factcheck_source_change", args=[article.pk])
    data = source_form(
        article, text=article.text.replace("\n", "\r\n"), change_reason="Saved unchanged"
    )
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert "\r" not in article.text and article.text_sha256 == sha
    assert Claim.history.count() == claims  # nobody moved: only the import records


@pytest.mark.parametrize("model", ["claim", "source", "citation"])
def test_opening_an_add_page_never_prefills_the_reason_of_a_change(client, editor, claim, model):
    # The add page offers a default reason; it must not leak into change forms.
    client.force_login(editor)
    add_page = client.get(reverse(f"admin:factcheck_{model}_add"))
    assert add_page.context["adminform"].form["change_reason"].value() == "Created in the admin"
    target = {"claim": claim, "source": claim.source, "citation": claim.citations.first()}[model]
    page = client.get(reverse(f"admin:factcheck_{model}_change", args=[target.pk]))
    reason = page.context["adminform"].form["change_reason"]
    assert reason.value() in (None, "") and reason.field.required
    assert 'value="Created in the admin"' not in page.content.decode()


def test_claim_list_marks_a_published_claim_with_pending_changes(client, editor, researcher):
    from tests.test_workflow import published_claim

    claim = published_claim()
    claim.statement = "Pending wording"
    workflow.save_edit(claim, user=researcher, reason="Reword")
    client.force_login(editor)
    response = client.get(CHANGELIST)  # warnings are errors: format_html() needs arguments
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft" in html and "revision 1 is public" in html


def test_sources_list_counts_the_claims_that_cite_a_source_apart(client, editor, claim):
    from tests.factories import CitationFactory

    cited = SourceFactory(title="The cited report", text="Evidence text.")
    CitationFactory(claim=claim, source=cited)
    CitationFactory(claim=claim, source=cited, locator="p. 9")  # one claim, cited twice
    CitationFactory(claim=ClaimFactory(source=claim.source), source=cited)
    client.force_login(editor)
    response = client.get(reverse("admin:factcheck_source_changelist"))
    rows = {s.title: s for s in response.context["cl"].result_list}
    assert (rows["The cited report"].n_claims, rows["The cited report"].n_citing) == (0, 2)
    citations = reverse("admin:factcheck_citation_changelist") + f"?source__id__exact={cited.pk}"
    assert f'<a href="{escape(citations)}">2</a>' in response.content.decode()


def test_a_fact_checker_sees_the_assignee_without_a_link_they_may_not_follow(
    client, factchecker, editor
):
    claim = ClaimFactory(status="in_review")
    workflow.assign(claim, user=editor, assignee=factchecker)
    client.force_login(factchecker)
    html = client.get(change_url(claim)).content.decode()
    assert "/admin/auth/user/" not in html
    assert '<div class="readonly">fay</div>' in html


def test_the_revert_page_breadcrumb_names_claims_not_historical_claims(client, editor, claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_simple_history", args=[claim.pk, claim.history.get().pk])
    html = client.get(url).content.decode()
    crumbs = html[
        html.index('class="breadcrumbs"') : html.index("</div>", html.index("breadcrumbs"))
    ]
    assert "Historical" not in crumbs
    assert f'<a href="{reverse("admin:factcheck_claim_changelist")}">Claims</a>' in crumbs


def test_the_approve_page_does_not_offer_not_yet_rated(client, factchecker):
    claim = ClaimFactory(status="in_review")
    client.force_login(factchecker)
    url = reverse("admin:factcheck_claim_step", args=[claim.pk, "approve"])
    html = client.get(url).content.decode()
    assert "Not yet rated" not in html


# The claim and source forms read well ----------------------------------------------------


def test_a_read_only_claim_page_has_no_change_reason(client, viewer, claim):
    client.force_login(viewer)
    html = client.get(change_url(claim)).content.decode()
    assert "Reason for this change" not in html and "Change reason" not in html


def test_the_source_form_shows_languages_as_a_list_and_saves_them(client, editor, source):
    with recorded_change(reason="test"):
        source.available_languages = ["en", "ru"]
        source.save()
    client.force_login(editor)
    url = reverse("admin:factcheck_source_change", args=[source.pk])
    html = client.get(url).content.decode()
    assert 'value="en, ru"' in html and "[&quot;en&quot;" not in html
    data = source_form(source, available_languages="en, ru, be", change_reason="Belarusian too")
    assert client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.available_languages == ["en", "ru", "be"]
    bad = source_form(source, available_languages="en, not a tag!", change_reason="Typo")
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "not a tag!" in str(response.context["adminform"].form.errors["available_languages"])


def test_step_form_errors_sit_with_their_field(client, factchecker):
    claim = ClaimFactory(status="in_review")
    client.force_login(factchecker)
    url = reverse("admin:factcheck_claim_step", args=[claim.pk, "approve"])
    html = client.post(url, {"version": claim.version, "verdict": "accurate"}).content.decode()
    row = html[html.index('class="form-row errors field-rationale"') :]
    row = row[: row.index('<div class="form-row')]
    assert 'id="id_rationale"' in row and "This field is required." in row
