"""The desk's recorded decisions: replayed through the workflow, once.

A fact-check ships with its article fixture so that a fresh install shows it
published. The decisions (who submitted, approved and published each claim,
when, with which verdict, fidelity and rationale) are kept in a decisions
file beside the fixture, ``fixtures/<label>.decisions.json``, and replayed here
through the same workflow functions the admin uses, with every check they
make: permissions, states, the four-eyes rule, evidence for a verdict.

- The decisions are taken by the desk's role accounts (``factcheck.roles``),
  never by a named person, and carry their real dates: the published revision
  says when the decision was made; each history row also says that it was
  replayed, and from where.
- Each decision names the digest of the claim it reviewed (its words and
  evidence). A claim whose words or evidence differ is not replayed: what was
  reviewed is what gets published.
- A decision is replayed once (``FixtureRecord``). A claim an editor has
  worked on since it was loaded, withdrawn or published is left alone.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from factcheck import workflow
from factcheck.models import Claim, ClaimStatus, FixtureRecord
from factcheck.roles import Role, ensure_role_accounts

STEPS = ("submitted", "approved", "published")
LEDGER_MODEL = "decision"


class DecisionsInvalid(Exception):
    """The decisions file is malformed; nothing was replayed."""


@dataclass
class ReplayReport:
    replayed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (claim key, why)

    def __str__(self):
        return f"{len(self.replayed)} replayed, {len(self.skipped)} left as they are"


def decisions_path(label: str) -> Path:
    """``fixtures/<label>.decisions.json`` in the first fixture directory that has it."""
    name = f"{label}.decisions.json"
    candidates = [Path(label)] if label.endswith(".json") else []
    candidates += [Path(directory) / name for directory in settings.FIXTURE_DIRS]
    for path in candidates:
        if path.is_file():
            return path
    raise DecisionsInvalid(
        f"No decisions file {name!r} in {', '.join(map(str, settings.FIXTURE_DIRS))}."
    )


def load(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DecisionsInvalid(f"{path}: not readable JSON ({error}).") from None
    if not isinstance(document, dict) or not isinstance(document.get("decisions"), list):
        raise DecisionsInvalid(f"{path}: expected an object with a list of “decisions”.")
    for number, decision in enumerate(document["decisions"], start=1):
        _check(decision, f"{path.name}, decision {number}")
    return document


def _when(step: dict, where: str) -> datetime:
    at = parse_datetime(str(step.get("at", "")))
    if at is None or at.tzinfo is None:
        raise DecisionsInvalid(f"{where}: “at” must be a date and time with a time zone.")
    return at


def _check(decision, where: str) -> None:
    if not isinstance(decision, dict) or not decision.get("claim") or not decision.get("reviewed"):
        raise DecisionsInvalid(f"{where}: each decision needs “claim” and “reviewed”.")
    times = []
    for step in STEPS:
        if not isinstance(decision.get(step), dict):
            raise DecisionsInvalid(f"{where} ({decision['claim']}): “{step}” is missing.")
        times.append(_when(decision[step], f"{where} ({decision['claim']}), {step}"))
    if times != sorted(times):
        raise DecisionsInvalid(f"{where} ({decision['claim']}): the steps are out of order.")


def replay(label: str, *, path: Path | None = None) -> ReplayReport:
    """Replay the decisions recorded for fixture ``label``, in one transaction."""
    path = path or decisions_path(label)
    document = load(path)
    origin = f"fixture {path.name}"
    ledger = f"{label}.decisions"
    report = ReplayReport()
    with transaction.atomic():
        accounts = ensure_role_accounts()
        for decision in document["decisions"]:
            key = decision["claim"]
            why = _why_not(decision, ledger)
            if why:
                report.skipped.append((key, why))
                continue
            claim = Claim.objects.get(key=key)
            try:
                _take(claim, decision, accounts, origin)
            except workflow.StepRefused as refused:
                raise DecisionsInvalid(f"Claim {key!r}: the workflow refused: {refused}") from None
            FixtureRecord.objects.create(
                fixture=ledger, model=LEDGER_MODEL, key=key, digest=decision["reviewed"]
            )
            report.replayed.append(key)
    return report


def _why_not(decision: dict, ledger: str) -> str:
    key = decision["claim"]
    if FixtureRecord.objects.filter(fixture=ledger, model=LEDGER_MODEL, key=key).exists():
        return "already replayed"
    claim = Claim.objects.filter(key=key).first()
    if claim is None:
        return "no such claim (retired, or deleted by an editor)"
    if (
        claim.status != ClaimStatus.DRAFT
        or claim.withdrawn_at
        or claim.published_revisions.exists()
    ):
        return "the desk has worked on it since it was loaded"
    if claim.content_digest() != decision["reviewed"]:
        return "its words or evidence differ from what the desk reviewed"
    return ""


def _take(claim: Claim, decision: dict, accounts: dict, origin: str) -> None:
    submitted, approved, published = (decision[step] for step in STEPS)
    with workflow.recorded_decision(_when(submitted, "submitted"), origin):
        workflow.submit(claim, user=accounts[Role.RESEARCHER], note=submitted.get("note", ""))
    with workflow.recorded_decision(_when(approved, "approved"), origin):
        workflow.approve(
            claim,
            user=accounts[Role.FACT_CHECKER],
            verdict=approved.get("verdict"),
            rationale=approved.get("rationale", ""),
            fidelity=approved.get("fidelity"),
            fidelity_note=approved.get("fidelity_note", ""),
            note=approved.get("note", ""),
        )
    with workflow.recorded_decision(_when(published, "published"), origin):
        workflow.publish(claim, user=accounts[Role.EDITOR], note=published.get("note", ""))
