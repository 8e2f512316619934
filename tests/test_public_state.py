"""The public state and the cache of rendered public answers (issue 11).

One row's version moves with every publication, withdrawal and source edit;
ETags and cached pages are keyed by it, so a repeat request costs one
primary-key read at any size, and nobody is served a page from before a
change once it has committed.
"""

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import workflow
from factcheck.cache_url import parse_cache_url
from factcheck.history import bulk_update_with_history, recorded_change
from factcheck.models import Claim, PublicState, Source
from tests.bulk import publish_many

pytestmark = pytest.mark.django_db

TORTURE = "hundreds-subjected-to-torture"


@pytest.fixture
def torture(article, newsroom):
    return newsroom.publish(Claim.objects.get(slug=TORTURE))


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


PAGES = [
    "/",
    "/claims/",
    "/claims/?q=torture",
    f"/claims/{TORTURE}/",
    "/sources/hrw-2020-11-06-belarus-expert-report-torture-inquiry/",
    "/api/claims/",
    f"/api/claims/{TORTURE}/",
    "/corrections.atom",
    f"/claims/{TORTURE}/annotation.jsonld",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_repeated_page_is_served_from_the_cache_with_one_read(torture, client, url):
    first, _ = queries(client, url)
    again, count = queries(client, url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert count == 1  # the public state's row, nothing else


@pytest.mark.parametrize("url", PAGES)
def test_a_conditional_request_costs_one_read_whatever_the_size(
    torture, article, newsroom, client, url
):
    etag = client.get(url)["ETag"]
    response, count = queries(client, url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, count) == (304, 1)
    publish_many(
        article,
        500,
        quote="the Belarusian government should cancel the results",
        start=article.text.index("the Belarusian government should cancel the results"),
        approver=newsroom.factchecker,
        publisher=newsroom.editor,
    )
    etag = client.get(url)["ETag"]
    response, count = queries(client, url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, count) == (304, 1)


def test_nobody_gets_a_cached_page_of_a_claim_after_its_withdrawal(torture, newsroom, client):
    assert client.get(f"/claims/{TORTURE}/").status_code == 200
    assert TORTURE in client.get("/claims/").content.decode()
    workflow.unpublish(torture, user=newsroom.editor, reason="The report was retracted.")
    withdrawn = client.get(f"/claims/{TORTURE}/")
    assert withdrawn.status_code == 404 and "retracted" in withdrawn.content.decode()
    assert f"/claims/{TORTURE}/" not in client.get("/claims/").content.decode()
    assert client.get(f"/api/claims/{TORTURE}/").status_code == 404


def test_a_source_edit_reaches_the_cached_pages_at_once(torture, client):
    url = "/sources/hrw-2020-11-06-belarus-expert-report-torture-inquiry/"
    assert "Belarus: Expert Report" in client.get(url).content.decode()
    source = Source.objects.get(pk=torture.source_id)
    source.title = "Belarus: a retitled release"
    with recorded_change(reason="Retitled"):
        source.save()
    assert "Belarus: a retitled release" in client.get(url).content.decode()
    source = Source.objects.get(pk=source.pk)
    source.title = "Belarus: bulk retitled"
    before = PublicState.read()[0]
    bulk_update_with_history([source], Source, ["title"], reason="Bulk retitle")
    assert PublicState.read()[0] == before + 1
    assert "Belarus: bulk retitled" in client.get(url).content.decode()


def test_a_pending_edit_keeps_the_cached_public_page(torture, newsroom, client):
    page = client.get(f"/claims/{TORTURE}/").content
    version = PublicState.read()[0]
    newsroom.edit(torture, reason="Pending", statement="A pending rewording")
    assert PublicState.read()[0] == version  # nothing public changed
    assert client.get(f"/claims/{TORTURE}/").content == page


def test_an_error_page_is_never_cached(client, db):
    client.get("/claims/no-such-claim/")
    assert client.get("/claims/no-such-claim/").status_code == 404
    _, count = queries(client, "/claims/no-such-claim/")
    assert count > 1  # rendered again, not served from the cache


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/3", "factcheck.redis_cache.SharedClientRedisCache"),
        ("rediss://cache.example.org:6380/0", "factcheck.redis_cache.SharedClientRedisCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_picks_the_backend(url, backend):
    assert parse_cache_url(url)["BACKEND"] == backend


def test_an_unknown_cache_url_is_refused_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="locmem://, redis://"):
        parse_cache_url("memcached://127.0.0.1:11211")


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_every_app_server_shares_the_rendered_pages(torture, client, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": parse_cache_url("redis://127.0.0.1:6379/15")}
    caches["default"].clear()
    url = f"/claims/{TORTURE}/"
    first = client.get(url)
    # Another app server: a new process's cache connection, the same Redis.
    del caches["default"]
    again, count = queries(client, url)
    assert (again.content, count) == (first.content, 1)
    caches["default"].clear()


def _counts_rows(captured) -> bool:
    return any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_the_whole_claim_list_is_counted_with_the_public_state_not_on_each_request(
    torture, article, newsroom, client
):
    """The count of every public claim comes with the public state's row, kept by
    publish and withdraw in their own transactions; only a filter that leaves
    claims out makes the page count rows."""
    other = newsroom.publish(Claim.objects.get(slug="report-documents-election-fraud"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/claims/")
    assert response.context["page"].paginator.count == 2
    assert b"2 claims" in response.content
    assert not _counts_rows(captured)
    with CaptureQueriesContext(connection) as captured:
        client.get("/claims/?page=1")  # not cached; the filters' choices are
    assert len(captured) == 2  # the public state, the page of claims

    workflow.unpublish(other, user=newsroom.editor, reason="Withdrawn for a test.")
    assert PublicState.read().published_claims == 1
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/claims/?sort=newest")  # an order leaves nothing out
    assert response.context["page"].paginator.count == 1
    assert not _counts_rows(captured)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/claims/?verdict=mixed")
    assert response.context["page"].paginator.count == 0
    assert _counts_rows(captured)
    api = client.get("/api/claims/").json()
    assert api["count"] == 1


def test_the_filters_offer_what_is_public_now_and_read_it_once_per_public_state(
    torture, article, newsroom, client
):
    """The articles and the people the filters offer follow publications and
    withdrawals at once, and are read once per public state, not per request."""
    from django.core.cache import caches

    evidence = Source.objects.exclude(pk=torture.source_id).first()
    assert evidence is not None
    assert f'value="{evidence.slug}"'.encode() not in client.get("/claims/").content

    caches["default"].clear()
    _, count = queries(client, "/claims/?page=1")
    assert count == 2  # the choices were read by the first request in this state

    workflow.unpublish(torture, user=newsroom.editor, reason="Withdrawn for a test.")
    page = client.get("/claims/").content
    assert f'value="{torture.source.slug}"'.encode() not in page
    assert torture.attributed_to.encode() not in page


def test_the_redis_cache_keeps_one_client_for_every_call(settings):
    """Building a Redis client per call cost as much as a cached page's whole
    cache read: the backend keeps one per connection pool."""
    from django.utils.module_loading import import_string

    config = parse_cache_url("redis://127.0.0.1:6379/3")
    backend = import_string(config["BACKEND"])(config["LOCATION"], {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool
