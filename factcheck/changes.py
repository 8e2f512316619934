"""What changed between two published states of a claim, said once for everyone.

The publish page in the admin ("what readers will see change"), the public
revision log on the claim page and the corrections feed all describe a new
revision against the one before it. They all call ``what_changed`` with two
objects that have the published fields: two ``PublishedRevision`` rows, or the
live revision and the claim's working copy about to be published.
"""

from dataclasses import dataclass

from factcheck.ratings import Fidelity, Verdict

# (field, label for readers), in the order a reader cares about.
COMPARED = [
    ("verdict", "Verdict"),
    ("rationale", "Rationale"),
    ("fidelity", "Fidelity"),
    ("fidelity_note", "Fidelity note"),
    ("statement", "Wording of the claim"),
    ("quote", "Quote"),
    ("attributed_to", "Attributed to"),
    ("kind", "Kind of claim"),
    ("notes", "Notes on the claim's scope and attribution"),
    ("citations", "Evidence"),
]
CHOICES = {"verdict": Verdict, "fidelity": Fidelity}
# Short fields are quoted in full in the sentence; long ones only say they changed.
QUOTED = {"statement", "quote", "attributed_to"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object

    @property
    def sentence(self) -> str:
        """The change as one sentence for readers."""
        if self.field in CHOICES or self.field == "kind":
            return f"{self.label} changed from {self.old} to {self.new}."
        if self.field in QUOTED:
            return f"{self.label} revised; it was “{self.old}”."
        if self.field == "citations":
            return f"Evidence: {_evidence_change(self.old, self.new)}."
        return f"{self.label} revised."


def what_changed(older, newer) -> list[Change]:
    """Every published field that differs from ``older`` to ``newer``, for display."""
    changes = []
    for name, label in COMPARED:
        old, new = _value(older, name), _value(newer, name)
        if old == new:
            continue
        if name in CHOICES:
            old, new = CHOICES[name](old).label, CHOICES[name](new).label
        elif name == "kind":
            old, new = _kind_label(old), _kind_label(new)
        changes.append(Change(name, label, old, new))
    return changes


def _value(obj, name):
    value = getattr(obj, name)
    if name == "citations" and not isinstance(value, list):  # a claim's working copy
        return obj.revision_data()["citations"]
    return value


def _kind_label(value: str) -> str:
    from factcheck.models import ClaimKind

    return ClaimKind(value).label if value in ClaimKind.values else value


def _evidence_change(older: list, newer: list) -> str:
    def key(citation):
        return citation.get("source"), citation.get("locator")

    before, after = {key(c) for c in older}, {key(c) for c in newer}
    added, removed = len(after - before), len(before - after)
    parts = []
    if added:
        parts.append(f"{added} citation{'s' if added != 1 else ''} added")
    if removed:
        parts.append(f"{removed} citation{'s' if removed != 1 else ''} removed")
    return ", ".join(parts) or "cited passages revised"
