"""Public pages cost a constant number of queries and answer repeat requests with 304."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Claim
from factcheck.ratings import Verdict
from tests.bulk import publish_many
from tests.conftest import ARTICLE_SLUG

pytestmark = pytest.mark.django_db

THOUSANDS = 2000


@pytest.fixture
def published_desk(article, newsroom):
    """One claim through the workflow (with a correction), the rest in bulk."""
    claim = newsroom.publish(
        Claim.objects.get(slug="hundreds-subjected-to-torture"), verdict=Verdict.MISLEADING
    )
    newsroom.correct(claim, verdict=Verdict.MIXED, rationale="Partly.", note="New evidence.")
    return claim


def grow(article, newsroom, count):
    publish_many(
        article,
        count,
        quote="the Belarusian government should cancel the results",
        start=article.text.index("the Belarusian government should cancel the results"),
        approver=newsroom.factchecker,
        publisher=newsroom.editor,
    )


def pages(claim):
    return [
        "/",
        "/claims/",
        "/claims/?verdict=mixed&sort=best",
        "/claims/?q=torture",
        "/claims/?page=3",
        f"/claims/{claim.slug}/",
        "/sources/",
        f"/sources/{ARTICLE_SLUG}/",
        "/methodology/",
        "/corrections.atom",
        "/api/",
        "/api/claims/",
        "/api/claims/?verdict=mixed",
        f"/api/claims/{claim.slug}/",
        "/api/sources/",
        f"/claims/{claim.slug}/annotation.jsonld",
        f"/claims/{claim.slug}/citations.csl.json",
        f"/sources/{ARTICLE_SLUG}/csl.json",
        f"/sources/{ARTICLE_SLUG}/text.txt",
        "/robots.txt",
    ]


def query_counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_queries_per_page_do_not_grow_with_thousands_of_claims(
    published_desk, article, newsroom, client
):
    grow(article, newsroom, 100)
    small = query_counts(client, pages(published_desk))
    grow(article, newsroom, THOUSANDS)
    assert Claim.objects.published().count() > THOUSANDS
    large = query_counts(client, pages(published_desk))

    assert large == small
    # And the budgets themselves stay small.
    assert max(large.values()) <= 5, large
    assert large[f"/claims/{published_desk.slug}/"] == 3  # state, claim, revision log
    assert large[f"/sources/{ARTICLE_SLUG}/"] == 3  # state, source, its claims


def test_sitemap_and_exports_stream_in_a_constant_number_of_queries(
    published_desk, article, newsroom, client
):
    grow(article, newsroom, 50)
    small = query_counts(client, ["/sitemap.xml", "/claims.csv"])
    grow(article, newsroom, 1500)
    assert query_counts(client, ["/sitemap.xml", "/claims.csv"]) == small


def test_every_public_answer_has_validators_and_a_repeat_request_answers_304(
    published_desk, client
):
    urls = [
        *pages(published_desk),
        "/claims.csv",
        "/sitemap.xml",
        "/api/openapi.json",
        f"/sources/{ARTICLE_SLUG}/annotations.jsonld",
    ]
    for url in urls:
        first = client.get(url)
        assert first.has_header("ETag") and first.has_header("Last-Modified"), url
        assert "must-revalidate" in first["Cache-Control"], url
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert len(queries) == 1, url  # the state query only: nothing is rendered
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304, url


def test_publishing_or_withdrawing_changes_the_etag(published_desk, article, newsroom, client):
    before = client.get("/claims/")["ETag"]
    newsroom.publish(Claim.objects.get(slug="report-documents-election-fraud"))
    after_publishing = client.get("/claims/")
    assert after_publishing["ETag"] != before
    assert client.get("/claims/", headers={"if-none-match": before}).status_code == 200

    newsroom.withdraw(published_desk, reason="Withdrawn for the test.")
    assert client.get("/claims/")["ETag"] != after_publishing["ETag"]


def test_an_edit_under_review_does_not_change_what_readers_get(published_desk, newsroom, client):
    before = client.get(f"/claims/{published_desk.slug}/")
    newsroom.edit(published_desk, statement="A pending rewording")
    again = client.get(f"/claims/{published_desk.slug}/", headers={"if-none-match": before["ETag"]})
    assert again.status_code == 304
