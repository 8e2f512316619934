"""The desk dashboard: where the claims stand, and what waits for you."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from factcheck.models import Claim, ClaimStatus
from factcheck.ratings import Verdict

QUEUE_LENGTH = 10


@dataclass
class Queue:
    title: str
    link: str
    claims: list = field(default_factory=list)
    total: int = 0


@dataclass
class Dashboard:
    by_status: list
    by_verdict: list
    total: int
    queues: list


def _counts(column, choices):
    found = dict(Claim.objects.order_by().values_list(column).annotate(n=Count("pk")))
    return [(choice, found.get(choice.value, 0)) for choice in choices]


def _queue(title, link, queryset):
    claims = list(queryset.select_related("source").order_by("updated_at")[:QUEUE_LENGTH])
    total = len(claims) if len(claims) < QUEUE_LENGTH else queryset.count()
    return Queue(title=title, link=link, claims=claims, total=total)


def dashboard_for(user) -> Dashboard:
    """Counts by state and verdict, and the queues this user acts on."""
    by_status = _counts("status", ClaimStatus)
    changelist = reverse("admin:factcheck_claim_changelist")
    queues = [
        _queue(
            "Assigned to me",
            f"{changelist}?assignee=me",
            Claim.objects.assigned_to(user),
        )
    ]
    role_queues = [
        ("review_claim", "Waiting for review", {"status": ClaimStatus.IN_REVIEW}),
        ("publish_claim", "Approved, waiting to be published", {"status": ClaimStatus.APPROVED}),
        (
            "submit_claim",
            "Drafts I worked on",
            {"status": ClaimStatus.DRAFT, "revision_editors": user},
        ),
    ]
    for permission, title, lookup in role_queues:
        if user.has_perm(f"factcheck.{permission}"):
            link = f"{changelist}?status__exact={lookup['status']}"
            queues.append(_queue(title, link, Claim.objects.filter(**lookup)))
    return Dashboard(
        by_status=by_status,
        by_verdict=_counts("verdict", Verdict),
        total=sum(n for _, n in by_status),
        queues=queues,
    )
