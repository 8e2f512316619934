"""Each open format passes its own official validator.

- W3C Web Annotations: every "must" assertion of the W3C web-annotation-tests
  (annotation, collection and page lists), as JSON schemas.
- CSL-JSON: the Citation Style Language's own schema, csl-data.json.
- Atom: the RELAX NG schema of RFC 4287 (Appendix B), plus the RFC's rules the
  schema cannot express.
- The JSON API: live answers checked against its OpenAPI document by openapi-core.

HTML pages are checked by the Nu Html Checker in test_html_checker.py, and for
accessibility by axe-core in test_accessibility.py.
"""

import pytest

from factcheck.history import recorded_change
from factcheck.models import Claim
from factcheck.ratings import Verdict
from tests.conftest import ARTICLE_SLUG, publish_with_evidence
from tests.factories import CitationFactory, SourceFactory
from tests.validators import (
    annotation_collection_failures,
    atom_errors,
    csl_errors,
    openapi_response_errors,
    web_annotation_failures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def torture(article, newsroom):
    return publish_with_evidence(newsroom, Verdict.MISLEADING, "It overstates.")


# W3C Web Annotations


def test_the_w3c_suite_rejects_a_web_resource_body_with_a_purpose(torture, client):
    # The validator is live: the body shape the suite forbids (rule 3.3.5) fails it.
    note = client.get(f"/claims/{torture.slug}/annotation.jsonld").json()
    note["body"].append({"id": "http://example.org/page", "type": "Text", "purpose": "describing"})
    assert [f.split(":")[0] for f in web_annotation_failures(note, "annotation")] == [
        "3.3.5-bodyEWRNoPurpose.json"
    ]


def test_claim_annotation_passes_every_w3c_must_assertion(torture, client):
    note = client.get(f"/claims/{torture.slug}/annotation.jsonld").json()

    assert web_annotation_failures(note, "annotation") == []
    # The claim's page is still linked from the annotation, as a described resource.
    (page,) = [body for body in note["body"] if body.get("purpose") == "describing"]
    assert page["type"] == "SpecificResource"
    assert page["source"]["id"] == f"http://testserver/claims/{torture.slug}/"


def test_orphaned_claims_annotation_passes_every_w3c_must_assertion(torture, client):
    source = torture.source
    source.text = source.text.replace(torture.quote, "words the article no longer has")
    with recorded_change(reason="The publisher rewrote the passage"):
        source.save()
    torture.refresh_from_db()
    assert torture.orphaned

    note = client.get(f"/claims/{torture.slug}/annotation.jsonld").json()

    assert [s["type"] for s in note["target"]["selector"]] == ["TextQuoteSelector"]
    assert web_annotation_failures(note, "annotation") == []


def test_annotation_collection_of_several_pages_passes_every_w3c_must_assertion(
    article, newsroom, client, monkeypatch
):
    from factcheck.public import exports

    for claim in Claim.objects.filter(source=article).order_by("quote_start")[:5]:
        newsroom.publish(claim)
    monkeypatch.setattr(exports, "ANNOTATIONS_PER_PAGE", 2)
    base = f"/sources/{ARTICLE_SLUG}/annotations.jsonld"

    collection = client.get(base).json()
    pages = [client.get(f"{base}?page={n}").json() for n in (1, 2, 3)]

    assert collection["total"] == 5 and [len(p["items"]) for p in pages] == [2, 2, 1]
    assert annotation_collection_failures(collection, pages) == []


# CSL-JSON


def test_article_csl_json_passes_the_csl_schema(torture, client):
    items = client.get(f"/sources/{ARTICLE_SLUG}/csl.json").json()
    assert csl_errors(items) == []


def test_evidence_cited_twice_is_one_csl_item_with_its_author_and_type(article, newsroom, client):
    from factcheck.models import SourceKind

    claim = Claim.objects.get(slug="hundreds-subjected-to-torture")
    report = SourceFactory(
        slug="un-expert-report",
        title="Report of the Special Rapporteur",
        kind=SourceKind.REPORT,
        byline="Anaïs Marin",
        publisher="United Nations",
    )
    for locator in ("para. 12", "para. 31"):
        CitationFactory(
            claim=claim, source=report, passage="Torture was reported.", locator=locator
        )
    news = SourceFactory(slug="news-story", title="A news story", kind=SourceKind.NEWS_ARTICLE)
    CitationFactory(claim=claim, source=news, passage="Torture was reported.", locator="")
    newsroom.publish(claim, verdict=Verdict.ACCURATE, rationale="Two sources say so.")

    items = client.get(f"/claims/{claim.slug}/citations.csl.json").json()

    assert csl_errors(items) == []
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "citeproc keeps one item per id"
    by_id = {item["id"]: item for item in items}
    assert by_id["un-expert-report"]["type"] == "report"
    assert by_id["un-expert-report"]["author"] == [{"literal": "Anaïs Marin"}]
    assert by_id["un-expert-report"]["locator"] == "para. 12; para. 31"
    assert by_id["news-story"]["type"] == "article-newspaper"
    assert "author" not in by_id["news-story"]


# Atom

ATOM = "{http://www.w3.org/2005/Atom}"


def displayed_text(element) -> str:
    """What a feed reader shows for an Atom text construct (RFC 4287 §3.1)."""
    import lxml.html

    if element.get("type", "text") == "text":
        return element.text
    assert element.get("type") == "html", "only text and html are used"
    return lxml.html.fragment_fromstring(element.text, create_parent="div").text_content()


def test_corrections_feed_passes_the_atom_schema_and_rfc_rules(torture, article, newsroom, client):
    from urllib.parse import urlsplit

    from lxml import etree

    note = "The annex says <em>hundreds</em> & more."
    newsroom.correct(torture, verdict=Verdict.ACCURATE, rationale="The annex.", note=note)
    withdrawn = newsroom.publish(Claim.objects.get(slug="report-documents-election-fraud"))
    newsroom.withdraw(withdrawn, reason="Published <b>by mistake</b>.")

    response = client.get("/corrections.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_errors(response.content) == []
    feed = etree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    # RFC 4287 §4.2.6: an id is an absolute IRI, and each entry's is its own.
    ids = [feed.findtext(f"{ATOM}id")] + [e.findtext(f"{ATOM}id") for e in entries]
    assert all(urlsplit(i).scheme and urlsplit(i).netloc for i in ids), ids
    assert len(set(ids)) == len(ids)
    # Notes are plain text: a reader sees their words, tags and all, never markup.
    summaries = [displayed_text(e.find(f"{ATOM}summary")) for e in entries]
    assert any(note in summary for summary in summaries), summaries
    assert any("Published <b>by mistake</b>." in summary for summary in summaries), summaries


# The JSON API and its OpenAPI document


def test_every_api_answer_is_described_by_the_openapi_document(torture, article, newsroom, client):
    withdrawn = newsroom.publish(Claim.objects.get(slug="report-documents-election-fraud"))
    newsroom.withdraw(withdrawn, reason="Published by mistake.")
    document = client.get("/api/openapi.json").json()
    answers = {
        "/api/claims/": 200,
        "/api/claims/?verdict=misleading&q=torture&sort=newest&page_size=1": 200,
        "/api/claims/?verdict=nonsense": 400,
        "/api/claims/?source=no-such-article&sort=sideways": 400,
        "/api/claims/?page=99": 404,
        f"/api/claims/{torture.slug}/": 200,
        "/api/claims/no-such-claim/": 404,
        f"/api/claims/{withdrawn.slug}/": 404,
        "/api/sources/": 200,
        "/api/sources/?page=99": 404,
    }
    problems = {}
    for url, status in answers.items():
        response = client.get(url)
        assert response.status_code == status, (url, response.content[:300])
        errors = openapi_response_errors(document, response)
        if errors:
            problems[url] = errors
    assert problems == {}
