"""The review workflow's steps for many claims at once, all or nothing.

``submit_many``, ``approve_many``, ``publish_many`` and ``unpublish_many`` take
a queryset or a list of claims and apply the same step as ``submit``,
``approve``, ``publish`` and ``unpublish`` in ``factcheck.workflow`` to each:
the same permission, state and four-eyes checks (``workflow.refusal``), the
same evidence checks, the same fields written and one history record per
claim with the user and the reason. The difference is the number of queries:
the claims are locked, checked and written set-wise, a few statements for the
whole set. If any claim is refused, nothing is written and the error lists
every refused claim. Use them through ``factcheck.workflow``.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Max

from factcheck import bulk_rows
from factcheck.captures.checking import latest_captures, record_checks
from factcheck.history import bulk_update_with_history
from factcheck.models import (
    Citation,
    Claim,
    ClaimStatus,
    CommentKind,
    PublicState,
    PublishedRevision,
    ReviewComment,
)
from factcheck.models.citations import DECISIVE_STANCES
from factcheck.models.claims import workflow_writes
from factcheck.ratings import FIDELITY_NEEDS_NOTE, Fidelity, Verdict

CHUNK = 5000  # keys per statement (SQLite and PostgreSQL limit the parameters)
SHOWN = 10


def _chunks(items):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class ManyRefused:
    """Collects why claims are refused; raises one error naming them all."""

    def __init__(self, step, user):
        self.step, self.user, self.refusals = step, user, []

    def add(self, claim, problem):
        self.refusals.append((claim, problem))

    def raise_if_any(self):
        from factcheck import workflow

        if not self.refusals:
            return
        kinds = {type(problem) for _, problem in self.refusals}
        kind = kinds.pop() if len(kinds) == 1 else workflow.StepRefused
        lines = [f"{claim.slug}: {problem}" for claim, problem in self.refusals[:SHOWN]]
        more = len(self.refusals) - SHOWN
        if more > 0:
            lines.append(f"and {more} more")
        for claim, problem in self.refusals:
            workflow._log_refusal(self.step, claim, self.user, problem)
        error = kind(
            f"{self.step.label}: {len(self.refusals)} claim(s) refused, nothing was changed. "
            + "; ".join(lines)
        )
        error.refusals = self.refusals
        raise error


def _lock_many(claims) -> list[Claim]:
    """Lock the claims' rows and return fresh copies, in the given order; refuse stale ones."""
    from factcheck import workflow

    if hasattr(claims, "values_list"):  # a queryset: read now, so nothing can be stale
        expected = dict.fromkeys(claims.order_by().values_list("pk", flat=True))
    else:
        expected = {claim.pk: claim.version for claim in claims}
    fresh = {}
    for chunk in _chunks(list(expected)):
        # The sources' stored texts are not needed here, and they are long: one per
        # claim row would be read otherwise.
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("source")
            .defer("source__text")
            .filter(pk__in=chunk)
        )
        fresh.update((claim.pk, claim) for claim in locked)
    missing = [pk for pk in expected if pk not in fresh]
    if missing:
        raise workflow.StaleClaim(
            f"Claim(s) #{', #'.join(map(str, missing[:SHOWN]))} were deleted."
        )
    for pk, version in expected.items():
        if version is not None and fresh[pk].version != version:
            raise workflow.StaleClaim(workflow.stale_message(fresh[pk], version))
    return [fresh[pk] for pk in expected]


def _as_given(claims):
    """A queryset as it is (read when locked), any other iterable as a list."""
    return claims if hasattr(claims, "values_list") else list(claims)


def _sync_held(claims, fresh) -> None:
    """Bring the caller's copies up to date, as the single steps do, so the next step
    on the same list is not refused as stale."""
    from factcheck import workflow

    if hasattr(claims, "values_list"):
        return
    by_pk = {claim.pk: claim for claim in fresh}
    for held in claims:
        workflow._sync(held, by_pk[held.pk])


def _edited_by(claims, user) -> set[int]:
    through = Claim.revision_editors.through
    edited = set()
    for chunk in _chunks([claim.pk for claim in claims]):
        edited.update(
            through.objects.filter(claim_id__in=chunk, user_id=user.pk).values_list(
                "claim_id", flat=True
            )
        )
    return edited


def _citations(claims) -> dict[int, list]:
    """Every claim's citations with their sources, in key order, in one query per chunk."""
    by_claim = defaultdict(list)
    for chunk in _chunks([claim.pk for claim in claims]):
        for citation in (
            Citation.objects.filter(claim_id__in=chunk).select_related("source").order_by("pk")
        ):
            by_claim[citation.claim_id].append(citation)
    return by_claim


def _checked(step, claims, user) -> tuple[list[Claim], ManyRefused]:
    """Lock the claims and check ``workflow.refusal`` for each (four eyes read set-wise)."""
    from factcheck import workflow

    refused = ManyRefused(step, user)
    fresh = _lock_many(claims)
    four_eyes = step in (workflow.Step.APPROVE, workflow.Step.PUBLISH) and user is not None
    edited = _edited_by(fresh, user) if four_eyes and user.is_authenticated else set()
    for claim in fresh:
        problem = workflow.refusal(step, claim, user, edited=claim.pk in edited)
        if problem is not None:
            refused.add(claim, problem)
    return fresh, refused


def _write(step, claims, user, fields, reason, *, befores, date=None):
    """Save ``fields`` of every claim with one history record each, and log each step."""
    from factcheck import workflow

    reason = workflow._recorded_reason(reason)
    with workflow_writes():
        bulk_update_with_history(claims, Claim, fields, reason=reason, user=user, date=date)
    for claim in claims:
        claim._workflow_loaded = claim._workflow_values()
    transaction.on_commit(lambda: _log_steps(step, claims, user, befores))


def _log_steps(step, claims, user, befores):
    from factcheck import workflow

    if workflow.log.isEnabledFor(20):  # INFO: one line per claim, as for single steps
        for claim in claims:
            workflow._log_step(step, claim, user, befores[claim.pk])


def _comments(claims, user, kind, body):
    if not body or not claims:
        return
    comments = [ReviewComment(claim=claim, author=user, kind=kind, body=body) for claim in claims]
    bulk_rows.insert(ReviewComment, comments, with_pks=False)


def _statuses(claims) -> dict[int, str]:
    return {claim.pk: claim.get_status_display() for claim in claims}


def submit_many(claims, *, user, note: str = "") -> list[Claim]:
    """Draft → in review for every claim, once every citation quotes its passage."""
    from factcheck import workflow

    note = (note or "").strip()
    claims = _as_given(claims)
    with transaction.atomic():
        fresh, refused = _checked(workflow.Step.SUBMIT, claims, user)
        citations = _citations(fresh)
        for claim in fresh:
            problems = workflow.evidence_problems(claim, citations[claim.pk])
            if problems:
                refused.add(
                    claim, workflow.StepRefused("Fix the evidence first. " + " ".join(problems))
                )
        refused.raise_if_any()
        befores = _statuses(fresh)
        for claim in fresh:
            claim.status = ClaimStatus.IN_REVIEW
        reason = workflow._with_note("Submitted for review", note)
        _write(workflow.Step.SUBMIT, fresh, user, ["status"], reason, befores=befores)
        _comments(fresh, user, CommentKind.SUBMITTED, note)
    _sync_held(claims, fresh)
    return fresh


def approve_many(
    claims,
    *,
    user,
    verdict,
    rationale: str,
    fidelity,
    fidelity_note: str = "",
    note: str = "",
) -> list[Claim]:
    """In review → approved for every claim, with one verdict, rationale and fidelity."""
    from factcheck import workflow

    verdict = workflow._choice(Verdict, verdict, "verdict")
    fidelity = workflow._choice(Fidelity, fidelity, "fidelity rating")
    rationale = workflow._require(rationale, "A rationale for the verdict")
    fidelity_note = (fidelity_note or "").strip()
    if fidelity in FIDELITY_NEEDS_NOTE and not fidelity_note:
        raise workflow.StepRefused(
            f"Say what differs between the article's words and its source's "
            f"(“{fidelity.label}” needs a note)."
        )
    note = (note or "").strip()
    claims = _as_given(claims)
    with transaction.atomic():
        fresh, refused = _checked(workflow.Step.APPROVE, claims, user)
        citations = _citations(fresh)
        if verdict != Verdict.UNVERIFIABLE:
            for claim in fresh:
                decisive = [
                    c
                    for c in citations[claim.pk]
                    if c.stance in DECISIVE_STANCES and c.passage != ""
                ]
                if not decisive:
                    refused.add(
                        claim,
                        workflow.StepRefused(
                            f"“{verdict.label}” needs evidence: cite at least one passage that "
                            "supports or contradicts the claim, or rate it Unverifiable and "
                            "say what is missing."
                        ),
                    )
        refused.raise_if_any()
        befores = _statuses(fresh)
        now = workflow._now()
        for claim in fresh:
            claim.verdict, claim.rationale = verdict, rationale
            claim.fidelity, claim.fidelity_note = fidelity, fidelity_note
            claim.status = ClaimStatus.APPROVED
            claim.approved_by, claim.approved_at = user, now
            claim.approved_digest = claim.content_digest(citations[claim.pk])
        fields = [
            "verdict",
            "rationale",
            "fidelity",
            "fidelity_note",
            "status",
            "approved_by",
            "approved_at",
            "approved_digest",
        ]
        reason = workflow._with_note(f"Approved as {verdict.label}", note)
        _write(workflow.Step.APPROVE, fresh, user, fields, reason, befores=befores)
        summary = f"Verdict: {verdict.label}. Fidelity: {fidelity.label}."
        _comments(fresh, user, CommentKind.APPROVED, workflow._with_note(summary, note))
    _sync_held(claims, fresh)
    return fresh


def _previous_numbers(claims) -> dict[int, int]:
    numbers = {}
    for chunk in _chunks([claim.pk for claim in claims]):
        numbers.update(
            PublishedRevision.objects.filter(claim_id__in=chunk)
            .values("claim_id")
            .annotate(last=Max("number"))
            .values_list("claim_id", "last")
        )
    return numbers


def _slugs_taken(claims) -> set[int]:
    """The claims whose slug another claim was published under."""
    owner = {claim.slug: claim.pk for claim in claims}
    taken = set()
    for chunk in _chunks(list(owner)):
        for slug, claim_id in PublishedRevision.objects.filter(slug__in=chunk).values_list(
            "slug", "claim_id"
        ):
            if owner[slug] != claim_id:
                taken.add(owner[slug])
    return taken


def publish_many(claims, *, user, note: str = "") -> list[PublishedRevision]:
    """Approved → published for every claim: a new revision of each becomes public.

    As ``publish``: a republication needs a note (shown to readers); what is
    published must be exactly what was approved. ``PublicState.changed()`` runs
    once, after every live pointer is written (it counts the public claims).
    """
    from factcheck import workflow

    note = (note or "").strip()
    claims = _as_given(claims)
    with transaction.atomic():
        fresh, refused = _checked(workflow.Step.PUBLISH, claims, user)
        refused.raise_if_any()
        previous = _previous_numbers(fresh)
        citations = _citations(fresh)
        taken = _slugs_taken(fresh)
        for claim in fresh:
            if claim.pk in previous and not note:
                refused.add(claim, workflow.StepRefused(workflow.REPUBLISH_NEEDS_NOTE))
            elif claim.content_digest(citations[claim.pk]) != claim.approved_digest:
                refused.add(claim, workflow.StepRefused(workflow.CHANGED_SINCE_APPROVAL))
            elif claim.pk in taken:
                refused.add(claim, workflow.StepRefused(workflow.slug_taken_message(claim)))
        refused.raise_if_any()
        befores = _statuses(fresh)
        now = workflow._now()
        revisions, checked = [], []
        # Each passage's check against its source's latest capture (PublishedRevision.snapshot).
        latest = latest_captures(c.source_id for cited in citations.values() for c in cited)
        for claim in fresh:
            number = previous.get(claim.pk, 0) + 1
            data = claim.revision_data(citations[claim.pk])
            checked.append(record_checks(data["citations"], citations[claim.pk], latest))
            revisions.append(
                PublishedRevision(
                    claim=claim,
                    number=number,
                    slug=claim.slug,
                    source=claim.source,
                    **data,
                    note=note or "First published.",
                    approved_by_id=claim.approved_by_id,
                    approved_at=claim.approved_at,
                    published_by=user,
                    published_at=now,
                )
            )
        with workflow_writes():
            revisions = PublishedRevision.objects.prepare_bulk_create(revisions)
            bulk_rows.insert(PublishedRevision, revisions)
            through = PublishedRevision.checked_captures.through
            through.objects.bulk_create(
                through(publishedrevision_id=revision.pk, capture_id=capture.pk)
                for revision, captures in zip(revisions, checked, strict=True)
                for capture in captures
            )
        by_number = defaultdict(list)
        for claim, revision in zip(fresh, revisions, strict=True):
            claim.live_revision = revision
            claim.status = ClaimStatus.PUBLISHED
            claim.assignee = None
            claim.withdrawn_at, claim.withdrawal_reason = None, ""
            by_number[revision.number].append(claim)
        fields = ["live_revision", "status", "assignee", "withdrawn_at", "withdrawal_reason"]
        for number, group in sorted(by_number.items()):
            reason = workflow._with_note(f"Published revision {number}", note)
            _write(workflow.Step.PUBLISH, group, user, fields, reason, befores=befores)
        PublicState.changed()  # after the pointers are written: it counts the public claims
        through = Claim.revision_editors.through
        for chunk in _chunks([claim.pk for claim in fresh]):
            through.objects.filter(claim_id__in=chunk).delete()
        _comments(fresh, user, CommentKind.PUBLISHED, note)
    _sync_held(claims, fresh)
    return revisions


def unpublish_many(claims, *, user, reason: str) -> list[Claim]:
    """Withdraw every claim's live revision; the public sees a notice with the reason."""
    from factcheck import workflow

    reason = workflow._require(reason, "A reason to unpublish (shown to readers)")
    claims = _as_given(claims)
    with transaction.atomic():
        fresh, refused = _checked(workflow.Step.UNPUBLISH, claims, user)
        refused.raise_if_any()
        befores = _statuses(fresh)
        now = workflow._now()
        for claim in fresh:
            claim.live_revision = None
            claim.withdrawn_at, claim.withdrawal_reason = now, reason
            if claim.status == ClaimStatus.PUBLISHED:
                claim.status = ClaimStatus.DRAFT
        fields = ["live_revision", "withdrawn_at", "withdrawal_reason", "status"]
        _write(
            workflow.Step.UNPUBLISH, fresh, user, fields, f"Unpublished: {reason}", befores=befores
        )
        PublicState.changed()  # after the save: it counts the public claims
        _comments(fresh, user, CommentKind.UNPUBLISHED, reason)
    _sync_held(claims, fresh)
    return fresh
