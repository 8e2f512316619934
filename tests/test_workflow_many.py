"""The bulk workflow steps: the single steps' rules, for many claims, all or nothing."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from factcheck import workflow
from factcheck.models import Claim, ClaimStatus, PublicState, PublishedRevision, ReviewComment
from tests.factories import ClaimFactory, ReviewedClaimFactory, SourceFactory

APPROVAL = {"verdict": "accurate", "rationale": "The report says so.", "fidelity": "not_applicable"}


def drafts(count):
    source = SourceFactory()
    return [ClaimFactory(source=source) for _ in range(count)]


def statuses():
    return sorted(Claim.objects.values_list("status", flat=True))


def test_claims_go_from_draft_to_published_with_one_history_row_per_step(
    researcher, factchecker, editor
):
    claims = drafts(3)
    workflow.submit_many(claims, user=researcher, note="Ready")
    workflow.approve_many(Claim.objects.all(), user=factchecker, **APPROVAL)
    revisions = workflow.publish_many(Claim.objects.all(), user=editor)

    assert statuses() == [ClaimStatus.PUBLISHED] * 3
    assert PublicState.read().published_claims == 3
    assert [r.number for r in revisions] == [1, 1, 1]
    for claim in Claim.objects.all():
        records = list(claim.history.order_by("history_id"))
        assert [(r.history_user, r.history_change_reason) for r in records[1:]] == [
            (researcher, "Submitted for review: Ready"),
            (factchecker, "Approved as Accurate"),
            (editor, "Published revision 1"),
        ]
        assert records[-1].live_revision_id == claim.live_revision_id
        assert claim.version == 4
        assert not claim.revision_editors.exists()

    withdrawn = workflow.unpublish_many(Claim.objects.all(), user=editor, reason="Duplicates")
    assert statuses() == [ClaimStatus.DRAFT] * 3 and len(withdrawn) == 3
    assert PublicState.read().published_claims == 0
    assert ReviewComment.objects.filter(kind="unpublished", body="Duplicates").count() == 3


def test_the_author_cannot_approve_their_own_claims_and_nothing_is_approved(factchecker):
    source = SourceFactory()
    claims = [ClaimFactory(source=source, status="in_review") for _ in range(3)]
    claims[1].revision_editors.add(factchecker)

    with pytest.raises(workflow.FourEyes, match=claims[1].slug):
        workflow.approve_many(claims, user=factchecker, **APPROVAL)

    assert statuses() == [ClaimStatus.IN_REVIEW] * 3
    assert all(claim.history.count() == 1 for claim in Claim.objects.all())


def test_the_approver_cannot_publish_and_nothing_is_published(factchecker, editor):
    good = ReviewedClaimFactory(approved_by=factchecker)
    own = ReviewedClaimFactory(approved_by=editor)

    with pytest.raises(workflow.FourEyes, match="You approved this revision"):
        workflow.publish_many([good, own], user=editor)

    assert not PublishedRevision.objects.exists()
    assert statuses() == [ClaimStatus.APPROVED] * 2


def test_a_claim_in_the_wrong_state_refuses_the_whole_set(researcher, editor):
    claims = drafts(2)
    with workflow_states(claims[1], "approved"):
        pass
    with pytest.raises(workflow.WrongState, match="Only a draft can be submitted"):
        workflow.submit_many(Claim.objects.all(), user=researcher)
    assert sorted(statuses()) == ["approved", "draft"]

    with pytest.raises(workflow.WrongState, match="Nothing of this claim is published"):
        workflow.unpublish_many(Claim.objects.all(), user=editor, reason="Gone")


def workflow_states(claim, status):
    """Put a test claim in a state (test data only, as the factories do)."""
    from contextlib import contextmanager

    from factcheck.history import recorded_change
    from factcheck.models.claims import workflow_writes

    @contextmanager
    def applied():
        claim.status = status
        with workflow_writes(), recorded_change(reason="Test state"):
            claim.save(skip_anchoring=True)
        yield claim

    return applied()


def test_a_role_without_the_permission_is_refused(researcher):
    claims = [ReviewedClaimFactory()]
    with pytest.raises(workflow.NotPermitted):
        workflow.publish_many(claims, user=researcher)
    with pytest.raises(workflow.NotPermitted):
        workflow.approve_many(Claim.objects.all(), user=researcher, **APPROVAL)
    assert statuses() == [ClaimStatus.APPROVED]


def test_missing_evidence_refuses_submission_and_a_stale_copy_is_refused(researcher):
    claims = drafts(2)
    bare = ClaimFactory(source=claims[0].source, evidence=False, slug="bare")
    citation = claims[1].citations.get()
    from factcheck.history import recorded_change

    citation.passage = ""
    with recorded_change(reason="Test: passage removed"):
        citation.save()
    with pytest.raises(workflow.StepRefused, match="quote the passage"):
        workflow.submit_many([*claims, bare], user=researcher)
    assert statuses() == [ClaimStatus.DRAFT] * 3

    stale = Claim.objects.get(pk=claims[0].pk)
    with workflow_states(Claim.objects.get(pk=claims[0].pk), "draft"):
        pass  # someone saved meanwhile
    with pytest.raises(workflow.StaleClaim):
        workflow.submit_many([stale], user=researcher)


def test_publish_many_writes_the_rows_publish_writes(factchecker, editor, editor2):
    single, many = ReviewedClaimFactory(slug="single"), ReviewedClaimFactory(slug="many")

    workflow.publish(single, user=editor)
    workflow.publish_many([many], user=editor)

    def revision_row(claim):
        revision = claim.live_revision
        assert (revision.slug, revision.source_id) == (claim.slug, claim.source_id)
        assert revision.approved_at == claim.approved_at
        assert revision.published_at >= revision.approved_at
        varying = ["id", "claim", "slug", "source", "approved_at", "published_at"]
        row = model_to_dict(revision, exclude=varying)
        # Each claim cites its own synthetic evidence source: compare the rest.
        row["citations"] = [
            {k: v for k, v in c.items() if k not in ("source", "title")} for c in row["citations"]
        ]
        return row

    single.refresh_from_db(), many.refresh_from_db()
    assert revision_row(single) == revision_row(many)
    ignored = {"id", "slug", "key", "statement", "live_revision", "updated_at", "created_at"}
    ignored |= {"approved_at", "approved_by", "approved_digest", "source"}
    claim_row = {f.attname for f in Claim._meta.concrete_fields} - {
        Claim._meta.get_field(n).attname for n in ignored
    }
    for name in claim_row:
        assert getattr(single, name) == getattr(many, name), name
    last_single, last_many = single.history.first(), many.history.first()
    for name in ("history_type", "history_user_id", "history_change_reason", "history_actor"):
        assert getattr(last_single, name) == getattr(last_many, name), name
    assert last_many.status == ClaimStatus.PUBLISHED
    assert single.history.count() == many.history.count()


@pytest.fixture
def editor2(db):
    from factcheck.roles import Role
    from tests.conftest import user_with_role

    return user_with_role("ed2", Role.EDITOR)


def test_queries_do_not_grow_with_the_number_of_claims(researcher, factchecker, editor):
    def steps(count):
        claims = Claim.objects.filter(pk__in=[claim.pk for claim in drafts(count)])
        with CaptureQueriesContext(connection) as captured:
            workflow.submit_many(claims, user=researcher)
            workflow.approve_many(claims, user=factchecker, **APPROVAL)
            workflow.publish_many(claims, user=editor)
        assert set(claims.values_list("status", flat=True)) == {ClaimStatus.PUBLISHED}
        return len(captured)

    steps(1)  # permissions are read once per user, then cached
    assert steps(5) == steps(40)
