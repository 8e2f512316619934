"""Structured and open data: ClaimReview, the JSON API and its OpenAPI
description, W3C Web Annotations, CSL-JSON and CSV."""

import csv
import io
import json
import re

import pytest

from factcheck.models import Claim
from factcheck.ratings import DEFINITIONS, RATING_VALUES, Verdict
from tests.conftest import ARTICLE_SLUG, publish_with_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def torture(article, newsroom):
    return publish_with_evidence(newsroom, Verdict.MISLEADING, "It overstates.")


def claim_review_of(response) -> dict:
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_claim_page_carries_a_complete_claimreview_matching_the_page(torture, client):
    response = client.get(f"/claims/{torture.slug}/")
    review = claim_review_of(response)
    revision = torture.live_revision

    # Google's required and recommended properties for ClaimReview.
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver/claims/{torture.slug}/"
    assert review["claimReviewed"] == revision.statement
    assert review["author"] == {
        "@type": "Organization",
        "name": "Fact-check tracker",
        "url": "http://127.0.0.1:8000",
    }
    assert review["datePublished"] == revision.published_at.isoformat()
    assert "dateModified" not in review
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == "Misleading"
    assert rating["ratingValue"] == RATING_VALUES[Verdict.MISLEADING] == 2
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert rating["ratingExplanation"] == DEFINITIONS[Verdict.MISLEADING]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Human Rights Watch"}
    assert item["datePublished"] == "2020-11-06"
    assert item["appearance"] == item["firstAppearance"]
    assert item["appearance"]["name"] == torture.source.title
    assert item["appearance"]["url"] == f"http://testserver/sources/{ARTICLE_SLUG}/"
    assert item["appearance"]["datePublished"] == "2020-11-06"
    # What the markup says is what the page says.
    page = response.content.decode()
    assert revision.statement in page and "Misleading" in page


def test_claimreview_after_a_correction_has_date_modified(torture, newsroom, client):
    first = torture.live_revision
    newsroom.correct(torture, verdict=Verdict.ACCURATE, rationale="Annex.", note="Annex found.")
    torture.refresh_from_db()

    review = claim_review_of(client.get(f"/claims/{torture.slug}/"))

    assert review["datePublished"] == first.published_at.isoformat()
    assert review["dateModified"] == torture.live_revision.published_at.isoformat()
    assert review["reviewRating"]["alternateName"] == "Accurate"
    assert review["reviewRating"]["ratingValue"] == 5


def test_unverifiable_has_a_named_rating_without_a_number(article, newsroom, client):
    claim = newsroom.publish(
        Claim.objects.get(slug="hundreds-subjected-to-torture"), verdict=Verdict.UNVERIFIABLE
    )
    rating = claim_review_of(client.get(f"/claims/{claim.slug}/"))["reviewRating"]
    assert rating["alternateName"] == "Unverifiable"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_api_claim_detail_fields(torture, client):
    response = client.get(f"/api/claims/{torture.slug}/")

    assert response["Content-Type"] == "application/json"
    data = response.json()
    revision = torture.live_revision
    assert data["slug"] == torture.slug
    assert data["url"] == f"http://testserver/claims/{torture.slug}/"
    assert data["statement"] == revision.statement
    assert data["quote"] == revision.quote
    assert (data["quote_start"], data["quote_end"]) == (revision.quote_start, revision.quote_end)
    assert data["verdict"] == "misleading" and data["verdict_label"] == "Misleading"
    assert data["rating_value"] == 2
    assert data["rationale"] == "It overstates."
    assert data["revision"] == 1 and data["corrected"] is False
    assert data["source"]["slug"] == ARTICLE_SLUG
    assert data["source"]["published_on"] == "2020-11-06"
    assert [c for c in data["citations"] if c["source"] == "evidence-doc"] == [
        {
            "source": "evidence-doc",
            "title": "Evidence document",
            "publisher": "Evidence Publisher",
            "url": "https://evidence.example.org/doc",
            "published_on": "2020-11-05",
            "language": "en",
            "passage": "Hundreds were tortured.",
            "translation": "",
            "locator": "p. 4",
            "stance": "supports",
            "accessed_on": "2026-11-20",
            "archived_url": "",
            "original_words": "",
            "article_words": "",
            "wording_difference": "",
            "capture": None,  # we hold no capture of this page (README, "Evidence captures")
        }
    ]
    assert (data["fidelity"], data["fidelity_label"]) == ("not_applicable", "Not applicable")
    assert data["fidelity_definition"].startswith("The claim is the article's own")
    assert data["fidelity_note"] == "" and data["notes"] == revision.notes
    assert [r["number"] for r in data["revisions"]] == [1]
    assert data["revisions"][0]["changes"] == ["First published as Misleading."]
    assert "approved_by" not in json.dumps(data) and "published_by" not in json.dumps(data)


def test_api_list_filters_like_the_page_and_rejects_bad_values(article, newsroom, client):
    claims = list(Claim.objects.filter(source=article).order_by("quote_start")[:4])
    for claim, verdict in zip(
        claims,
        [Verdict.ACCURATE, Verdict.MISLEADING, Verdict.MISLEADING, Verdict.MIXED],
        strict=True,
    ):
        newsroom.publish(claim, verdict=verdict)

    data = client.get("/api/claims/?verdict=misleading").json()
    assert data["count"] == 2
    assert {c["slug"] for c in data["results"]} == {claims[1].slug, claims[2].slug}
    assert client.get(f"/api/claims/?source={ARTICLE_SLUG}&page_size=1").json()["next"]
    by_speaker = client.get("/api/claims/", {"attributed_to": claims[0].attributed_to}).json()
    assert all(c["attributed_to"] == claims[0].attributed_to for c in by_speaker["results"])
    worst = client.get("/api/claims/?sort=worst").json()["results"]
    assert [c["verdict"] for c in worst] == ["misleading", "misleading", "mixed", "accurate"]

    bad = client.get("/api/claims/?verdict=false&sort=sideways")
    assert bad.status_code == 400
    assert set(bad.json()) == {"verdict", "sort"}
    assert "not one of the available choices" in bad.json()["verdict"][0]


def test_api_sources_counts_by_verdict(torture, client):
    data = client.get("/api/sources/").json()
    assert data["count"] == 1
    source = data["results"][0]
    assert source["slug"] == ARTICLE_SLUG
    assert source["claims"] == 1
    assert source["verdicts"]["misleading"] == 1 and source["verdicts"]["accurate"] == 0
    assert source["text"] == f"http://testserver/sources/{ARTICLE_SLUG}/text.txt"


def test_openapi_description_is_valid_and_documents_every_field(torture, client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/openapi.json")
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert {"/api/claims/", "/api/claims/{slug}/", "/api/sources/"} <= set(schema["paths"])
    components = schema["components"]["schemas"]
    for name in ("Claim", "ClaimDetail", "Citation", "Revision", "Source", "Article"):
        for field, prop in components[name]["properties"].items():
            assert prop.get("description"), f"{name}.{field} is not documented"
    parameters = {p["name"] for p in schema["paths"]["/api/claims/"]["get"]["parameters"]}
    assert {"q", "verdict", "kind", "source", "attributed_to", "sort", "page"} <= parameters
    # Every field the API returns is described, and nothing undescribed is returned.
    data = client.get(f"/api/claims/{torture.slug}/").json()
    assert set(data) == set(components["ClaimDetail"]["properties"])
    assert set(data["citations"][0]) == set(components["Citation"]["properties"])
    assert set(data["revisions"][0]) == set(components["Revision"]["properties"])


def test_api_reference_page_lists_fields_from_the_schema(client):
    text = client.get("/api/").content.decode()
    for field in ("claimReviewed", "quote_start", "rating_value", "attributed_to", "accessed_on"):
        if field != "claimReviewed":
            assert f"<code>{field}</code>" in text


def test_claim_annotation_follows_the_w3c_model_and_its_offsets_hold(torture, client):
    response = client.get(f"/claims/{torture.slug}/annotation.jsonld")

    assert response["Content-Type"] == (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    note = response.json()
    revision = torture.live_revision
    assert note["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert note["type"] == "Annotation"
    assert note["id"] == f"http://testserver/claims/{torture.slug}/annotation.jsonld"
    assert note["motivation"] == "assessing"
    assert note["creator"] == {"type": "Organization", "name": "Fact-check tracker"}
    assert note["body"][0]["value"] == f"Misleading: {revision.statement}"
    assert note["body"][2]["value"] == "Fidelity to its source: Not applicable."
    target = note["target"]
    assert target["source"] == f"http://testserver/sources/{ARTICLE_SLUG}/text.txt"
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": revision.quote,
        "prefix": revision.quote_prefix,
        "suffix": revision.quote_suffix,
    }
    assert position["type"] == "TextPositionSelector"
    # The selectors point at the same words in the text the target names.
    text = client.get(f"/sources/{ARTICLE_SLUG}/text.txt").content.decode()
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert text[: position["start"]].endswith(quote["prefix"])
    assert text[position["end"] :].startswith(quote["suffix"])


def test_source_annotation_collection_pages(article, newsroom, client, settings):
    from factcheck.public import exports

    for claim in Claim.objects.filter(source=article).order_by("quote_start")[:3]:
        newsroom.publish(claim)
    exports.ANNOTATIONS_PER_PAGE, saved = 2, exports.ANNOTATIONS_PER_PAGE
    try:
        collection = client.get(f"/sources/{ARTICLE_SLUG}/annotations.jsonld").json()
        second = client.get(f"/sources/{ARTICLE_SLUG}/annotations.jsonld?page=2").json()
    finally:
        exports.ANNOTATIONS_PER_PAGE = saved
    base = f"http://testserver/sources/{ARTICLE_SLUG}/annotations.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 3
    assert collection["last"] == f"{base}?page=2"
    first = collection["first"]
    assert first["type"] == "AnnotationPage" and first["partOf"]["id"] == base
    assert first["next"] == f"{base}?page=2" and first["startIndex"] == 0
    assert [a["type"] for a in first["items"]] == ["Annotation", "Annotation"]
    assert "@context" not in first["items"][0]
    assert second["startIndex"] == 2 and len(second["items"]) == 1
    assert second["prev"] == f"{base}?page=1"


def test_csl_json_for_the_article_and_for_a_claims_evidence(torture, client):
    response = client.get(f"/sources/{ARTICLE_SLUG}/csl.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    [item] = response.json()
    assert item == {
        "id": ARTICLE_SLUG,
        "type": "report",
        "genre": "News release",
        "title": "Belarus: Expert Report Calls for International Inquiry into Torture",
        "publisher": "Human Rights Watch",
        "issued": {"date-parts": [[2020, 11, 6]]},
        "language": "en",
        "publisher-place": "Berlin",
    }
    items = client.get(f"/claims/{torture.slug}/citations.csl.json").json()
    (evidence,) = [item for item in items if item["id"] == "evidence-doc"]
    assert evidence["title"] == "Evidence document"
    assert evidence["issued"] == {"date-parts": [[2020, 11, 5]]}
    assert evidence["accessed"] == {"date-parts": [[2026, 11, 20]]}
    assert evidence["URL"] == "https://evidence.example.org/doc"


def test_csv_export_has_one_row_per_published_claim_and_takes_the_filters(
    torture, article, newsroom, client
):
    newsroom.publish(Claim.objects.get(slug="report-documents-election-fraud"))

    response = client.get("/claims.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 2
    row = next(r for r in rows if r["slug"] == torture.slug)
    assert row["statement"] == torture.live_revision.statement
    assert row["quote"] == torture.live_revision.quote  # narrow no-break spaces kept
    assert row["verdict"] == "misleading" and row["rating_value"] == "2"
    assert row["citation_urls"].split() == [
        c["url"] for c in torture.live_revision.citations if c["url"]
    ]
    assert "https://evidence.example.org/doc" in row["citation_urls"].split()

    filtered = client.get("/claims.csv?verdict=misleading")
    assert (
        len(
            list(
                csv.DictReader(
                    io.StringIO(b"".join(filtered.streaming_content).decode().lstrip("\ufeff"))
                )
            )
        )
        == 1
    )
    assert client.get("/claims.csv?verdict=nonsense").status_code == 400
