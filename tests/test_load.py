"""Readers and editors at once, on two app servers (issue 11, "Load and fault tests").

For LOAD_TEST_SECONDS (default 60), 64 reader threads read public pages from
two gunicorn instances sharing PostgreSQL and Redis, while scripted desks log
in to the admin over HTTP and edit, submit, approve, publish and withdraw
claims, and two more editors save the same drafts against each other. Every
answer is recorded with when it was asked and when it came back. Then:

- no answer was a server error (5xx);
- every save the admin accepted is in the end state: exactly one history record
  with its reason and its words, and each claim ends with its last accepted save
  (no save silently overwrote another);
- no reader was ever shown a claim outside the time between the request that
  published it being sent and the answer to the request that withdrew it.

All claims and texts here are synthetic.
"""

import os
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
from django.db import connection

from factcheck.models import Claim
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

SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "60"))
READERS = 64
DESKS = 3  # each takes its own claims round the workflow
CYCLED_PER_DESK = 2
CONTENDED = 2  # drafts two editors save against each other
ALWAYS_PUBLIC = 3


@dataclass
class Answer:
    sent: float
    received: float
    path: str
    status: int
    shown: frozenset  # slugs of the cycled claims the answer showed


@dataclass
class Timeline:
    """When each cycled claim was public, as the desks saw it: from sending the
    publish request to receiving the withdrawal's answer."""

    windows: dict = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def published(self, slug, sent):
        with self.lock:
            self.windows[slug].append([sent, float("inf")])

    def withdrawn(self, slug, received):
        with self.lock:
            self.windows[slug][-1][1] = received

    def could_show(self, slug, sent, received) -> bool:
        with self.lock:
            return any(start <= received and sent <= end for start, end in self.windows[slug])


@pytest.fixture(scope="module")
def two_servers(django_db_setup, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)")
    servers.flush_cache()
    logs = tmp_path_factory.mktemp("gunicorn")
    database = servers.database_url(connection)
    pair = [servers.AppServer(name, database, log_dir=logs) for name in ("a", "b")]
    try:
        for server in pair:
            server.start()
        yield pair
    finally:
        for server in pair:
            server.stop()
    servers.flush_cache()


def _read(pair, slugs, deadline, answers, failures):
    rng = random.Random()
    browser = servers.Browser(rng.choice(pair))
    # The lists show every cycled claim at once; each claim's own page one.
    paths = ["/claims/", "/api/claims/"] * len(slugs) + [f"/claims/{slug}/" for slug in slugs]
    try:
        while time.monotonic() < deadline:
            browser.server = rng.choice(pair)  # the proxy spreads requests
            path = rng.choice(paths)
            sent = time.monotonic()
            if path.startswith("/claims/") and path != "/claims/":
                status, _, _ = browser.get(path)
                shown = {path.split("/")[2]} if status == 200 else set()
            else:
                status, shown = servers.public_slugs(browser, path)
            answers.append(Answer(sent, time.monotonic(), path, status, frozenset(shown & slugs)))
    except Exception as error:  # a dropped connection is a failure too
        failures.append(f"reader: {type(error).__name__}: {error}")


def _sessions(pair, desk) -> dict:
    """Each role's cookies after logging in once through the admin's login page
    (before the clock starts: a login is deliberately slow)."""
    cookies = {}
    for user in (desk.researcher, desk.factchecker, desk.editor):
        browser = servers.Browser(pair[0])
        assert browser.login(user.username) == 302, f"{user.username} could not log in"
        cookies[user.username] = dict(browser.cookies)
    return cookies


def _as(server, cookies, user):
    """A browser of its own (a connection) holding ``user``'s session."""
    browser = servers.Browser(server)
    browser.cookies = dict(cookies[user.username])
    return browser


def _desk(number, pair, desk, cookies, claims, deadline, timeline, saves, failures):
    """Edit, submit, approve, publish, withdraw: each of ``claims`` in turn, for ever."""
    try:
        researcher = _as(pair[number % 2], cookies, desk.researcher)
        factchecker = _as(pair[(number + 1) % 2], cookies, desk.factchecker)
        editor = _as(pair[number % 2], cookies, desk.editor)
        round_ = 0
        while time.monotonic() < deadline:
            round_ += 1
            for claim in claims:
                reason = f"Load test: desk {number}, round {round_}"
                statement = f"Synthetic statement {claim.slug} {round_}"
                status, saved = researcher.edit(claim.pk, reason, statement=statement)
                assert saved, f"edit of {claim.slug} answered {status}"
                saves.append((claim.pk, reason, statement, researcher.last_posted["seen_version"]))
                assert researcher.step(claim.pk, "submit") == 302
                assert (
                    factchecker.step(
                        claim.pk,
                        "approve",
                        verdict="accurate",
                        rationale="Synthetic rationale.",
                        fidelity="not_applicable",
                    )
                    == 302
                )
                timeline.published(claim.slug, time.monotonic())
                # From the second round on, a republication: it needs a public note.
                note = f"Synthetic republication, round {round_}."
                status = editor.step(claim.pk, "publish", note=note)
                assert status == 302, f"publication of {claim.slug} answered {status}"
                time.sleep(0.5)  # readers see it for a while
                status = editor.step(claim.pk, "unpublish", reason="Synthetic withdrawal.")
                timeline.withdrawn(claim.slug, time.monotonic())
                assert status == 302, f"withdrawal of {claim.slug} answered {status}"
    except Exception as error:
        failures.append(f"desk {number}: {type(error).__name__}: {error}")


def _contend(number, pair, cookies, user, claims, deadline, saves, refused, failures):
    """Save the same drafts as the other contender, as fast as possible."""
    try:
        browser = _as(pair[number % 2], cookies, user)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            claim = claims[n % len(claims)]
            reason = f"Load test: contender {number}, save {n}"
            statement = f"Synthetic contended statement {number}-{n}"
            status, saved = browser.edit(claim.pk, reason, statement=statement)
            if saved:
                saves.append((claim.pk, reason, statement, browser.last_posted["seen_version"]))
            else:  # stale: the form says so (200/409), or sends back to it (302)
                assert status in (200, 302, 409), f"a refused save answered {status}"
                refused.append(reason)
    except Exception as error:
        failures.append(f"contender {number}: {type(error).__name__}: {error}")


def test_readers_never_see_a_5xx_an_unpublished_or_withdrawn_claim_and_no_save_is_lost(
    two_servers, newsroom
):
    desk = newsroom
    for user in (desk.researcher, desk.factchecker, desk.editor):
        user.password = servers.server_password()
        user.save(update_fields=["password"])
    for n in range(ALWAYS_PUBLIC):
        desk.publish(ClaimFactory(slug=f"always-public-{n}"))
    cycled = [
        [ClaimFactory(slug=f"cycled-{d}-{n}") for n in range(CYCLED_PER_DESK)] for d in range(DESKS)
    ]
    for claims in cycled:
        for claim in claims:
            desk.cite_evidence(claim)
    contended = [ClaimFactory(slug=f"contended-{n}") for n in range(CONTENDED)]
    slugs = frozenset(claim.slug for claims in cycled for claim in claims)

    cookies = _sessions(two_servers, desk)
    deadline = time.monotonic() + SECONDS
    answers, saves, refused, failures = [], [], [], []
    timeline = Timeline()
    threads = [
        threading.Thread(
            target=_read, args=(two_servers, slugs, deadline, answers, failures), daemon=True
        )
        for _ in range(READERS)
    ]
    threads += [
        threading.Thread(
            target=_desk,
            args=(d, two_servers, desk, cookies, cycled[d], deadline, timeline, saves, failures),
            daemon=True,
        )
        for d in range(DESKS)
    ]
    threads += [
        threading.Thread(
            target=_contend,
            args=(
                *(c, two_servers, cookies, desk.researcher, contended),
                *(deadline, saves, refused, failures),
            ),
            daemon=True,
        )
        for c in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert failures == []

    statuses = Counter(answer.status for answer in answers)
    print(f"\n{len(answers)} public answers in {SECONDS:.0f} s: {dict(statuses)}; ", end="")
    print(f"{len(saves)} accepted saves, {len(refused)} refused as stale")
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[200] > READERS  # the readers did read
    published = sum(len(windows) for windows in timeline.windows.values())
    print(f"{published} publications and withdrawals of {len(slugs)} claims")
    assert all(timeline.windows[claims[0].slug] for claims in cycled)  # every desk published

    leaks = [
        (answer.path, slug)
        for answer in answers
        for slug in answer.shown
        if not timeline.could_show(slug, answer.sent, answer.received)
    ]
    assert leaks == []

    by_claim, based_on = defaultdict(list), defaultdict(list)
    for pk, reason, statement, seen_version in saves:
        records = list(Claim.history.filter(id=pk, history_change_reason=reason))
        assert len(records) == 1, f"{reason!r} accepted, with {len(records)} history records"
        (record,) = records
        assert record.statement == statement
        by_claim[pk].append(record)
        based_on[pk].append(seen_version)
    assert not Claim.history.filter(history_change_reason__in=refused).exists()
    for pk, records in by_claim.items():
        # Two accepted saves made from the same version: one overwrote the other unseen.
        assert len(set(based_on[pk])) == len(based_on[pk]), "a lost update"
        last = max(records, key=lambda record: record.history_date)
        assert Claim.objects.get(pk=pk).statement == last.statement
    for claim in contended:
        assert len(by_claim[claim.pk]) > 1  # both contenders got saves in
