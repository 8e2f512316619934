"""The public revision log of a claim: what each published revision changed.

Corrections transparency: every revision ever published stays on record with
its date, what changed in the verdict, rationale, wording and evidence, and
the reason stated when it was published.
"""

from dataclasses import dataclass, field

from factcheck.changes import what_changed
from factcheck.ratings import Verdict


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
    """What ``newer`` changed since ``older``, as sentences; the verdict always comes first."""
    changes = what_changed(older, newer)
    sentences = [change.sentence for change in changes]
    if not any(change.field == "verdict" for change in changes):
        sentences.insert(0, f"Verdict unchanged: {_label(newer.verdict)}.")
    return sentences
