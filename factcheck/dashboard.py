"""The desk dashboard: where the claims stand, and what waits for you."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, Subquery, Window
from django.urls import reverse

from factcheck.models import Claim, ClaimStatus, CommentKind, ReviewComment
from factcheck.ratings import Verdict

QUEUE_LENGTH = 10
# Comments that record a step; the latest one says how a draft got where it is.
STEP_COMMENTS = [
    CommentKind.SUBMITTED,
    CommentKind.CHANGES_REQUESTED,
    CommentKind.APPROVED,
    CommentKind.PUBLISHED,
    CommentKind.UNPUBLISHED,
]
# A withdrawn claim: once public, now a withdrawal notice.
WITHDRAWN = Q(live_revision__isnull=True, withdrawn_at__isnull=False)


@dataclass
class Queue:
    title: str
    link: str
    claims: list = field(default_factory=list)
    total: int = 0


@dataclass
class StateCount:
    key: str  # a ClaimStatus value, or "withdrawn"
    label: str
    link: str
    n: int


@dataclass
class Dashboard:
    by_status: list
    by_verdict: list
    total: int
    queues: list


def worked_on_by(user, queryset=None):
    """Claims whose current revision ``user`` edited, or which they submitted.

    Found from the user's own rows (the pending revision's editors, their
    history), then the claims by key: the cost follows their work, not the
    size of the desk."""
    queryset = Claim.objects.all() if queryset is None else queryset
    edited = Claim.revision_editors.through.objects.filter(user=user).order_by().values("claim_id")
    submitted = (
        Claim.history.model.objects.filter(
            history_user=user,
            history_change_reason__startswith="Submitted for review",
        )
        .order_by()
        .values("id")
    )
    return queryset.filter(pk__in=edited.union(submitted))


def sent_back(queryset=None):
    """Drafts a fact-checker or editor sent back with a request for changes."""
    queryset = Claim.objects.all() if queryset is None else queryset
    latest_step = ReviewComment.objects.filter(claim=OuterRef("pk"), kind__in=STEP_COMMENTS)
    latest_kind = latest_step.order_by("-created_at", "-pk").values("kind")[:1]
    # Asked of the claims in ``queryset`` only (a user's few), not of every claim.
    return (
        queryset.filter(status=ClaimStatus.DRAFT)
        .alias(last_step=Subquery(latest_kind))
        .filter(last_step=CommentKind.CHANGES_REQUESTED)
    )


def _counts():
    """Claims by (status, verdict, withdrawn), in one grouped query: a few dozen rows
    at any size, from which every count on the dashboard is summed."""
    rows = (
        Claim.objects.order_by()
        .annotate(withdrawn=ExpressionWrapper(WITHDRAWN, output_field=BooleanField()))
        .values_list("status", "verdict", "withdrawn")
        .annotate(n=Count("pk"))
    )
    return [(status, verdict, withdrawn, n) for status, verdict, withdrawn, n in rows]


def _status_counts(changelist, counts):
    """Claims by status, with withdrawn claims apart from the drafts they became."""
    found, withdrawn_drafts = {}, 0
    for status, _, withdrawn, n in counts:
        if withdrawn and status == ClaimStatus.DRAFT:
            withdrawn_drafts += n
        else:
            found[status] = found.get(status, 0) + n
    counts = []
    for status in ClaimStatus:
        n = found.get(status.value, 0)
        link = f"{changelist}?status__exact={status.value}"
        if status == ClaimStatus.DRAFT:
            link += "&publication=not_withdrawn"
        counts.append(StateCount(status.value, status.label, link, n))
    withdrawn = f"{changelist}?publication=withdrawn"
    counts.append(StateCount("withdrawn", "Withdrawn", withdrawn, withdrawn_drafts))
    return counts


def _verdict_counts(counts):
    found = {}
    for _, verdict, _, n in counts:
        found[verdict] = found.get(verdict, 0) + n
    return [(verdict, found.get(verdict.value, 0)) for verdict in Verdict]


def _queue(title, link, queryset, total=None):
    """The first claims of a queue, oldest change first, and how many it holds:
    ``total`` when already counted, else counted in the same query (a window
    over the whole queue, computed before the first few are cut)."""
    queryset = queryset.select_related("source").order_by("updated_at", "pk")
    if total is not None:
        return Queue(title=title, link=link, claims=list(queryset[:QUEUE_LENGTH]), total=total)
    claims = list(queryset.annotate(queue_total=Window(Count("pk")))[:QUEUE_LENGTH])
    total = claims[0].queue_total if claims else 0
    return Queue(title=title, link=link, claims=claims, total=total)


def dashboard_for(user) -> Dashboard:
    """Counts by state and verdict, and the queues this user acts on."""
    changelist = reverse("admin:factcheck_claim_changelist")
    counts = _counts()
    by_status = _status_counts(changelist, counts)
    by_key = {count.key: count.n for count in by_status}
    queues = [
        _queue(
            "Assigned to me",
            f"{changelist}?assignee=me",
            Claim.objects.assigned_to(user),
        )
    ]
    if user.has_perm("factcheck.submit_claim"):
        queues.append(
            _queue(
                "Sent back to me for changes",
                f"{changelist}?mine=sent_back",
                sent_back(worked_on_by(user)),
            )
        )
    if user.has_perm("factcheck.review_claim"):
        queues.append(
            _queue(
                "Waiting for review",
                f"{changelist}?status__exact={ClaimStatus.IN_REVIEW}",
                Claim.objects.filter(status=ClaimStatus.IN_REVIEW),
                total=by_key[ClaimStatus.IN_REVIEW],
            )
        )
    if user.has_perm("factcheck.publish_claim"):
        queues.append(
            _queue(
                "Approved, waiting to be published",
                f"{changelist}?status__exact={ClaimStatus.APPROVED}",
                Claim.objects.filter(status=ClaimStatus.APPROVED),
                total=by_key[ClaimStatus.APPROVED],
            )
        )
    if user.has_perm("factcheck.submit_claim"):
        queues.append(
            _queue(
                "Drafts I worked on",
                f"{changelist}?status__exact={ClaimStatus.DRAFT}&mine=worked_on",
                worked_on_by(user, Claim.objects.filter(status=ClaimStatus.DRAFT)),
            )
        )
    return Dashboard(
        by_status=by_status,
        by_verdict=_verdict_counts(counts),
        total=sum(count.n for count in by_status),
        queues=queues,
    )
