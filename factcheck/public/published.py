"""What the public may see, as querysets. Every public surface starts here.

A claim is public while it has a live published revision. Readers see that
revision's frozen words, verdict, rationale and evidence, never the claim's
working copy. A source is public while at least one of its claims is.
"""

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from factcheck.models import Claim, PublishedRevision, Source
from factcheck.ratings import Verdict

PUBLIC_VERDICTS = [v for v in Verdict if v != Verdict.NOT_YET_RATED]


def live_claims():
    """Published claims with their live revision, source and first publication date."""
    first_published = PublishedRevision.objects.filter(claim=OuterRef("pk"), number=1).values(
        "published_at"
    )[:1]
    return (
        Claim.objects.published()
        .annotate(first_published_at=Subquery(first_published))
        .order_by("source__published_on", "source_id", "live_revision__quote_start", "pk")
    )


def public_sources(*, counts=False):
    """Sources with at least one published claim; ``counts`` adds counts by verdict."""
    sources = Source.objects.filter(
        Exists(Claim.objects.filter(source=OuterRef("pk"), live_revision__isnull=False))
    ).order_by("-published_on", "title")
    if not counts:
        return sources
    live = Q(claims__live_revision__isnull=False)
    by_verdict = {
        f"count_{verdict.value}": Count(
            "claims", filter=live & Q(claims__live_revision__verdict=verdict)
        )
        for verdict in PUBLIC_VERDICTS
    }
    return sources.annotate(claim_count=Count("claims", filter=live), **by_verdict)


def verdict_counts(source) -> list[tuple[Verdict, int]]:
    """(verdict, count) pairs of a source from ``public_sources()``, zeros left out."""
    return [
        (verdict, getattr(source, f"count_{verdict.value}"))
        for verdict in PUBLIC_VERDICTS
        if getattr(source, f"count_{verdict.value}")
    ]


def corrections():
    """Published corrections of claims that are still public, newest first.

    A correction is any revision after the first. Its previous verdict comes
    along, so a page can say what changed without another query per row.
    """
    previous = PublishedRevision.objects.filter(
        claim=OuterRef("claim"), number=OuterRef("number") - 1
    )
    return (
        PublishedRevision.objects.filter(number__gt=1, claim__live_revision__isnull=False)
        .annotate(
            previous_verdict=Subquery(previous.values("verdict")[:1]),
            previous_rationale=Subquery(previous.values("rationale")[:1]),
        )
        .select_related("claim")
        .only(
            "number",
            "statement",
            "verdict",
            "rationale",
            "note",
            "published_at",
            "claim__slug",
        )
        .order_by("-published_at", "-pk")
    )


def cited_documents(citations) -> dict[str, Source]:
    """The documents that published citations cite, by slug, with what the frozen
    citations do not carry: their kind and byline (for CSL-JSON). One query."""
    slugs = {citation["source"] for citation in citations}
    documents = Source.objects.filter(slug__in=slugs).only("slug", "kind", "byline")
    return {document.slug: document for document in documents}


def withdrawals():
    """Claims that were published and then withdrawn: only the date and reason are public."""
    return (
        Claim.objects.filter(live_revision__isnull=True, withdrawn_at__isnull=False)
        .filter(Exists(PublishedRevision.objects.filter(claim=OuterRef("pk"))))
        .only("slug", "withdrawn_at", "withdrawal_reason")
        .order_by("-withdrawn_at", "-pk")
    )


def withdrawal(slug: str):
    """The public notice of a withdrawn claim, or None."""
    return withdrawals().filter(slug=slug).first()
