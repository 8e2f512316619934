"""The Belarus article fixture: true to the captured page, curated, cited, with history."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck.models import Citation, Claim, ClaimKind, FixtureRecord, Source, Stance
from tests.conftest import (
    ARTICLE_CLAIMS,
    ARTICLE_FIXTURE,
    ARTICLE_FIXTURE_PATH,
    ARTICLE_SLUG,
    REPORT_SLUG,
    ROOT,
    SEED,
)

pytestmark = pytest.mark.django_db
FIXTURE_V1 = ROOT / "tests" / "data" / "belarus_hrw_2020_v1.json"  # the 62-claim first version
PHOTO_CREDIT = "© Sergei Gapon/AFP via Getty Images"
# Sentences of the article that state nothing checkable, and why. Every other
# sentence must lie, at least in part, inside a claim's quote.
NOT_CHECKABLE = {PHOTO_CREDIT: "the photo credit is provenance, recorded on the Source"}
BENEDEK = "Wolfgang Benedek (OSCE rapporteur)"


def sentences(text: str):
    """(start, end, sentence) for each sentence of each paragraph."""
    offset = 0
    for paragraph in text.split("\n\n"):
        pattern = r".+?(?:[.?!]”?(?=[\s\u00a0]+[“A-Z(])|$)"
        for match in re.finditer(pattern, paragraph, re.S):
            sentence = match.group().strip()
            if sentence:
                start = offset + match.start() + match.group().index(sentence)
                yield start, start + len(sentence), sentence
        offset += len(paragraph) + 2


def quote_spans():
    return [(c.quote_start, c.quote_end, c.slug) for c in Claim.objects.all()]


# The claim set ---------------------------------------------------------------------


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


def test_every_sentence_is_covered_by_a_claim_or_judged_not_checkable(article):
    spans = quote_spans()
    judged = set()
    for start, end, sentence in sentences(article.text):
        if sentence in NOT_CHECKABLE:
            judged.add(sentence)
            continue
        assert any(a < end and b > start for a, b, _ in spans), sentence
    assert judged == set(NOT_CHECKABLE)


def test_no_statement_of_the_first_version_was_lost_in_the_merge(article):
    old = [
        o["fields"] for o in json.loads(FIXTURE_V1.read_text()) if o["model"] == "factcheck.claim"
    ]
    assert len(old) == 62
    spans = quote_spans()
    for claim in old:
        start = claim["quote_start"]
        end = start + len(claim["quote"])
        if claim["quote"] == PHOTO_CREDIT:
            assert article.image_credit == PHOTO_CREDIT  # provenance, not a claim
            continue
        assert any(a <= start and end <= b for a, b, _ in spans), claim["slug"]


def test_merged_claims_keep_the_slug_of_the_claim_that_survives(article):
    old = {o["fields"]["slug"] for o in json.loads(FIXTURE_V1.read_text()) if "slug" in o["fields"]}
    new = set(Claim.objects.values_list("slug", flat=True))
    assert new <= old  # no claim was renamed: every slug in use is one readers may have linked
    assert set(Claim.objects.values_list("key", flat=True)) == new


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


def test_quotation_claims_quote_whole_sentences(article):
    for claim in Claim.objects.filter(kind=ClaimKind.QUOTATION):
        opening = claim.quote.index("“") if "“" in claim.quote else 0
        assert claim.quote.rstrip().endswith(("”", ".”", ",”")), claim.slug
        assert claim.quote[opening] == "“" or claim.quote.startswith("says that"), claim.slug


def test_statements_keep_hedges_scope_and_subject(article):
    statement = dict(Claim.objects.values_list("slug", "statement"))
    assert "seems to have had the purpose" in statement["violence-aimed-to-punish-and-intimidate"]
    assert (
        "water cannons, rubber bullets and stun grenades"
        in statement["police-force-disproportionate"]
    )
    assert statement["torture-complainants-faced-reprisals"].startswith("Benedek: several people")
    assert "government abuses" in statement["report-documented-abuses-against-protesters"]
    assert statement["security-forces-detained-thousands"].startswith("Belarusian security forces")
    for text in statement.values():
        assert len(text) <= 175, text


def test_kinds_and_attributions_are_as_the_article_gives_them(article):
    claims = {c.slug: c for c in Claim.objects.all()}
    assert claims["report-prepared-under-osce-auspices"].kind == ClaimKind.FACT
    assert claims["expert-is-wolfgang-benedek"].kind == ClaimKind.FACT
    assert claims["denber-deputy-europe-central-asia-director"].kind == ClaimKind.FACT
    for slug in [
        "no-security-officer-held-accountable",
        "torture-complainants-faced-reprisals",
        "media-freedom-under-massive-attack",
        "at-least-178-journalists-repressed",
        "civic-actors-harassed",
    ]:
        assert claims[slug].attributed_to == BENEDEK, slug
    dozens = claims["dozens-journalists-injured-since-january"]
    assert dozens.attributed_to == "Human Rights Watch"
    assert "He documents that" in dozens.notes and "not inside that clause" in dozens.notes
    assert not Claim.objects.filter(quote__contains="Getty").exists()


def test_stored_text_is_the_article_alone_as_captured(article):
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
    assert article.image_credit == PHOTO_CREDIT
    assert article.image_caption.startswith("A protester waves the former national Belarus' flag")
    assert f"\n\n{article.image_caption}\n\n" in article.text


def test_the_osce_report_is_described_from_what_other_pages_say_of_it(article):
    report = Source.objects.get(slug=REPORT_SLUG)
    assert report.title.startswith("Report on Alleged Human Rights Violations")
    assert (report.byline, report.publisher, report.page_count) == (
        "Professor Dr. Wolfgang Benedek",
        "OSCE",
        58,
    )
    assert report.published_on.isoformat() == "2020-11-05"
    assert report.url == "" and report.document_reference == ""  # nobody we could quote gives them
    for disagreement in [
        "29 October 2020",
        "5 November 2020",
        "59",
        "We use 58",
        "We use 5 November",
    ]:
        assert disagreement in report.notes, disagreement


# Evidence ------------------------------------------------------------------------------


def test_every_citation_quotes_a_passage_from_a_source_with_an_address(article):
    citations = Citation.objects.select_related("source", "claim")
    assert citations.count() >= ARTICLE_CLAIMS
    for citation in citations:
        assert citation.passage.strip(), citation.key
        assert citation.source.url.startswith("https://"), citation.key
        assert citation.accessed_on is not None, citation.key
        assert citation.stance in Stance.values
        assert citation.source != article
        if citation.source.language != "en":
            assert citation.translation, citation.key
        if citation.compares_wording:
            assert citation.original_words in citation.passage
            assert citation.article_words in citation.claim.quote
            assert citation.wording_difference


def test_pages_of_the_articles_publisher_are_marked_as_not_independent(article):
    for citation in Citation.objects.filter(source__publisher=article.publisher):
        assert citation.stance == Stance.SUPPORTS or "not independent" in citation.note.lower()
        assert "Not independent" in citation.note
        assert "not independent" in citation.source.notes


def test_the_systemic_systematic_difference_is_shown_side_by_side(article):
    claim = Claim.objects.get(slug="report-found-massive-and-systemic-violations")
    compared = claim.citations.exclude(original_words="")
    assert compared.count() >= 2
    for citation in compared:
        assert "systematic" in citation.original_words
        assert citation.article_words == "“massive and systemic”"


# Loading ---------------------------------------------------------------------------------


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
    call_command("loaddata", ARTICLE_FIXTURE, keep_existing=True, verbosity=0)
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


def test_a_renamed_claim_is_never_duplicated(article):
    from factcheck.history import recorded_change

    renamed = Claim.objects.get(slug="report-is-58-pages")
    renamed.slug = "the-report-is-58-pages-long"
    with recorded_change(reason="Editor's work"):
        renamed.save()
    call_command("loaddata", ARTICLE_FIXTURE, keep_existing=True, verbosity=0)
    assert Claim.objects.get(key="report-is-58-pages").slug == "the-report-is-58-pages-long"
    assert Claim.objects.count() == ARTICLE_CLAIMS
    call_command("loaddata", ARTICLE_FIXTURE, verbosity=0)  # an explicit reload restores it
    assert Claim.objects.get(key="report-is-58-pages").slug == "report-is-58-pages"
    assert Claim.objects.count() == ARTICLE_CLAIMS


def test_serve_never_recreates_what_an_editor_deleted(article):
    from factcheck.history import recorded_change

    with recorded_change(reason="Not needed"):
        Claim.objects.get(slug="abuse-increased-public-outrage").delete()
    call_command("loaddata", ARTICLE_FIXTURE, keep_existing=True, verbosity=0)
    assert not Claim.objects.filter(key="abuse-increased-public-outrage").exists()
    assert Claim.objects.count() == ARTICLE_CLAIMS - 1


def test_an_install_of_the_first_version_is_upgraded_without_duplicates(db, tmp_path):
    from factcheck.history import recorded_change

    v1 = tmp_path / f"{ARTICLE_FIXTURE}.json"
    v1.write_text(FIXTURE_V1.read_text(encoding="utf-8"), encoding="utf-8")
    call_command("loaddata", str(v1), verbosity=0)
    assert Claim.objects.count() == 62
    edited = Claim.objects.get(slug="lack-of-women-guards")
    edited.statement = "An editor's work on a claim the new version merges"
    with recorded_change(reason="Editor's work"):
        edited.save()

    call_command("loaddata", ARTICLE_FIXTURE, keep_existing=True, verbosity=0)

    assert set(Claim.objects.values_list("slug", flat=True)) == {
        o["fields"]["slug"]
        for o in json.loads(ARTICLE_FIXTURE_PATH.read_text())
        if o["model"] == "factcheck.claim"
    } | {"lack-of-women-guards"}  # kept: an editor changed it
    retired = Claim.history.filter(history_type="-", key="photo-credit-sergei-gapon-afp")
    assert retired.get().history_change_reason == f"Retired: no longer in fixture {ARTICLE_FIXTURE}"
    assert not Citation.objects.filter(passage="").exists()
    survivor = Claim.objects.get(slug="report-found-massive-and-systemic-violations")
    assert "before and in the aftermath" in survivor.quote  # the untouched claim followed


def test_an_invalid_fixture_is_refused_whole_with_a_clear_error(db, tmp_path):
    data = json.loads(ARTICLE_FIXTURE_PATH.read_text(encoding="utf-8"))
    broken = next(o for o in data if o["fields"].get("slug") == "report-is-58-pages")
    broken["fields"]["quote"] = "The 59-page report"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("loaddata", str(path), verbosity=0)
    assert "'report-is-58-pages' is invalid" in str(error.value)
    assert "does not occur" in str(error.value)
    assert not Source.objects.exists() and not Claim.objects.exists()
    assert not Source.history.exists() and not FixtureRecord.objects.exists()


def test_loaddata_can_attribute_the_import_to_a_user_who_then_cannot_approve_it(db):
    from factcheck import workflow
    from factcheck.roles import Role
    from tests.conftest import user_with_role

    importer = user_with_role("importer", Role.FACT_CHECKER)
    call_command("loaddata", ARTICLE_FIXTURE, user="importer", verbosity=0)
    (record,) = Source.objects.get(slug=ARTICLE_SLUG).history.all()
    assert record.history_user == importer
    claim = Claim.objects.get(slug="report-is-58-pages")
    workflow.submit(claim, user=user_with_role("rita", Role.RESEARCHER))
    with pytest.raises(workflow.FourEyes):
        workflow.approve(
            claim, user=importer, verdict="accurate", rationale="p.", fidelity="not_applicable"
        )


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
        claim,
        user=user_with_role("fay", Role.FACT_CHECKER),
        verdict="accurate",
        rationale="p.",
        fidelity="not_applicable",
    )
    workflow.publish(claim, user=user_with_role("ed", Role.EDITOR))
    fixture = tmp_path / "more_evidence.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "factcheck.citation",
                    "fields": {
                        "key": "report-is-58-pages/more",
                        "claim": ["report-is-58-pages"],
                        "source": [REPORT_SLUG],
                        "passage": "58 pages.",
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
