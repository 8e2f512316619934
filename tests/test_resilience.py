"""When a dependency fails: the database down is a clear 503 with Retry-After, the
cache down or hanging only costs rendering, and a broken fixture loads nothing
(issue 11, "Load and fault tests")."""

import json
import logging
import socket
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from factcheck.cache_url import parse_cache_url
from factcheck.models import Claim, FixtureRecord, Source
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query from now on fails as it does while PostgreSQL restarts."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    def install():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return install


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Temporarily unavailable" in body and "try again in a moment" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.parametrize("address", ["/", "/claims/", "/api/claims/", "/claims/some-claim/"])
def test_public_pages_answer_503_with_retry_after_while_the_database_is_down(
    client, claim, database_down, address
):
    client.raise_request_exception = False
    database_down()
    assert_unavailable(client.get(address))


def test_the_desk_answers_503_while_the_database_is_down_even_before_any_view(
    client, superuser, claim, database_down
):
    client.raise_request_exception = False
    client.force_login(superuser)
    database_down()  # the session itself can no longer be read, in the middleware
    assert_unavailable(client.get("/admin/factcheck/claim/"))
    assert_unavailable(client.post(f"/admin/factcheck/claim/{claim.pk}/change/", {"x": "y"}))


def test_any_other_server_error_is_still_a_500(client, monkeypatch):
    from factcheck.models import PublicState

    def broken():
        raise RuntimeError("a bug, not the database")

    monkeypatch.setattr(PublicState, "read", staticmethod(broken))
    client.raise_request_exception = False
    response = client.get("/methodology/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _warnings(caplog):
    return [r for r in caplog.records if r.name == "factcheck.caching"]


@pytest.fixture
def published(newsroom):
    return newsroom.publish(ClaimFactory())


def test_pages_render_when_redis_refuses_and_each_failure_is_logged_once(
    client, published, settings, caplog
):
    claim = published
    from django.core.cache import caches

    settings.CACHES = {"default": parse_cache_url("redis://127.0.0.1:1/0")}  # nothing listens
    try:
        with caplog.at_level(logging.WARNING, logger="factcheck.caching"):
            first = client.get("/claims/")
            second = client.get(f"/claims/{claim.slug}/")
    finally:
        del caches["default"]
    assert first.status_code == 200 and second.status_code == 200
    assert claim.slug in first.content.decode()
    warnings = _warnings(caplog)
    assert len(warnings) == 2  # one per failing request, no traceback
    assert warnings[0].levelno == logging.WARNING and warnings[0].exc_info is None
    assert "rendering without it" in warnings[0].getMessage()


# How long the hung Redis below holds a connection before closing it: longer than
# our timeout (1 s, factcheck.cache_url), shorter than redis-py's default (5 s), so
# the error says which side gave up first.
HANG_SECONDS = 3


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers: a hung Redis. It
    closes each connection after HANG_SECONDS: a client that waits longer than
    that sees "connection closed" instead of its own timeout."""
    listener = socket.create_server(("127.0.0.1", 0))

    def hold(connection):
        threading.Event().wait(HANG_SECONDS)
        connection.close()

    def accept():
        while True:
            try:
                connection = listener.accept()[0]
            except OSError:
                return
            threading.Thread(target=hold, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def test_a_redis_that_hangs_times_out_and_the_page_still_renders(
    client, published, settings, caplog, silent_redis
):
    from django.core.cache import caches

    settings.CACHES = {"default": parse_cache_url(silent_redis)}
    try:
        with caplog.at_level(logging.WARNING, logger="factcheck.caching"):
            response = client.get("/claims/")
    finally:
        del caches["default"]
    assert response.status_code == 200
    assert published.slug in response.content.decode()
    (warning,) = _warnings(caplog)
    assert "Timeout" in warning.getMessage()  # the client gave up, not the server


def _write(tmp_path, text):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    return str(path)


SOURCE = {
    "model": "factcheck.source",
    "fields": {
        "key": "synthetic-source",
        "slug": "synthetic-source",
        "title": "Synthetic source for a broken-fixture test",
        "kind": "report",
    },
}


@pytest.mark.parametrize(
    "text, explanation",
    [
        ('[{"model": "factcheck.source", "fields": {"title": "cut sh', "line 1 column"),
        (json.dumps([SOURCE, {"model": "factcheck.nosuchmodel", "fields": {}}]), "nosuchmodel"),
        (
            json.dumps([SOURCE, {"model": "factcheck.claim", "pk": "not-a-number", "fields": {}}]),
            "not-a-number",
        ),
    ],
    ids=["cut-short", "unknown-model", "wrong-type"],
)
def test_a_broken_fixture_is_a_clear_error_and_loads_nothing(tmp_path, text, explanation):
    with pytest.raises(CommandError) as refused:
        call_command("loaddata", _write(tmp_path, text), verbosity=0)
    message = str(refused.value)
    assert "broken.json" in message and explanation in message
    assert message.endswith("Nothing was loaded.")
    assert not Source.objects.exists() and not Source.history.exists()
    assert not Claim.objects.exists() and not FixtureRecord.objects.exists()
