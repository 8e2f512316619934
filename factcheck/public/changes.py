"""The public revision log of a claim: what each published revision changed.

Corrections transparency: every revision ever published stays on record with
its date, what changed in the verdict, rationale, wording and evidence, and
the reason stated when it was published.
"""

from dataclasses import dataclass, field

from factcheck.ratings import Fidelity, Verdict


@dataclass
class LogEntry:
    revision: object
    changes: list[str] = field(default_factory=list)
    previous_verdict: str = ""
    previous_rationale: str = ""

    @property
    def verdict_changed(self) -> bool:
        return bool(self.previous_verdict) and self.previous_verdict != self.revision.verdict


def _label(verdict: str) -> str:
    return Verdict(verdict).label


def revision_log(revisions) -> list[LogEntry]:
    """One entry per published revision, oldest first, each compared with the one before."""
    entries, previous = [], None
    for revision in revisions:
        entry = LogEntry(revision)
        if previous is None:
            entry.changes.append(f"First published as {_label(revision.verdict)}.")
        else:
            entry.changes = describe_changes(previous, revision)
            entry.previous_verdict = previous.verdict
            if previous.rationale != revision.rationale:
                entry.previous_rationale = previous.rationale
        entries.append(entry)
        previous = revision
    return entries


def describe_changes(older, newer) -> list[str]:
    changes = []
    if older.verdict != newer.verdict:
        changes.append(f"Verdict changed from {_label(older.verdict)} to {_label(newer.verdict)}.")
    else:
        changes.append(f"Verdict unchanged: {_label(newer.verdict)}.")
    if older.rationale != newer.rationale:
        changes.append("Rationale revised.")
    if older.fidelity != newer.fidelity:
        changes.append(
            f"Fidelity changed from {Fidelity(older.fidelity).label} to "
            f"{Fidelity(newer.fidelity).label}."
        )
    elif older.fidelity_note != newer.fidelity_note:
        changes.append("Fidelity note revised.")
    if older.notes != newer.notes:
        changes.append("Notes on the claim's scope and attribution revised.")
    if older.statement != newer.statement:
        changes.append("Wording of the claim revised.")
    if (older.quote, older.attributed_to) != (newer.quote, newer.attributed_to):
        changes.append("Quote or attribution revised.")
    if older.citations != newer.citations:
        changes.append(_evidence_change(older.citations, newer.citations))
    return changes


def _evidence_change(older, newer) -> str:
    key = lambda c: (c.get("source"), c.get("locator"))  # noqa: E731
    before, after = {key(c) for c in older}, {key(c) for c in newer}
    added, removed = len(after - before), len(before - after)
    parts = []
    if added:
        parts.append(f"{added} citation{'s' if added != 1 else ''} added")
    if removed:
        parts.append(f"{removed} citation{'s' if removed != 1 else ''} removed")
    if not parts:
        parts.append("cited passages revised")
    return "Evidence: " + ", ".join(parts) + "."
