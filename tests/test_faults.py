"""Faults during a run (issue 11, "Load and fault tests"): a gunicorn worker
killed, PostgreSQL restarted, Redis restarted, while readers read and an editor
saves through the admin. Expected: the service comes back by itself; meanwhile
readers get 503 with Retry-After (never a 500); no save is half-written.

Restarting PostgreSQL and Redis disturbs everything else using them on the
machine, so this runs only when asked: FAULT_TESTS=1 (.ci/run does).
"""

import os
import shutil
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection

from factcheck.models import Claim
from tests import servers
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("FAULT_TESTS") != "1",
        reason="restarts PostgreSQL and Redis for everyone on the machine: set FAULT_TESTS=1",
    ),
    pytest.mark.skipif(
        not servers.redis_is_up(),
        reason=f"needs Redis on {servers.REDIS_HOST}:{servers.REDIS_PORT} (the shared cache)",
    ),
    pytest.mark.skipif(
        not shutil.which("pg_ctlcluster") or not os.path.isdir("/etc/postgresql"),
        reason="needs a local PostgreSQL cluster it may restart (pg_ctlcluster)",
    ),
]

READERS = 8
PAGES = ["/claims/", "/api/claims/", "/claims/steady-claim/"]


@dataclass
class Answer:
    at: float
    path: str
    status: int | None  # None: the connection dropped
    retry_after: str | None


def _read(server, stop, answers):
    browser = servers.Browser(server, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        path = PAGES[n % len(PAGES)]
        try:
            status, headers, _ = browser.get(path)
        except OSError:  # a worker killed mid-answer drops its connection
            browser.close()
            answers.append(Answer(time.monotonic(), path, None, None))
            time.sleep(0.05)
            continue
        answers.append(Answer(time.monotonic(), path, status, headers.get("Retry-After")))
        if status != 200:
            time.sleep(0.05)


def _save(server, cookies, claim, stop, outcomes):
    """Save the claim again and again; note each save's reason and the answer."""
    browser = servers.Browser(server, timeout=30)
    browser.cookies = dict(cookies)
    n = 0
    while not stop.is_set():
        n += 1
        reason = f"Fault test: save {n}"
        statement = f"Synthetic statement, save {n}"
        try:
            status, saved = browser.edit(claim.pk, reason, statement=statement)
            status = "saved" if saved else status
        except AssertionError:  # the form itself could not be loaded (503)
            status = "form unavailable"
        except OSError:
            browser.close()
            status = "dropped"
        outcomes.append((reason, statement, status))
        time.sleep(0.1)


def _steady(server, seconds: float = 3) -> Counter:
    """Statuses of the answers to a few seconds of reading, after recovery."""
    browser = servers.Browser(server)
    statuses = Counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in PAGES:
            statuses[browser.get(path)[0]] += 1
    return statuses


@pytest.fixture
def server(django_db_setup, tmp_path):
    servers.flush_cache()
    app = servers.AppServer("faults", servers.database_url(connection), log_dir=tmp_path)
    app.start()
    yield app
    app.stop()
    servers.flush_cache()


def test_the_service_recovers_by_itself_from_a_killed_worker_and_restarted_databases(
    server, newsroom
):
    newsroom.publish(ClaimFactory(slug="steady-claim"))
    draft = ClaimFactory(slug="saved-during-faults")
    newsroom.researcher.password = servers.server_password()
    newsroom.researcher.save(update_fields=["password"])
    login = servers.Browser(server)
    assert login.login(newsroom.researcher.username) == 302

    stop, answers, outcomes = threading.Event(), [], []
    threads = [
        threading.Thread(target=_read, args=(server, stop, answers), daemon=True)
        for _ in range(READERS)
    ]
    threads.append(
        threading.Thread(
            target=_save, args=(server, login.cookies, draft, stop, outcomes), daemon=True
        )
    )
    for thread in threads:
        thread.start()
    events = {}
    try:
        time.sleep(2)
        # 1. A worker dies (out of memory, a bug): the master starts another.
        before = server.worker_pids()
        os.kill(before[0], signal.SIGKILL)
        events["worker killed"] = time.monotonic()
        servers._wait(
            lambda: len(set(server.worker_pids()) - {before[0]}) == len(before),
            "a new worker",
        )
        time.sleep(2)
        # 2. PostgreSQL restarts (an upgrade, a failover): persistent connections break.
        events["postgresql restart"] = time.monotonic()
        servers.restart_postgresql()
        events["postgresql back"] = time.monotonic()
        time.sleep(3)
        # 3. Redis restarts, empty.
        events["redis restart"] = time.monotonic()
        servers.restart_redis()
        events["redis back"] = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        connection.close()  # this process's own connection died with the restart too

    statuses = Counter(answer.status for answer in answers)
    print(f"\n{len(answers)} answers: {dict(statuses)}; saves: ", end="")
    print(dict(Counter(status for _, _, status in outcomes)))
    assert not [a for a in answers if a.status is not None and a.status >= 500 and a.status != 503]
    assert all(a.retry_after for a in answers if a.status == 503)
    dropped = [a.at for a in answers if a.status is None]
    # Only the answers the killed worker was writing are lost, nothing after.
    assert all(at < events["worker killed"] + 5 for at in dropped), dropped

    steady = _steady(server)
    assert set(steady) == {200}, steady  # back without anyone restarting anything

    # Nothing half-written: every save is in the history whole (one record, its
    # words) or not at all; every accepted one is; one never sent (its form could
    # not be loaded) is not. A save whose answer was lost (the worker killed, or
    # the database gone between its commit and the answer) may be either.
    applied = []
    for reason, statement, status in outcomes:
        records = list(Claim.history.filter(id=draft.pk, history_change_reason=reason))
        assert [r.statement for r in records] in ([], [statement]), (reason, status)
        if status == "saved":
            assert records, (reason, "accepted, but not in the history")
        elif status == "form unavailable":
            assert records == [], (reason, status)
        if records:
            applied.append(statement)
    assert applied and Claim.objects.get(pk=draft.pk).statement == applied[-1]
    assert server.log().count("Booting worker") > server.workers  # the master replaced one
