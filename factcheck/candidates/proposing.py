"""Store a source's candidate claims, with history; never twice for one span.

A span that was proposed before, whatever was decided on it (accepted,
dismissed or still waiting), is not proposed again, and neither are its exact
words elsewhere in the same source (after an edit of the text moved them).
So running it again after an import, or after a researcher dismissed some,
adds only what is new.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from factcheck.candidates.finding import propose
from factcheck.history import ChangeReasonRequired, recorded_change
from factcheck.models import CandidateClaim, Source


def may_propose(user) -> bool:
    """Whoever may add claims may ask for candidates (and decide on them)."""
    return bool(user and user.is_active and user.is_staff and user.has_perm("factcheck.add_claim"))


def propose_candidates(source: Source, *, user, reason: str) -> list[CandidateClaim]:
    """Propose the check-worthy sentences of ``source`` not proposed before.

    Returns the new candidates, best first. ``user`` is None only for commands
    run without an account (the history then names the command).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ChangeReasonRequired("Proposing candidate claims needs a reason for the history.")
    if user is not None and not may_propose(user):
        raise PermissionDenied(f"{user} may not add claims, so may not propose candidates.")
    created = []
    with transaction.atomic():
        # One proposal at a time per source: a second tab waits, then adds nothing.
        source = Source.objects.select_for_update().get(pk=source.pk)
        known = CandidateClaim.objects.filter(source=source).values_list("start", "end", "text")
        spans = {(start, end) for start, end, _ in known}
        texts = {text for _, _, text in known}
        with recorded_change(reason=reason, user=user):
            for proposal in propose(source.text):
                if (proposal.start, proposal.end) in spans or proposal.text in texts:
                    continue
                candidate = CandidateClaim(
                    source=source,
                    start=proposal.start,
                    end=proposal.end,
                    text=proposal.text,
                    score=proposal.score,
                    reasons=proposal.reasons,
                    signals=list(proposal.signals),
                )
                candidate.save()
                spans.add((proposal.start, proposal.end))
                texts.add(proposal.text)
                created.append(candidate)
    return created


def propose_after_import(source: Source, user) -> list[CandidateClaim]:
    """The article importer's hook (``importer.save(after_import=...)``): an imported
    article gets its candidate claims at once, inside the import's transaction,
    when whoever imports it may add claims (a command run without an account may)."""
    if user is not None and not may_propose(user):
        return []
    return propose_candidates(source, user=user, reason="Proposed when the article was imported")
