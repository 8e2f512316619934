"""A researcher's decision on a candidate: accept it as a draft claim, or dismiss it.

Both lock the candidate's row first, so a double click or a second tab decides
once: the second attempt is refused with who decided, when, and (for an
accepted one) the claim it became. Accepting creates the claim through
``workflow.editing``, the path the claim admin saves new claims through: a
draft, its quote anchored exactly in the source's text (``anchoring``), with
history naming the user and the reason, and the user counted as an author
(four eyes). Everything happens in one transaction, or nothing does.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import normalize_newlines, slugify

from factcheck import anchoring, workflow
from factcheck.candidates.proposing import may_propose
from factcheck.candidates.signals import Signal
from factcheck.history import recorded_change
from factcheck.models import CandidateClaim, CandidateStatus, Claim, ClaimKind, PublishedRevision

STATEMENT_MAX = Claim._meta.get_field("statement").max_length


class DecisionRefused(ValidationError):
    """The decision cannot be taken; ``message_dict`` names the field when there is one."""


class AlreadyDecided(DecisionRefused):
    pass


@dataclass
class Draft:
    """What the accepted claim will say (the researcher may edit each part)."""

    statement: str
    quote: str
    kind: str
    attributed_to: str
    quote_start: int | None = None
    notes: str = ""


def suggested_kind(candidate: CandidateClaim) -> str:
    signals = set(candidate.signals or ())
    if Signal.QUOTATION in signals:
        return ClaimKind.QUOTATION
    if signals & {Signal.NUMBER, Signal.QUANTITY}:
        return ClaimKind.STATISTIC
    if Signal.DATE in signals:
        return ClaimKind.DATE_EVENT
    if Signal.ATTRIBUTION in signals:
        return ClaimKind.FINDING
    return ClaimKind.FACT


def suggested_draft(candidate: CandidateClaim) -> Draft:
    """The draft a plain Accept creates: the sentence as quote and (shortened) statement,
    a kind guessed from its signals, attributed to the source's publisher."""
    statement = " ".join(candidate.text.split())
    if len(statement) > STATEMENT_MAX:
        statement = statement[: STATEMENT_MAX - 1].rsplit(" ", 1)[0] + "…"
    source = candidate.source
    return Draft(
        statement=statement,
        quote=candidate.text,
        kind=suggested_kind(candidate),
        attributed_to=(source.publisher or source.title)[:200],
        # Where it was proposed, while the text still has it there (an edit of the
        # source may have moved it: then it is looked for, and must occur once).
        quote_start=candidate.start
        if source.text[candidate.start : candidate.end] == candidate.text
        else None,
    )


def _refuse_unless_allowed(user) -> None:
    if not may_propose(user):
        raise PermissionDenied(
            "Your role does not allow adding claims, so you cannot decide on candidates."
        )


def _lock(candidate: CandidateClaim) -> CandidateClaim:
    locked = (
        CandidateClaim.objects.select_for_update().select_related("source").get(pk=candidate.pk)
    )
    if locked.status != CandidateStatus.PROPOSED:
        who = locked.decided_by.get_username() if locked.decided_by else "someone"
        when = (
            timezone.localtime(locked.decided_at).strftime("%d %b %Y, %H:%M")
            if locked.decided_at
            else ""
        )
        became = f" as claim “{locked.claim.slug}”" if locked.claim_id else ""
        raise AlreadyDecided(
            f"This candidate was already {locked.get_status_display().lower()}{became} "
            f"by {who}{', ' + when if when else ''}. Nothing was changed."
        )
    return locked


def _anchor(candidate: CandidateClaim, quote: str, start: int | None) -> anchoring.Anchor:
    text = candidate.source.text
    quote = normalize_newlines(quote or "").strip()
    if not quote:
        raise DecisionRefused({"quote": "The quote is required: copy it from the source's text."})
    if start is None:
        # The quote is looked for in the candidate's sentence first: a phrase that also
        # occurs elsewhere in the article is taken where the researcher saw it.
        inside = [
            s
            for s in anchoring.find_occurrences(text, quote)
            if candidate.start <= s and s + len(quote) <= candidate.end
        ]
        if len(inside) == 1:
            start = inside[0]
    try:
        return anchoring.anchor_quote(text, quote, start)
    except anchoring.AnchorError as error:
        raise DecisionRefused({"quote": error.messages}) from error


def _free_slug(statement: str) -> str:
    base = slugify(statement)[:100].strip("-") or "claim"
    slug, number = base, 2
    while (
        Claim.objects.filter(slug=slug).exists()
        or PublishedRevision.objects.filter(slug=slug).exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def accept(candidate: CandidateClaim, *, user, reason: str, draft: Draft | None = None) -> Claim:
    """Create a draft claim from ``candidate`` (as suggested, or as edited in ``draft``)."""
    _refuse_unless_allowed(user)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused({"reason": "Say why, for the history."})
    with transaction.atomic():
        locked = _lock(candidate)
        draft = draft or suggested_draft(locked)
        anchor = _anchor(locked, draft.quote, draft.quote_start)
        claim = Claim(
            source=locked.source,
            statement=" ".join((draft.statement or "").split()),
            quote=anchor.quote,
            quote_start=anchor.start,
            kind=draft.kind,
            attributed_to=(draft.attributed_to or "").strip(),
            notes=draft.notes or "",
        )
        claim.slug = claim.key = _free_slug(claim.statement)
        try:
            claim.full_clean(exclude=["key"])
        except ValidationError as error:
            raise DecisionRefused(error.message_dict) from error
        with workflow.editing(claim, user=user, reason=f"Accepted a candidate claim: {reason}"):
            locked.status = CandidateStatus.ACCEPTED
            locked.decided_by, locked.decided_at = user, timezone.now()
            locked.decision_reason = reason
            locked.claim = claim
            locked.save()
    candidate.refresh_from_db()
    return claim


def dismiss(candidate: CandidateClaim, *, user, reason: str) -> CandidateClaim:
    """Dismiss ``candidate``: remembered, and never proposed again for this source."""
    _refuse_unless_allowed(user)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused({"reason": "Say why it is not worth checking (it is remembered)."})
    with transaction.atomic():
        locked = _lock(candidate)
        locked.status = CandidateStatus.DISMISSED
        locked.decided_by, locked.decided_at, locked.decision_reason = user, timezone.now(), reason
        with recorded_change(reason=f"Dismissed a candidate claim: {reason}", user=user):
            locked.save()
    candidate.refresh_from_db()
    return candidate
