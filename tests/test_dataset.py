"""The benchmark data builder writes real, reviewed, published claims with history."""

import io

from benchmarks.dataset import build
from factcheck.models import Claim, ClaimStatus, PublicState, PublishedRevision, Source


def test_build_writes_synthetic_claims_through_the_workflow(db):
    out = io.StringIO()
    build(130, per_article=50, out=out)

    assert Claim.objects.count() == 130
    assert Source.objects.filter(title__startswith="Synthetic article").count() == 3
    assert all("example.org" in url for url in Source.objects.values_list("url", flat=True))
    withdrawn = Claim.objects.filter(withdrawn_at__isnull=False)
    assert withdrawn.count() == 2  # every 100th
    assert Claim.objects.published().count() == 128 == PublicState.read().published_claims
    assert PublishedRevision.objects.filter(number=2).count() == 6  # every 25th corrected
    corrected = Claim.objects.get(slug="synthetic-0-0")
    assert [
        r.history_change_reason.split(":")[0].split(" as ")[0]
        for r in corrected.history.order_by("history_id")
    ] == [
        "Synthetic benchmark data (benchmarks/dataset.py)",
        "Submitted for review",
        "Approved",
        "Published revision 1",
        "New revision of the published claim",
        "Submitted for review",
        "Approved",
        "Published revision 2",
    ]
    assert all(r.history_user_id for r in corrected.history.all())
    assert set(Claim.objects.values_list("status", flat=True)) == {
        ClaimStatus.PUBLISHED,
        ClaimStatus.DRAFT,
    }
    searched = Claim.objects.filter(quote__iregex=r"torture|detention|protest").count()
    assert 0.05 <= searched / 130 <= 0.2
    assert all(1 <= claim.citations.count() <= 2 for claim in Claim.objects.all()[:20])
    assert "done" in out.getvalue()
