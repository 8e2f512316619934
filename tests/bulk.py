"""Many published claims at once, for query budgets and benchmarks.

Going through factcheck.workflow for thousands of claims would take minutes;
this writes the same rows (claims with history, frozen revisions, the live
pointer) in a few bulk statements. Used by tests and benchmarks/ only.
"""

from django.utils import timezone

from factcheck.history import bulk_create_with_history, bulk_update_with_history
from factcheck.models import Claim, ClaimKind, ClaimStatus, PublicState, PublishedRevision
from factcheck.models.claims import workflow_writes
from factcheck.public.published import PUBLIC_VERDICTS


def publish_many(source, count, *, quote, start, approver, publisher, prefix="bulk"):
    """Add ``count`` published claims quoting ``quote`` at ``start`` in ``source``."""
    text, end, now = source.text, start + len(quote), timezone.now()
    assert text[start:end] == quote, "the quote must occur at start in the source text"
    offset = Claim.objects.filter(slug__startswith=f"{prefix}-").count()
    claims = [
        Claim(
            source=source,
            slug=f"{prefix}-{offset + i}",
            statement=f"Bulk claim {offset + i}",
            quote=quote,
            quote_start=start,
            quote_end=end,
            quote_prefix=text[max(0, start - 32) : start],
            quote_suffix=text[end : end + 32],
            attributed_to=f"Speaker {i % 40}",
            kind=list(ClaimKind)[i % len(ClaimKind)],
            status=ClaimStatus.PUBLISHED,
            verdict=PUBLIC_VERDICTS[i % len(PUBLIC_VERDICTS)],
            rationale=f"Rationale {offset + i}: the evidence shows it.",
            approved_by=approver,
            approved_at=now,
        )
        for i in range(count)
    ]
    with workflow_writes():
        claims = bulk_create_with_history(claims, Claim, reason="Bulk test data", batch_size=1000)
        claims = list(Claim.objects.filter(slug__in=[c.slug for c in claims]))
        revisions = PublishedRevision.objects.bulk_create(
            [
                PublishedRevision(
                    claim=claim,
                    number=1,
                    slug=claim.slug,
                    source_id=claim.source_id,
                    statement=claim.statement,
                    quote=claim.quote,
                    quote_start=claim.quote_start,
                    quote_end=claim.quote_end,
                    quote_prefix=claim.quote_prefix,
                    quote_suffix=claim.quote_suffix,
                    attributed_to=claim.attributed_to,
                    kind=claim.kind,
                    verdict=claim.verdict,
                    rationale=claim.rationale,
                    citations=[],
                    note="First published.",
                    approved_by=approver,
                    approved_at=now,
                    published_by=publisher,
                    published_at=now,
                )
                for claim in claims
            ],
            batch_size=1000,
        )
        by_claim = {r.claim_id: r for r in PublishedRevision.objects.filter(claim__in=claims)}
        for claim in claims:
            claim.live_revision = by_claim[claim.pk]
        bulk_update_with_history(
            claims, Claim, ["live_revision"], reason="Bulk test data: published", batch_size=1000
        )
        PublicState.changed()
    return revisions
