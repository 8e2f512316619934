"""What the public may see, as querysets. Every public surface starts here.

A claim is public while it has a live published revision. Readers see that
revision's frozen words, verdict, rationale, evidence, slug and source, never
the claim's working copy. A source is public while the live revision of at
least one claim was published from it. Every slug a claim was ever published
under leads to it (``moved_to``).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

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
        .order_by(
            "live_revision__source__published_on",
            "live_revision__source_id",
            "live_revision__quote_start",
            "pk",
        )
    )


def latest_fact_checks(limit: int):
    """The ``limit`` published claims most recently first published, newest first (a correction
    does not make a fact-check new again). Read each one's words and verdict from
    its ``live_revision``."""
    # The newest first publications, found on the revisions' publication-date
    # index; only those claims then get their first publication date worked out.
    newest = (
        PublishedRevision.objects.filter(number=1, claim__live_revision__isnull=False)
        .order_by("-published_at", "-pk")
        .values("claim")
    )
    return (
        live_claims()
        .filter(pk__in=newest[:limit])
        .defer("live_revision__source__text", "live_revision__source__notes")
        .order_by("-first_published_at", "-pk")
    )


def live_claim(slug: str):
    """The published claim whose public address is ``slug``, or None."""
    return live_claims().filter(live_revision__slug=slug).first()


def moved_to(slug: str) -> str | None:
    """The current public slug of a live claim once published under ``slug``, or None."""
    return (
        PublishedRevision.objects.filter(slug=slug, claim__live_revision__isnull=False)
        .values_list("claim__live_revision__slug", flat=True)
        .first()
    )


def public_sources(*, counts=False):
    """Sources with at least one published claim, newest first; ``counts`` adds
    counts by verdict (an aggregate over every one: narrow it first, as
    ``sources_with_counts`` does)."""
    sources = Source.objects.published().order_by("-published_on", "title")
    return with_counts(sources) if counts else sources


def latest_sources_with_counts(limit: int):
    """The ``limit`` newest public sources with their counts by verdict: one query
    whose aggregate covers these sources only."""
    newest = public_sources().values("pk")[:limit]
    return with_counts(public_sources().filter(pk__in=newest)).defer("text", "notes")


def sources_with_counts(slugs):
    """The public sources named by ``slugs`` (newest first) with their counts by
    verdict: one query whose aggregate covers these sources only."""
    return with_counts(public_sources().filter(slug__in=slugs)).defer("text", "notes")


def with_counts(sources):
    """``sources`` with ``claim_count`` and a ``count_<verdict>`` per public verdict."""
    live = Q(published_revisions__claim__live_revision=F("published_revisions__pk"))
    by_verdict = {
        f"count_{verdict.value}": Count(
            "published_revisions", filter=live & Q(published_revisions__verdict=verdict)
        )
        for verdict in PUBLIC_VERDICTS
    }
    return sources.annotate(claim_count=Count("published_revisions", filter=live), **by_verdict)


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
            live_slug=F("claim__live_revision__slug"),
        )
        .only("number", "statement", "verdict", "rationale", "note", "published_at")
        .order_by("-published_at", "-pk")
    )


def previous_revisions(revisions) -> dict:
    """The revision before each of ``revisions``, by (claim id, number), in one query."""
    wanted = Q(pk__in=[])
    for revision in revisions:
        wanted |= Q(claim_id=revision.claim_id, number=revision.number - 1)
    return {(r.claim_id, r.number): r for r in PublishedRevision.objects.filter(wanted)}


def withdrawals():
    """Claims that were published and then withdrawn: only the date, the reason and
    the source they were published from are public.

    ``public_slug`` is the slug of the claim's last published revision: the
    address the notice answers at (any earlier published slug leads there too).
    ``source_title`` and ``source_slug`` name the source of that revision (never
    the working copy's), and ``source_is_public`` says whether the source still
    has a page (it has while another claim published from it is live).
    """
    last = PublishedRevision.objects.filter(claim=OuterRef("pk")).order_by("-number")
    return (
        Claim.objects.filter(live_revision__isnull=True, withdrawn_at__isnull=False)
        .filter(Exists(PublishedRevision.objects.filter(claim=OuterRef("pk"))))
        .annotate(
            public_slug=Subquery(last.values("slug")[:1]),
            published_source_id=Subquery(last.values("source")[:1]),
            source_title=Subquery(last.values("source__title")[:1]),
            source_slug=Subquery(last.values("source__slug")[:1]),
        )
        .annotate(
            source_is_public=Exists(
                Source.objects.published().filter(pk=OuterRef("published_source_id"))
            )
        )
        .only("withdrawn_at", "withdrawal_reason")
        .order_by("-withdrawn_at", "-pk")
    )


def withdrawal(slug: str):
    """The public notice of a withdrawn claim once published under ``slug``, or None."""
    published_there = PublishedRevision.objects.filter(claim=OuterRef("pk"), slug=slug)
    return withdrawals().filter(Exists(published_there)).first()


def published_capture(pk: int):
    """The capture ``pk`` if the live revision of a published claim was checked against it
    (its citations name it), or None: a capture nothing public refers to is not public."""
    from factcheck.models import Capture

    live = Claim.objects.filter(live_revision__isnull=False, live_revision__checked_captures=pk)
    return Capture.objects.filter(pk=pk).filter(Exists(live)).first()
