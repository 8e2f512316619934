"""Running in production: health check, request ids in logs, one log line per step,
and the gunicorn configuration (issue 11)."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import OperationalError

from factcheck import workflow
from factcheck.cache_url import parse_cache_url
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_health_says_ok_when_the_database_and_the_cache_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_names_the_cache_when_it_does_not_answer(client, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": parse_cache_url("redis://127.0.0.1:1/0")}  # nothing listens
    try:
        response = client.get("/health/")
    finally:
        del caches["default"]
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_health_names_the_database_when_it_does_not_answer(client, monkeypatch):
    from factcheck.models import PublicState

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(PublicState, "read", staticmethod(down))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_every_answer_and_log_line_carries_the_request_id(client, caplog):
    response = client.get("/claims/", HTTP_X_REQUEST_ID="proxy-id-123")
    assert response["X-Request-ID"] == "proxy-id-123"
    made = client.get("/claims/")["X-Request-ID"]
    assert len(made) == 32 and made != "proxy-id-123"
    hostile = client.get("/claims/", HTTP_X_REQUEST_ID="bad id\nforged line")["X-Request-ID"]
    assert "\n" not in hostile and hostile != "bad id\nforged line"


def test_each_workflow_step_is_logged_with_user_claim_and_states(newsroom, caplog):
    claim = ClaimFactory(slug="logged-claim")
    with caplog.at_level(logging.INFO, logger="factcheck.workflow"):
        workflow.submit(claim, user=newsroom.researcher)
        with pytest.raises(workflow.StepRefused):
            workflow.publish(claim, user=newsroom.editor)
    lines = [r.getMessage() for r in caplog.records if r.name == "factcheck.workflow"]
    assert lines[0] == (f"step submit: claim logged-claim (#{claim.pk}) by rita: Draft → In review")
    assert lines[1].startswith(f"step publish refused: claim logged-claim (#{claim.pk}) by ed:")


def test_log_lines_name_the_request_they_belong_to(rf):
    from django.http import HttpResponse

    from factcheck.request_ids import RequestIdFilter, RequestIdMiddleware

    def record_id():
        record = logging.LogRecord("factcheck", logging.INFO, __file__, 1, "line", None, None)
        RequestIdFilter().filter(record)
        return record.request_id

    seen = {}

    def view(request):
        seen["inside"] = record_id()
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="abc-1"))
    assert seen["inside"] == response["X-Request-ID"] == "abc-1"
    assert record_id() == "-"  # outside any request


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres_only  # the server process needs a database it can reach
@pytest.mark.django_db(transaction=True)
def test_gunicorn_starts_from_the_repositorys_configuration_and_writes_nothing_at_home(
    tmp_path,
):
    port = _free_port()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": _database_url(),
        "FACTCHECK_NO_BOOTSTRAP": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "python:factcheck.gunicorn_conf"]
    server = subprocess.Popen(
        [*command, "factcheck.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok", "database": "ok", "cache": "ok"}
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "sync" in output  # the worker class it was told to use
    assert list(home.iterdir()) == []  # no control socket, nothing else under $HOME


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return f"sqlite:///{settings['NAME']}"


@pytest.mark.parametrize("url", ["/", "/claims/", "/api/claims/", "/admin/login/"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("page", ["400.html", "403.html", "404.html", "500.html", "503.html"])
def test_error_pages_keep_the_content_security_policy(page):
    """No inline style or script: the policy sent with every answer blocks both,
    so an error page with them would show unstyled (or not run them)."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template

    if not (Path(settings.BASE_DIR) / "templates" / page).exists():
        pytest.skip(f"{page}: Django's own page is used")
    html = get_template(page).render({"reason": "test"})
    import re

    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # a script file is allowed
