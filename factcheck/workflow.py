"""The review workflow: every step a claim takes, from draft to published.

    draft ──submit──▶ in review ──approve──▶ approved ──publish──▶ published
      ▲                  │                      │                     │
      └─request changes──┴──────────────────────┘      edit: new draft revision
                                                        unpublish: withdrawn

Each step is one function here. It locks the claim's row, refuses a stale
copy (someone else saved in between), checks the user's permission and the
claim's state, applies the change and records it in the claim's history with
the user and a reason, all in one transaction. The admin's buttons and
actions, the ``claim_step`` command and the tests all call these functions;
nothing else may change a claim's status, verdict or assignment (the model
refuses it, see ``Claim.save``).

The four-eyes rule: nobody approves or publishes a revision they changed, and
nobody publishes a revision they approved. Superusers too.
"""

import logging
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from factcheck import workflow_many
from factcheck.history import recorded_change
from factcheck.models import (
    Claim,
    ClaimStatus,
    CommentKind,
    PublicState,
    PublishedRevision,
    ReviewComment,
    Source,
)
from factcheck.models.citations import DECISIVE_STANCES
from factcheck.models.claims import CONTENT_FIELDS, WORKFLOW_FIELDS, workflow_writes
from factcheck.ratings import FIDELITY_NEEDS_NOTE, Fidelity, Verdict

log = logging.getLogger("factcheck.workflow")


class Step(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    REQUEST_CHANGES = "request_changes", "Request changes"
    APPROVE = "approve", "Approve"
    PUBLISH = "publish", "Publish"
    UNPUBLISH = "unpublish", "Unpublish"
    ASSIGN = "assign", "Assign"
    EDIT = "edit", "Edit"
    COMMENT = "comment", "Comment"


class StepRefused(Exception):
    """A step cannot be taken; the message says why, for the person who tried."""


class NotPermitted(StepRefused, PermissionDenied):
    """The user's role does not allow the step."""


class WrongState(StepRefused):
    """The claim is not in a state the step starts from."""


class FourEyes(StepRefused):
    """The user changed (or approved) this revision, so someone else must decide."""


class StaleClaim(StepRefused):
    """The claim changed since the user loaded it; their action is refused."""


@dataclass(frozen=True)
class Rule:
    permissions: tuple[str, ...]  # any one of them is enough
    states: tuple[str, ...]


S = ClaimStatus
RULES = {
    Step.SUBMIT: Rule(("factcheck.submit_claim",), (S.DRAFT,)),
    Step.REQUEST_CHANGES: Rule(
        ("factcheck.review_claim", "factcheck.publish_claim"), (S.IN_REVIEW, S.APPROVED)
    ),
    Step.APPROVE: Rule(("factcheck.review_claim",), (S.IN_REVIEW,)),
    Step.PUBLISH: Rule(("factcheck.publish_claim",), (S.APPROVED,)),
    Step.UNPUBLISH: Rule(("factcheck.publish_claim",), tuple(S.values)),  # needs a live revision
    Step.ASSIGN: Rule(("factcheck.assign_claim",), (S.DRAFT, S.IN_REVIEW, S.APPROVED)),
    Step.EDIT: Rule(("factcheck.change_claim",), (S.DRAFT, S.PUBLISHED)),
    Step.COMMENT: Rule(("factcheck.view_claim",), tuple(S.values)),
}
# The steps shown as buttons on the claim's admin page, in this order.
BUTTON_STEPS = [
    Step.SUBMIT,
    Step.ASSIGN,
    Step.REQUEST_CHANGES,
    Step.APPROVE,
    Step.PUBLISH,
    Step.UNPUBLISH,
]
STATE_HINTS = {
    Step.SUBMIT: "Only a draft can be submitted.",
    Step.REQUEST_CHANGES: "Only a claim in review or approved can be sent back.",
    Step.APPROVE: "Only a claim in review can be approved.",
    Step.PUBLISH: "Only an approved claim can be published.",
    Step.ASSIGN: "A published claim has nothing to review.",
    Step.EDIT: "A claim in review or approved is locked so that what was reviewed is "
    "what gets published. A fact-checker or editor can request changes to unlock it.",
}


@dataclass(frozen=True)
class RecordedDecision:
    at: datetime
    origin: str


_recorded: ContextVar[RecordedDecision | None] = ContextVar("factcheck_recorded", default=None)


@contextmanager
def recorded_decision(at: datetime, origin: str):
    """Take the steps inside as a decision the desk recorded earlier, at ``at``.

    Used by ``replay_decisions`` only. Every check still runs; the approval and
    publication carry the decision's own date, and each history row says when
    the decision was made and where it was replayed from.
    """
    if at > timezone.now():
        raise StepRefused(f"A recorded decision cannot be dated in the future ({at.isoformat()}).")
    token = _recorded.set(RecordedDecision(at, origin))
    try:
        yield
    finally:
        _recorded.reset(token)


def _now() -> datetime:
    recorded = _recorded.get()
    return recorded.at if recorded else timezone.now()


def editable(claim: Claim) -> bool:
    """Whether the claim's words and evidence may be changed in its current state."""
    return claim.status in RULES[Step.EDIT].states


# Checks ------------------------------------------------------------------------


def refusal(step: Step, claim: Claim, user, *, edited: bool | None = None) -> StepRefused | None:
    """Why ``user`` cannot take ``step`` on ``claim`` now, or None if they can.

    ``edited``: whether ``user`` changed this revision, when the caller already
    knows (the bulk steps read it for many claims at once).
    """
    rule = RULES[step]
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return NotPermitted("Log in with a staff account first.")
    if not any(user.has_perm(permission) for permission in rule.permissions):
        return NotPermitted(f"Your role does not allow this step ({step.label.lower()}).")
    if claim.status not in rule.states:
        return WrongState(
            f"The claim is {claim.get_status_display().lower()}. {STATE_HINTS.get(step, '')}"
        )
    if step is Step.UNPUBLISH and claim.live_revision_id is None:
        return WrongState("Nothing of this claim is published.")
    if step in (Step.SUBMIT, Step.PUBLISH) and claim.orphaned:
        return WrongState("The quote no longer anchors in the source text; fix it first.")
    if step is Step.APPROVE and (_edited_by(claim, user) if edited is None else edited):
        return FourEyes(
            "You changed this revision, so someone else must approve it (four-eyes rule)."
        )
    if step is Step.PUBLISH:
        if _edited_by(claim, user) if edited is None else edited:
            return FourEyes(
                "You changed this revision, so someone else must publish it (four-eyes rule)."
            )
        if claim.approved_by_id == user.pk:
            return FourEyes(
                "You approved this revision, so someone else must publish it (four-eyes rule)."
            )
    return None


def _edited_by(claim: Claim, user) -> bool:
    return claim.revision_editors.filter(pk=user.pk).exists()


def available_steps(claim: Claim, user) -> list[tuple[Step, StepRefused | None]]:
    """Each button step with why it is unavailable (None when it can be taken)."""
    return [(step, refusal(step, claim, user)) for step in BUTTON_STEPS]


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    """Lock the claim's row and return it fresh; refuse if it moved on.

    ``expected_version`` is the version the user's action is based on (from
    the page they submitted); by default, that of the copy the caller holds.
    """
    expected = claim.version if expected_version is None else int(expected_version)
    fresh = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("source", "live_revision")
        .get(pk=claim.pk)
    )
    if fresh.version != expected:
        raise StaleClaim(stale_message(fresh, expected))
    return fresh


def stale_message(fresh: Claim, expected: int) -> str:
    last = fresh.history.order_by("-history_date", "-history_id").first()
    who = (last.history_actor or "someone") if last else "someone"
    when = timezone.localtime(fresh.updated_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    why = f" (“{last.history_change_reason}”)" if last and last.history_change_reason else ""
    return (
        f"“{fresh}” was changed by {who} at {when}{why} after you loaded it "
        f"(you had version {expected}, it is now version {fresh.version}). Nothing of "
        "yours was saved and their changes are kept: reload the claim, check what "
        "changed, and try again."
    )


def _sync(held: Claim, fresh: Claim) -> None:
    """Bring the caller's copy up to date, so its next step is not stale."""
    if held is fresh:
        return
    for field in Claim._meta.concrete_fields:
        setattr(held, field.attname, getattr(fresh, field.attname))
    held._state.fields_cache = dict(fresh._state.fields_cache)
    held._workflow_loaded = fresh._workflow_loaded
    getattr(held, "_prefetched_objects_cache", {}).clear()


def _guard(step: Step, claim: Claim, user) -> None:
    problem = refusal(step, claim, user)
    if problem is not None:
        raise problem


@contextmanager
def _taking(step: Step, claim: Claim, user, expected_version):
    """Lock the claim, check the step is allowed, and yield the fresh copy to change.

    Everything inside is one transaction; afterwards the caller's copy is
    brought up to date, so it can take the next step without being stale.
    """
    try:
        with transaction.atomic():
            fresh = _lock(claim, expected_version)
            _guard(step, fresh, user)
            before = fresh.get_status_display()
            yield fresh
    except StepRefused as refused:
        _log_refusal(step, claim, user, refused)
        raise
    _log_step(step, fresh, user, before)
    _sync(claim, fresh)


def _who(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "anonymous"


def _log_step(step: Step, claim: Claim, user, before: str) -> None:
    log.info(
        "step %s: claim %s (#%s) by %s: %s → %s",
        step.value,
        claim.slug,
        claim.pk,
        _who(user),
        before,
        claim.get_status_display(),
    )


def _log_refusal(step: Step, claim: Claim, user, refused: StepRefused) -> None:
    log.warning(
        "step %s refused: claim %s (#%s) by %s: %s",
        step.value,
        claim.slug,
        claim.pk,
        _who(user),
        refused,
    )


def _require(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise StepRefused(f"{what} is required.")
    return text


def _recorded_reason(reason: str) -> str:
    """The reason, saying so when the step replays a decision the desk recorded earlier."""
    recorded = _recorded.get()
    if recorded is not None:
        when = recorded.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        reason = f"{reason} (the desk's decision of {when}, replayed from {recorded.origin})"
    return reason


def _save(claim: Claim, user, reason: str) -> None:
    reason = _recorded_reason(reason)
    with workflow_writes(), recorded_change(reason=reason, user=user):
        claim.save(skip_anchoring=True)


def _comment(claim: Claim, user, kind: CommentKind, body: str) -> None:
    if body:
        ReviewComment.objects.create(claim=claim, author=user, kind=kind, body=body)


def _with_note(reason: str, note: str) -> str:
    return f"{reason}: {note}" if note else reason


# Steps ---------------------------------------------------------------------------


def evidence_problems(claim: Claim, citations=None) -> list[str]:
    """What is wrong with a claim's citations, for the researcher to fix before review
    (``citations``: the claim's, when the caller read them for many claims at once)."""
    if citations is None:
        citations = claim.citations.select_related("source").order_by("pk")
    problems = []
    for citation in citations:
        if not citation.passage.strip():
            problems.append(f"{citation}: quote the passage from the cited source.")
        for message in citation.comparison_problems(claim.quote).values():
            problems.append(f"{citation}: {message}")
    return problems


def submit(claim: Claim, *, user, note: str = "", expected_version=None) -> Claim:
    """Draft → in review, once every citation quotes its passage."""
    note = (note or "").strip()
    with _taking(Step.SUBMIT, claim, user, expected_version) as fresh:
        problems = evidence_problems(fresh)
        if problems:
            raise StepRefused("Fix the evidence first. " + " ".join(problems))
        fresh.status = ClaimStatus.IN_REVIEW
        _save(fresh, user, _with_note("Submitted for review", note))
        _comment(fresh, user, CommentKind.SUBMITTED, note)
    return claim


def request_changes(claim: Claim, *, user, comment: str, expected_version=None) -> Claim:
    """In review or approved → draft, with a comment saying what to change."""
    comment = _require(comment, "A comment saying what to change")
    with _taking(Step.REQUEST_CHANGES, claim, user, expected_version) as fresh:
        fresh.status = ClaimStatus.DRAFT
        fresh.approved_by, fresh.approved_at, fresh.approved_digest = None, None, ""
        _save(fresh, user, f"Changes requested: {comment}")
        _comment(fresh, user, CommentKind.CHANGES_REQUESTED, comment)
        authors = [person for person in _revision_authors(fresh) if person.pk != user.pk]
        transaction.on_commit(lambda: _send_changes_requested_mail(fresh, authors, user, comment))
    return claim


def _revision_authors(claim: Claim) -> list:
    """Who wrote the revision under review: its editors and whoever submitted it."""
    people = {person.pk: person for person in claim.revision_editors.all()}
    submitted = (
        claim.history.filter(history_change_reason__startswith="Submitted for review")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if submitted is not None and submitted.history_user is not None:
        people.setdefault(submitted.history_user.pk, submitted.history_user)
    return sorted(people.values(), key=lambda person: person.get_username())


def _send_changes_requested_mail(claim: Claim, authors, requested_by, comment: str) -> None:
    recipients = [person.email for person in authors if person.email]
    if not recipients:
        return
    link, queue = _desk_links(claim, "?mine=sent_back")
    body = (
        f"{requested_by.get_username()} asked for changes to this claim, and sent it back "
        f"to draft:\n\n  {claim.statement}\n  “{claim.quote}”\n  ({claim.source})\n\n"
        f"What needs to change: {comment}\n\n"
        f"Fix it and submit it again: {link}\nEverything sent back to you: {queue}\n"
    )
    send_mail(
        subject=f"Changes requested: {claim.statement}"[:150],
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def _choice(scale, value, what: str):
    try:
        chosen = scale(value)
    except ValueError:
        raise StepRefused(f"{value!r} is not a {what} on our scale.") from None
    if chosen == scale.NOT_YET_RATED:
        raise StepRefused(f"Choose a {what}: an approved claim cannot be “not yet rated”.")
    return chosen


def approve(
    claim: Claim,
    *,
    user,
    verdict,
    rationale: str,
    fidelity,
    fidelity_note: str = "",
    note: str = "",
    expected_version=None,
) -> Claim:
    """In review → approved, with the verdict, its rationale and the fidelity rating.

    A verdict on the accuracy scale stands only on cited evidence: at least one
    passage that supports or contradicts the claim. A claim no evidence settles
    is rated Unverifiable, and its rationale says what is missing.
    """
    verdict = _choice(Verdict, verdict, "verdict")
    fidelity = _choice(Fidelity, fidelity, "fidelity rating")
    rationale = _require(rationale, "A rationale for the verdict")
    fidelity_note = (fidelity_note or "").strip()
    if fidelity in FIDELITY_NEEDS_NOTE and not fidelity_note:
        raise StepRefused(
            f"Say what differs between the article's words and its source's "
            f"(“{fidelity.label}” needs a note)."
        )
    note = (note or "").strip()
    with _taking(Step.APPROVE, claim, user, expected_version) as fresh:
        decisive = fresh.citations.filter(stance__in=DECISIVE_STANCES).exclude(passage="")
        if verdict != Verdict.UNVERIFIABLE and not decisive.exists():
            raise StepRefused(
                f"“{verdict.label}” needs evidence: cite at least one passage that supports "
                "or contradicts the claim, or rate it Unverifiable and say what is missing."
            )
        fresh.verdict, fresh.rationale = verdict, rationale
        fresh.fidelity, fresh.fidelity_note = fidelity, fidelity_note
        fresh.status = ClaimStatus.APPROVED
        fresh.approved_by, fresh.approved_at = user, _now()
        fresh.approved_digest = fresh.content_digest()
        _save(fresh, user, _with_note(f"Approved as {verdict.label}", note))
        summary = f"Verdict: {verdict.label}. Fidelity: {fidelity.label}."
        _comment(fresh, user, CommentKind.APPROVED, _with_note(summary, note))
    return claim


REPUBLISH_NEEDS_NOTE = (
    "Say what changed since the last published revision: the note is "
    "shown to readers in the claim's public revision log."
)
CHANGED_SINCE_APPROVAL = (
    "The claim or its evidence changed since it was approved (a cited source's "
    "title, URL or date, for example), so what would be published is not what "
    "was approved. Request changes and have it reviewed again."
)


def slug_taken_message(claim: Claim) -> str:
    return (
        f"Another claim was published under the slug {claim.slug!r}, and that address "
        "keeps leading to it. Change this claim's slug and have it reviewed again."
    )


def publish(claim: Claim, *, user, note: str = "", expected_version=None) -> PublishedRevision:
    """Approved → published: a new revision becomes what the public sees.

    The first publication's note defaults to "First published". Republishing
    (a correction or update) needs a note: it is shown in the public log.
    """
    note = (note or "").strip()
    with _taking(Step.PUBLISH, claim, user, expected_version) as fresh:
        previous = fresh.published_revisions.order_by("-number").first()
        if previous is not None and not note:
            raise StepRefused(REPUBLISH_NEEDS_NOTE)
        if fresh.content_digest() != fresh.approved_digest:
            raise StepRefused(CHANGED_SINCE_APPROVAL)
        if fresh.slug_taken_by_another_claim():
            raise StepRefused(slug_taken_message(fresh))
        now = _now()
        with workflow_writes():
            revision = PublishedRevision.snapshot(
                fresh,
                number=previous.number + 1 if previous else 1,
                note=note or "First published.",
                published_by=user,
                published_at=now,
            )
        fresh.live_revision = revision
        fresh.status = ClaimStatus.PUBLISHED
        fresh.assignee = None
        fresh.withdrawn_at, fresh.withdrawal_reason = None, ""
        _save(fresh, user, _with_note(f"Published revision {revision.number}", note))
        PublicState.changed()  # after the save: it counts the public claims
        fresh.revision_editors.clear()
        _comment(fresh, user, CommentKind.PUBLISHED, note)
    return revision


def unpublish(claim: Claim, *, user, reason: str, expected_version=None) -> Claim:
    """Withdraw the live revision; the public sees a notice with the reason."""
    reason = _require(reason, "A reason to unpublish (shown to readers)")
    with _taking(Step.UNPUBLISH, claim, user, expected_version) as fresh:
        fresh.live_revision = None
        fresh.withdrawn_at, fresh.withdrawal_reason = _now(), reason
        if fresh.status == ClaimStatus.PUBLISHED:
            fresh.status = ClaimStatus.DRAFT
        _save(fresh, user, f"Unpublished: {reason}")
        PublicState.changed()  # after the save: it counts the public claims
        _comment(fresh, user, CommentKind.UNPUBLISHED, reason)
    return claim


def fact_checkers():
    """Everyone who can review claims: the people a claim can be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="review_claim")
            | Q(user_permissions__codename="review_claim")
        )
        .distinct()
        .order_by("username")
    )


def assign(claim: Claim, *, user, assignee, note: str = "", expected_version=None) -> Claim:
    """Ask a fact-checker to review the claim; they get an e-mail once it is saved."""
    note = (note or "").strip()
    if assignee is None or not fact_checkers().filter(pk=assignee.pk).exists():
        raise StepRefused(f"{assignee} cannot review claims, so the claim cannot go to them.")
    with _taking(Step.ASSIGN, claim, user, expected_version) as fresh:
        if fresh.assignee_id == assignee.pk:
            raise WrongState(f"The claim is already assigned to {assignee.get_username()}.")
        fresh.assignee = assignee
        _save(fresh, user, _with_note(f"Assigned to {assignee.get_username()}", note))
        _comment(fresh, user, CommentKind.ASSIGNED, _with_note(f"To {assignee}", note))
        transaction.on_commit(lambda: _send_assignment_mail(fresh, assignee, user, note))
    return claim


def _desk_links(claim: Claim, queue_filter: str) -> tuple[str, str]:
    """Absolute links, for an e-mail, to the claim's admin page and to a queue of the desk."""
    link = settings.SITE_URL + reverse("admin:factcheck_claim_change", args=[claim.pk])
    queue = settings.SITE_URL + reverse("admin:factcheck_claim_changelist") + queue_filter
    return link, queue


def _send_assignment_mail(claim: Claim, assignee, assigned_by, note: str) -> None:
    if not assignee.email:
        return
    link, queue = _desk_links(claim, "?assignee=me")
    body = (
        f"{assigned_by.get_username()} asked you to review this claim:\n\n"
        f"  {claim.statement}\n  “{claim.quote}”\n  ({claim.source})\n\n"
        + (f"Their note: {note}\n\n" if note else "")
        + f"Review it: {link}\nEverything assigned to you: {queue}\n"
    )
    send_mail(
        subject=f"Claim to review: {claim.statement}"[:150],
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[assignee.email],
    )


def comment(claim: Claim, *, user, body: str) -> ReviewComment:
    """Add an internal note to the claim's review thread."""
    body = _require(body, "The comment")
    _guard(Step.COMMENT, claim, user)
    return ReviewComment.objects.create(claim=claim, author=user, body=body)


@contextmanager
def editing(claim: Claim, *, user, reason: str, expected_version=None):
    """Edit a claim's words and evidence as one step: lock, check, save the claim,
    then let the caller write its citations inside the block.

        with workflow.editing(claim, user=user, reason="Cited the report"):
            citation.save()

    A new claim starts as a draft. Editing a published claim starts a new
    draft revision; the public keeps the published one until the new one is
    approved and published. Claims in review or approved are locked. Every
    write inside the block is recorded with ``user`` and ``reason``, and the
    user counts as an author of the revision (four eyes). All in one
    transaction: an error inside the block saves nothing.
    """
    reason = _require(reason, "A reason for the change")
    before = "new" if claim.pk is None else None
    with transaction.atomic():
        if claim.pk is None:
            if not (user and user.is_staff and user.has_perm("factcheck.add_claim")):
                raise NotPermitted("Your role does not allow adding claims.")
            steps_allowed = nullcontext()  # a new claim is an unrated draft (Claim.save checks)
        else:
            current = _lock(claim, expected_version)
            _guard(Step.EDIT, current, user)
            # Review fields stay as they are in the database, whatever the copy says.
            for name in WORKFLOW_FIELDS:
                attname = Claim._meta.get_field(name).attname
                setattr(claim, attname, getattr(current, attname))
            claim.version = current.version
            claim._workflow_loaded = current._workflow_loaded
            before = current.get_status_display()
            if current.status == ClaimStatus.PUBLISHED:
                claim.status = ClaimStatus.DRAFT
                reason = f"New revision of the published claim: {reason}"
            claim.approved_by, claim.approved_at, claim.approved_digest = None, None, ""
            steps_allowed = workflow_writes()
        with steps_allowed, recorded_change(reason=reason, user=user):
            claim.save()
        with recorded_change(reason=reason, user=user):
            yield claim
        claim.revision_editors.add(user)
    _log_step(Step.EDIT, claim, user, before)


def save_edit(claim: Claim, *, user, reason: str, expected_version=None) -> Claim:
    """Save changes to a claim's words (``editing`` with nothing else to write)."""
    with editing(claim, user=user, reason=reason, expected_version=expected_version):
        pass
    return claim


def revert(claim: Claim, *, user, record, reason: str = "", expected_version=None) -> Claim:
    """Bring back the words of an earlier version, as a new draft revision.

    Only the content comes back (statement, quote, attribution, kind, source);
    the workflow state, verdict and assignment stay as they are, so a revert
    goes through review like any other edit.
    """
    if record.id != claim.pk:
        raise StepRefused("That history record belongs to another claim.")
    if not Source.objects.filter(pk=record.source_id).exists():
        raise StepRefused(
            "That version quotes a source that was deleted since, so its words "
            "cannot be brought back."
        )
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    reason = (reason or "").strip() or f"Restored the words of the version of {when}"
    with transaction.atomic():
        current = _lock(claim, expected_version)
        _guard(Step.EDIT, current, user)
        for name in CONTENT_FIELDS:
            attname = Claim._meta.get_field(name).attname
            setattr(current, attname, getattr(record, attname))
        current.orphaned = False  # anchoring decides afresh
        return save_edit(current, user=user, reason=reason, expected_version=current.version)


# The same steps for many claims at once (one transaction, a few queries).
submit_many = workflow_many.submit_many
approve_many = workflow_many.approve_many
publish_many = workflow_many.publish_many
unpublish_many = workflow_many.unpublish_many
