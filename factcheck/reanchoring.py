"""Re-anchoring: when a source's text changes, move each of its claims to where
its quote is now, or mark it orphaned, and report what happened.

``anchoring.relocate`` decides where a quote is (pure); this service applies
the answer to the claims and saves each one that changed, with a history
record saying what happened and why. ``Source.save`` calls it inside the
transaction that saved the new text and keeps the report for the admin.
"""

from dataclasses import dataclass, field

from factcheck.anchoring import relocate


@dataclass
class ReanchorReport:
    moved: list = field(default_factory=list)
    context_changed: list = field(default_factory=list)
    orphaned: list = field(default_factory=list)
    restored: list = field(default_factory=list)
    unchanged: int = 0

    def __str__(self):
        return (
            f"{len(self.moved)} moved, {len(self.context_changed)} in place with new "
            f"surrounding text, {len(self.restored)} re-anchored after being orphaned, "
            f"{len(self.orphaned)} orphaned, {self.unchanged} unchanged"
        )


def reanchor_claims(source, *, reason: str, user=None) -> ReanchorReport:
    """Re-anchor every claim on ``source`` after its text changed.

    Each claim that moves or is orphaned is saved with a history record
    saying what happened and why. Call inside the transaction that saved
    the new text.
    """
    report = ReanchorReport()
    for claim in source.claims.order_by("pk"):
        claim.source = source
        if user is not None:
            claim._history_user = user
        found = relocate(source.text, claim.quote, claim.quote_prefix, claim.quote_suffix)
        if found.anchor is None:
            if claim.orphaned:
                report.unchanged += 1
                continue
            note = f"Orphaned: {found.problem}."
            claim.mark_orphaned(note)
            claim._change_reason = f"{note} ({reason})"
            claim.save(skip_anchoring=True)
            report.orphaned.append(claim)
            continue
        a = found.anchor
        was = (claim.quote_start, claim.quote_end, claim.quote_prefix, claim.quote_suffix)
        if not claim.orphaned and was == (a.start, a.end, a.prefix, a.suffix):
            report.unchanged += 1
            continue
        if claim.orphaned:
            claim._change_reason = (
                f"Re-anchored at {a.start}–{a.end}: the quote occurs again ({reason})"
            )
            report.restored.append(claim)
        elif claim.quote_start == a.start:
            claim._change_reason = (
                f"Context updated: the text around the quote at {a.start}–{a.end} "
                f"changed ({reason})"
            )
            report.context_changed.append(claim)
        else:
            claim._change_reason = (
                f"Re-anchored: quote moved from {claim.quote_start}–{claim.quote_end} "
                f"to {a.start}–{a.end} ({reason})"
            )
            report.moved.append(claim)
        claim.apply_anchor(a)
        claim.save(skip_anchoring=True)
    return report
