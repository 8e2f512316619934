"""Two app servers, one PostgreSQL, one Redis (issue 11, "Several app servers").

Two real gunicorn instances, A and B, as a proxy would run them: what one
publishes or withdraws, the other serves on its very next request; a session
made on one is valid on the other; failed logins are counted across both.
"""

import pytest
from django.db import connection

from factcheck.models import Claim, ClaimStatus
from tests import servers
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not servers.redis_is_up(),
        reason=f"needs Redis on {servers.REDIS_HOST}:{servers.REDIS_PORT} (the shared cache)",
    ),
]

PAGES = ["/claims/", "/api/claims/"]


@pytest.fixture(scope="module")
def two_servers(django_db_setup, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)")
    servers.flush_cache()
    logs = tmp_path_factory.mktemp("gunicorn")
    database = servers.database_url(connection)
    a = servers.AppServer("a", database, log_dir=logs)
    b = servers.AppServer("b", database, log_dir=logs)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()
    servers.flush_cache()


@pytest.fixture
def desk(newsroom):
    """The newsroom's accounts, with passwords the servers accept."""
    for user in (newsroom.researcher, newsroom.factchecker, newsroom.editor):
        user.password = servers.server_password()
        user.save(update_fields=["password"])
    return newsroom


def served(browser, slug) -> dict:
    """Where ``slug`` shows on the server ``browser`` talks to: page, list, API."""
    status, _, _ = browser.get(f"/claims/{slug}/")
    seen = {"page": status == 200}
    for path in PAGES:
        listed_status, slugs = servers.public_slugs(browser, path)
        assert listed_status == 200, (path, listed_status)
        seen[path] = slug in slugs
    return seen


NOWHERE = {"page": False, "/claims/": False, "/api/claims/": False}
EVERYWHERE = {"page": True, "/claims/": True, "/api/claims/": True}


def test_a_publication_on_one_server_is_served_by_the_other_and_a_withdrawal_everywhere(
    two_servers, desk
):
    a, b = two_servers
    claim = ClaimFactory(slug="published-through-a")
    desk.publish(ClaimFactory(slug="already-public"))  # the lists are not empty before
    desk.cite_evidence(claim)
    from factcheck import workflow

    workflow.submit(claim, user=desk.researcher)
    claim.refresh_from_db()
    workflow.approve(
        claim,
        user=desk.factchecker,
        verdict="accurate",
        rationale="The evidence says so.",
        fidelity="not_applicable",
    )
    reader_b = servers.Browser(b)
    assert served(reader_b, claim.slug) == NOWHERE  # and B has cached those answers

    editor_a = servers.Browser(a)
    assert editor_a.login(desk.editor.username) == 302
    claim.refresh_from_db()
    assert editor_a.step(claim.pk, "publish", note="") == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PUBLISHED

    assert served(reader_b, claim.slug) == EVERYWHERE

    editor_b = servers.Browser(b)
    assert editor_b.login(desk.editor.username) == 302
    assert editor_b.step(claim.pk, "unpublish", reason="Synthetic withdrawal for a test.") == 302

    reader_a = servers.Browser(a)
    for _ in range(20):  # every worker of A, several times over
        assert served(reader_a, claim.slug) == NOWHERE
    assert served(reader_a, "already-public") == EVERYWHERE


def test_a_session_made_on_one_server_is_valid_on_the_other(two_servers, desk):
    a, b = two_servers
    browser = servers.Browser(a)
    assert browser.login(desk.editor.username) == 302
    browser.server = b  # the proxy sends the next request elsewhere
    status, _, page = browser.get("/admin/")
    assert status == 200
    assert desk.editor.username in page
    status, headers, _ = servers.Browser(b).get("/admin/")  # without the cookie: login
    assert status == 302 and "/admin/login/" in headers["Location"]


def test_failed_logins_are_counted_across_servers(two_servers, desk, settings):
    a, b = two_servers
    limit = settings.LOGIN_FAILURE_LIMIT
    name = desk.editor.username
    for attempt in range(limit):
        server = (a, b)[attempt % 2]
        status = servers.Browser(server).login(name, password="wrong-password")
        assert status == (200 if attempt < limit - 1 else 429), attempt
    for server in (a, b):  # locked on both, right password or not
        assert servers.Browser(server).login(name) == 429
