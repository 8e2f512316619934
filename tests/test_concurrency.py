"""Two people acting on one claim at the same moment, on two real connections.

PostgreSQL only: it runs the steps in two threads, each with its own
database connection, and checks that the row lock makes the second wait and
then refuses it, instead of letting it overwrite the first.
"""

import threading
import time

import pytest
from django.db import connection

from factcheck import workflow
from factcheck.models import Claim, ClaimStatus
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_second_reviewer_waits_for_the_first_and_is_refused_not_overwriting(
    factchecker, editor, monkeypatch
):
    claim = ClaimFactory(status=ClaimStatus.IN_REVIEW)
    seen = claim.version  # both people loaded the page at this version
    inside_first_step, finish_first_step = threading.Event(), threading.Event()
    real_save = workflow._save

    def save_then_pause(claim, user, reason):
        real_save(claim, user, reason)
        if threading.current_thread().name == "approve":
            inside_first_step.set()  # the row is locked and written, not yet committed
            finish_first_step.wait(10)

    monkeypatch.setattr(workflow, "_save", save_then_pause)
    outcome = {}

    def run(name, step):
        try:
            step(Claim.objects.get(pk=claim.pk))
            outcome[name] = "done"
        except workflow.StepRefused as refusal:
            outcome[name] = refusal
        finally:
            connection.close()  # each thread had its own connection

    first = threading.Thread(
        name="approve",
        target=run,
        args=(
            "approve",
            lambda c: workflow.approve(
                c,
                user=factchecker,
                verdict="accurate",
                rationale="p. 2",
                expected_version=seen,
                fidelity="not_applicable",
            ),
        ),
    )
    second = threading.Thread(
        name="request_changes",
        target=run,
        args=(
            "request_changes",
            lambda c: workflow.request_changes(
                c, user=editor, comment="Needs a source", expected_version=seen
            ),
        ),
    )
    first.start()
    assert inside_first_step.wait(10)
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second step did not wait for the first one's lock"
    finish_first_step.set()
    first.join(10)
    second.join(10)

    assert outcome["approve"] == "done"
    assert isinstance(outcome["request_changes"], workflow.StaleClaim)
    assert "was changed by fay" in str(outcome["request_changes"])
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.approved_by) == ("approved", "accurate", factchecker)
    assert [r.history_change_reason for r in claim.history.order_by("history_id")][-1] == (
        "Approved as Accurate"
    )
    assert claim.history.count() == 2
