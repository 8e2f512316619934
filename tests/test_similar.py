"""The same claim, checked before: published claims from other articles that say
nearly the same thing (factcheck/similar.py), and the panel on the claim's page.

The data is real: the Human Rights Watch article's 44 claims, published as the
desk decided (the fixture and its recorded decisions), and, as the "other
article", a page the fact-check cites: the joint Nordic statement on the OSCE
report (fixture source ``iceland-joint-nordic-statement-report``), whose stored
text here is the passage the fixture quotes from it, word for word.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL (pg_trgm).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, Source
from factcheck.similar import (
    THRESHOLD,
    SimilarClaim,
    similar_published_claims,
    similarity,
    trigrams,
)
from tests.conftest import ARTICLE_FIXTURE
from tests.factories import ClaimFactory
from tests.test_html_checker import (
    check_with_vnu,
    describe,
    known_django_admin_error,
    skip_without_vnu,
)

pytestmark = pytest.mark.django_db

PANEL = "admin/factcheck/_similar_claims.html"
OTHER = "iceland-joint-nordic-statement-report"
# The Nordic statement's second sentence, as the fixture quotes it.
NORDIC_FINDING = (
    "And that massive and systematic human rights violations were committed by the "
    "Belarusian security forces in response to peaceful demonstrations and protests."
)


@pytest.fixture
def checked(article):
    """The article with its 44 claims published, as `serve` leaves it."""
    call_command("replay_decisions", ARTICLE_FIXTURE, verbosity=0)
    return article


@pytest.fixture
def other_article(checked):
    """The cited Nordic statement as another article, its text the fixture's passage."""
    source = Source.objects.get(slug=OTHER)
    source.text = Citation.objects.get(source=source).passage
    with recorded_change(reason="Stored the passage the fact-check quotes"):
        source.save()
    return source


@pytest.fixture
def nordic_claim(other_article):
    """A draft claim of the other article, quoting its finding."""
    return ClaimFactory(
        source=other_article,
        slug="nordic-statement-massive-systematic-violations",
        statement=NORDIC_FINDING,
        quote=NORDIC_FINDING,
        attributed_to="Nordic foreign ministers",
        evidence=False,
    )


def slugs(found):
    return [item.claim.live_revision.slug for item in found]


# The measure ------------------------------------------------------------------------


def test_the_measure_is_pg_trgm_similarity_worked_by_hand():
    # pg_trgm pads each lower-cased word "  word ": "cat" gives "  c", " ca", "cat",
    # "at "; "cats" gives "  c", " ca", "cat", "ats", "ts ". Shared 3 of 6 distinct.
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert similarity("cat", "cats") == pytest.approx(3 / 6)
    assert similarity("Torture, again!", "torture again") == 1.0
    assert similarity("", "anything") == 0.0


def test_on_postgresql_the_database_computes_the_same_measure(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [NORDIC_FINDING, "systematic torture"])
        (in_database,) = cursor.fetchone()
    assert in_database == pytest.approx(similarity(NORDIC_FINDING, "systematic torture"), abs=1e-6)


# Finding them -------------------------------------------------------------------------


def test_finds_the_published_claims_of_another_article_that_say_nearly_the_same(
    checked, nordic_claim
):
    found = similar_published_claims(
        nordic_claim.statement, exclude_source=nordic_claim.source, exclude_claim=nordic_claim
    )
    # Worked out from the fixture's words with the same measure: 0.357 and 0.33.
    assert slugs(found) == [
        "security-forces-detained-thousands",
        "report-found-massive-and-systemic-violations",
    ]
    top = found[0]
    assert isinstance(top, SimilarClaim)
    assert top.source == checked
    assert top.verdict == top.claim.live_revision.get_verdict_display()
    assert top.public_url == reverse("public:claim", args=["security-forces-detained-thousands"])
    assert top.admin_url == reverse("admin:factcheck_claim_change", args=[top.claim.pk])
    # The score is pg_trgm's similarity of the text to the revision's statement or quote.
    revision = top.claim.live_revision
    expected = max(
        similarity(NORDIC_FINDING, revision.statement), similarity(NORDIC_FINDING, revision.quote)
    )
    assert top.score == pytest.approx(expected, abs=1e-3)
    assert all(item.score >= THRESHOLD for item in found)


def test_ranks_by_similarity_most_similar_first(checked):
    passage = Citation.objects.get(source__slug=OTHER).passage
    found = similar_published_claims(passage, limit=10)
    scores = [item.score for item in found]
    assert scores == sorted(scores, reverse=True)
    # Worked out from the fixture's words with the same measure: 0.413, 0.35, 0.318.
    assert slugs(found) == [
        "report-found-massive-and-systemic-violations",
        "security-forces-detained-thousands",
        "report-documents-election-fraud",
    ]
    assert slugs(similar_published_claims(passage, limit=2)) == slugs(found)[:2]


def test_ignores_the_same_article_and_the_claim_itself(checked):
    published = Claim.objects.get(slug="police-force-disproportionate")
    words = published.quote
    assert "police-force-disproportionate" in slugs(similar_published_claims(words))
    assert similar_published_claims(words)[0].score == 1.0
    assert "police-force-disproportionate" not in slugs(
        similar_published_claims(words, exclude_claim=published)
    )
    assert similar_published_claims(words, exclude_source=checked) == []
    assert similar_published_claims(words, exclude_source=checked.pk) == []


def test_ignores_claims_the_public_does_not_see(checked, nordic_claim, newsroom):
    # From the HRW article's side: the Nordic claim is a draft, so nothing is found.
    hrw_statement = Claim.objects.get(slug="report-found-massive-and-systemic-violations")
    assert nordic_claim.slug not in slugs(
        similar_published_claims(NORDIC_FINDING, exclude_source=checked)
    )
    assert similar_published_claims(NORDIC_FINDING, exclude_source=checked) == []

    # Published, it is found; withdrawn, it is gone again.
    newsroom.publish(nordic_claim)
    assert slugs(similar_published_claims(NORDIC_FINDING, exclude_source=checked)) == [
        nordic_claim.slug
    ]
    newsroom.withdraw(nordic_claim, reason="Published by mistake")
    assert similar_published_claims(NORDIC_FINDING, exclude_source=checked) == []

    # A published claim's unpublished edits are not searched: its live revision is.
    newsroom.edit(hrw_statement, reason="Draft rewording", statement=NORDIC_FINDING)
    found = similar_published_claims(NORDIC_FINDING, exclude_source=nordic_claim.source)
    edited = next(item for item in found if item.claim.pk == hrw_statement.pk)
    assert edited.statement != NORDIC_FINDING  # the published words, not the draft's
    assert edited.score == pytest.approx(0.33, abs=1e-3)  # not 1.0, the draft's


def test_nothing_to_compare_finds_nothing_without_a_query(checked, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert similar_published_claims("") == []
        assert similar_published_claims(" — ") == []
        assert similar_published_claims("torture", limit=0) == []


def test_one_query_however_many_claims_are_published(
    checked, nordic_claim, newsroom, django_assert_num_queries
):
    with django_assert_num_queries(1):
        before = similar_published_claims(NORDIC_FINDING, limit=10)
    newsroom.publish(nordic_claim)
    with django_assert_num_queries(1):
        after = similar_published_claims(NORDIC_FINDING, limit=10)
    assert len(after) == len(before) + 1
    with CaptureQueriesContext(connection) as rendering:  # the panel needs no more
        panel = render_to_string(PANEL, {"similar_claims": after})
    assert len(rendering) == 0
    assert panel.count('class="similar-claim"') == len(after)


def test_on_postgresql_the_trigram_indexes_answer_it(checked):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)")
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.db.models import F, Q, Value

    from factcheck.models import PublishedRevision

    query = PublishedRevision.objects.filter(
        Q(TrigramSimilar(F("statement"), Value(NORDIC_FINDING)))
        | Q(TrigramSimilar(F("quote"), Value(NORDIC_FINDING)))
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make it show its plan
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query.explain()
    assert "revision_statement_trgm" in plan and "revision_quote_trgm" in plan


# The desk ---------------------------------------------------------------------------------


def test_the_claim_page_shows_the_published_claims_that_say_nearly_the_same(
    client, editor, nordic_claim
):
    client.force_login(editor)
    response = client.get(reverse("admin:factcheck_claim_change", args=[nordic_claim.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Published claims from other articles that say nearly the same thing" in page
    found = response.context["similar_claims"]
    assert slugs(found) == [
        "security-forces-detained-thousands",
        "report-found-massive-and-systemic-violations",
    ]
    for item in found:
        assert item.public_url in page and item.admin_url in page
        assert item.statement in page
    assert f"{found[0].percent}%" in page
    assert found[0].verdict in page


def test_after_a_save_the_desk_is_told_and_pointed_to_the_panel(client, editor, nordic_claim):
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[nordic_claim.pk])
    data = {
        "source": nordic_claim.source_id,
        "slug": nordic_claim.slug,
        "statement": NORDIC_FINDING,
        "attributed_to": "The Nordic foreign ministers",
        "kind": nordic_claim.kind,
        "quote": nordic_claim.quote,
        "quote_start": nordic_claim.quote_start,
        "change_reason": "Named who said it",
        "seen_version": nordic_claim.version,
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    said = [str(message) for message in response.context["messages"]]
    assert any("from other articles say nearly the same thing" in m for m in said), said
    assert any(f"{url}#similar-claims" in m for m in said)


def test_a_claim_with_no_lookalike_says_none_was_found(client, editor, checked):
    client.force_login(editor)
    claim = Claim.objects.get(slug="report-is-58-pages")
    response = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk]))
    assert response.context["similar_claims"] == []
    assert "None found: no published claim of another article" in response.content.decode()


@skip_without_vnu
def test_the_claim_page_with_the_panel_is_valid_html(client, editor, nordic_claim, tmp_path):
    client.force_login(editor)
    address = reverse("admin:factcheck_claim_change", args=[nordic_claim.pk])
    response = client.get(address)
    assert response.context["similar_claims"]

    messages = check_with_vnu({address: response.content}, tmp_path)

    errors = [
        m
        for m in messages
        if m["type"] in ("error", "non-document-error") and not known_django_admin_error(m)
    ]
    assert not errors, "vnu errors:\n" + "\n".join(describe(e) for e in errors)
