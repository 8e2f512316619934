"""The Belarus article fixture: true to the captured page, anchored, with history."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck.models import Citation, Claim, ClaimKind, Source, Stance
from factcheck.ratings import Verdict
from tests.conftest import ARTICLE_CLAIMS, ARTICLE_FIXTURE, ARTICLE_SLUG, REPORT_SLUG, ROOT, SEED

pytestmark = pytest.mark.django_db
FIXTURE_PATH = ROOT / "fixtures" / f"{ARTICLE_FIXTURE}.json"


def test_every_claim_anchors_exactly_in_the_stored_text(article):
    claims = list(article.claims.all())
    assert len(claims) == ARTICLE_CLAIMS
    for claim in claims:
        assert not claim.orphaned, claim.slug
        assert article.text[claim.quote_start : claim.quote_end] == claim.quote, claim.slug
        assert article.text.count(claim.quote) == 1, claim.slug
        assert (
            claim.quote_prefix == article.text[max(0, claim.quote_start - 32) : claim.quote_start]
        )
        assert claim.quote_suffix == article.text[claim.quote_end : claim.quote_end + 32]


def test_every_body_paragraph_carries_at_least_one_claim(article):
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 17  # headline, standfirst, caption, credit, 13 body paragraphs
    starts = [claim.quote_start for claim in article.claims.all()]
    offset = 0
    for paragraph in paragraphs:
        end = offset + len(paragraph)
        assert any(offset <= s < end for s in starts), paragraph[:60]
        offset = end + 2


def test_each_number_and_date_in_the_article_is_covered_by_a_claim(article):
    quotes = " ".join(article.claims.values_list("quote", flat=True))
    for figure in [
        "58-page",
        "700",
        "more than 20",
        "178",
        "17 OSCE",
        "September 17",
        "June 7, 2020",
        "August 9, 2020",
        "fourth month",
        "thousands",
        "hundreds",
        "Dozens",
        "Tens of thousands",
    ]:
        assert figure in quotes, figure


def test_stored_text_is_the_article_alone_as_captured(article):
    if not SEED.exists():
        pytest.skip(f"the captured page is not at {SEED}")
    page = SEED.read_text(encoding="utf-8")
    for paragraph in article.text.split("\n\n"):
        assert paragraph in page, paragraph[:60]
    for furniture in ["Donate Now", "Share this via", "More Reading", "Footer menu", "©\u00a02022"]:
        assert furniture not in article.text
    assert article.text.startswith("Belarus: Expert Report Calls for International Inquiry")
    assert article.text.endswith("make sure they don’t happen again.”")
    assert "protests\u00a0that swept" in article.text  # no-break spaces kept as captured


def test_article_metadata_is_what_the_page_states(article):
    assert article.publisher == "Human Rights Watch"
    assert article.published_on.isoformat() == "2020-11-06"
    assert article.published_at.isoformat() == "2020-11-06T13:00:00+00:00"  # 8:00AM EST
    assert article.dateline == "Berlin"
    assert article.available_languages == ["en", "zh-Hans", "zh-Hant", "ru"]
    assert article.url == ""  # the capture does not record it: left empty, not guessed
    assert article.retrieved_on is None


def test_the_osce_report_is_its_own_source_and_cited_by_the_claims_attributed_to_it(article):
    report = Source.objects.get(slug=REPORT_SLUG)
    assert report.byline == "Wolfgang Benedek"
    assert report.url == "" and report.published_on is None
    attributed = Claim.objects.filter(attributed_to="OSCE expert report")
    assert attributed.count() == 28
    for claim in attributed:
        (citation,) = claim.citations.all()
        assert citation.source == report
        assert citation.stance == Stance.CONTEXT
        assert citation.passage == ""  # the report has not been read yet: nothing invented
    assert Citation.objects.count() == 28


def test_verdicts_are_not_yet_rated_without_evidence(article):
    assert set(Claim.objects.values_list("verdict", flat=True)) == {Verdict.NOT_YET_RATED}


def test_claims_cover_every_kind_the_article_contains(article):
    kinds = set(Claim.objects.values_list("kind", flat=True))
    assert kinds == set(ClaimKind.values)


def test_statements_are_short_as_claimreview_asks(article):
    for statement in Claim.objects.values_list("statement", flat=True):
        assert len(statement) <= 75, statement


def test_loading_gives_every_object_one_first_history_record(article):
    for model in (Source, Claim, Citation):
        for obj in model.objects.all():
            (record,) = obj.history.all()
            assert record.history_type == "+"
            assert record.history_change_reason == f"Imported from fixture {ARTICLE_FIXTURE}"
            assert record.history_actor


def test_loading_twice_creates_no_duplicates_and_no_new_history(article):
    counts = [m.objects.count() for m in (Source, Claim, Citation)]
    history = [m.history.count() for m in (Source, Claim, Citation)]
    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    assert [m.objects.count() for m in (Source, Claim, Citation)] == counts
    assert [m.history.count() for m in (Source, Claim, Citation)] == history


def test_reloading_overwrites_edits_with_history_but_keep_existing_preserves_them(article):
    from factcheck.history import recorded_change

    claim = Claim.objects.get(slug="report-is-58-pages")
    claim.attributed_to = "Editor's note"
    with recorded_change(reason="Editor's work"):
        claim.save()
    call_command("loaddata", ARTICLE_FIXTURE, keep_existing=True, verbosity=0)
    claim.refresh_from_db()
    assert claim.attributed_to == "Editor's note"

    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    claim.refresh_from_db()
    assert claim.attributed_to == "Human Rights Watch"
    assert claim.history.first().history_change_reason == (
        f"Updated from fixture {ARTICLE_FIXTURE}"
    )


def test_an_invalid_fixture_is_refused_whole_with_a_clear_error(db, tmp_path):
    data = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
    broken = next(o for o in data if o["fields"].get("slug") == "report-is-58-pages")
    broken["fields"]["quote"] = "The 59-page report"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("loaddata", str(path), verbosity=0)
    assert "'report-is-58-pages' is invalid" in str(error.value)
    assert "does not occur" in str(error.value)
    assert not Source.objects.exists() and not Claim.objects.exists()
    assert not Source.history.exists()


def test_loaddata_can_attribute_the_import_to_a_user(db):
    from tests.factories import UserFactory

    UserFactory(username="importer")
    call_command("loaddata", ARTICLE_FIXTURE, user="importer", verbosity=0)
    (record,) = Source.objects.get(slug=ARTICLE_SLUG).history.all()
    assert record.history_user.username == "importer"


def test_reloading_refuses_to_rewrite_a_claim_under_review_and_loads_nothing(article):
    from factcheck import workflow
    from factcheck.history import recorded_change
    from factcheck.roles import Role
    from tests.conftest import user_with_role

    claim = Claim.objects.get(slug="report-is-58-pages")
    draft = Claim.objects.get(slug="hundreds-subjected-to-torture")
    with recorded_change(reason="Editor's work"):
        draft.attributed_to = "Changed draft"
        draft.save()
        claim.attributed_to = "Reviewed words"
        claim.save()
    workflow.submit(claim, user=user_with_role("rita", Role.RESEARCHER))
    with pytest.raises(CommandError, match="which is in review; fixtures only change drafts"):
        call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)
    claim.refresh_from_db()
    draft.refresh_from_db()
    assert (claim.attributed_to, claim.status) == ("Reviewed words", "in_review")
    assert draft.attributed_to == "Changed draft"  # the whole load was rolled back


def test_new_evidence_for_a_published_claim_is_not_slipped_in_by_a_fixture(article, tmp_path):
    from factcheck import workflow
    from factcheck.roles import Role
    from tests.conftest import user_with_role

    claim = Claim.objects.get(slug="report-is-58-pages")
    workflow.submit(claim, user=user_with_role("rita", Role.RESEARCHER))
    workflow.approve(
        claim, user=user_with_role("fay", Role.FACT_CHECKER), verdict="accurate", rationale="p."
    )
    workflow.publish(claim, user=user_with_role("ed", Role.EDITOR))
    fixture = tmp_path / "more_evidence.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "factcheck.citation",
                    "fields": {
                        "claim": ["report-is-58-pages"],
                        "source": [REPORT_SLUG],
                        "locator": "p. 58",
                        "stance": "supports",
                    },
                }
            ]
        )
    )
    with pytest.raises(CommandError, match="which is published; fixtures only change drafts"):
        call_command("loaddata", str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), keep_existing=True, verbosity=0)  # skipped, no error
    assert not claim.citations.filter(locator="p. 58").exists()
