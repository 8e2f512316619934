"""Factories for test data. Every object is saved with a history reason."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, ClaimKind, Source, SourceKind, Stance
from factcheck.models.claims import workflow_writes

ARTICLE_TEXT = (
    "Headline: Report finds abuses\n\n"
    "The report found “massive” abuses in 2020. Police detained thousands.\n\n"
    "Officials said the report was wrong. The report found “massive” abuses again."
)


class TrackedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with recorded_change(reason="Created by a test factory"):
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password("test-password-123")


class SourceFactory(TrackedFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Example Publisher"
    kind = SourceKind.REPORT
    language = "en"
    text = ARTICLE_TEXT


class ClaimFactory(TrackedFactory):
    source = factory.SubFactory(SourceFactory)
    slug = factory.Sequence(lambda n: f"claim-{n}")
    statement = "Police detained thousands"
    quote = "Police detained thousands"
    attributed_to = "Example Publisher"
    kind = ClaimKind.STATISTIC

    class Meta:
        model = Claim
        skip_postgeneration_save = True

    @factory.post_generation
    def evidence(claim, create, extracted, **kwargs):
        """One supporting passage, so the claim can be rated; ``evidence=False`` for none."""
        if create and extracted is not False:
            CitationFactory(claim=claim, locator="p. 1")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Test data may start in any review state (status=..., verdict=...);
        # real code reaches those states only through factcheck.workflow.
        with workflow_writes():
            return super()._create(model_class, *args, **kwargs)


class ReviewedClaimFactory(ClaimFactory):
    """A claim as a fact-checker left it: approved, with a verdict, fidelity and rationale,
    and the digest of what was approved (its evidence included)."""

    class Meta:
        skip_postgeneration_save = True

    status = "approved"
    verdict = "accurate"
    rationale = "The report says so."
    fidelity = "not_applicable"
    approved_at = factory.LazyFunction(timezone.now)
    approved_by = factory.SubFactory(UserFactory, username="approver")

    @factory.post_generation
    def approved_digest(claim, create, extracted, **kwargs):
        if not create:
            return
        claim.approved_digest = extracted or claim.content_digest()
        with workflow_writes(), recorded_change(reason="Approved by a test factory"):
            claim.save(skip_anchoring=True)


class CitationFactory(TrackedFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory, text="Evidence text.")
    passage = "Evidence text."
    locator = factory.Sequence(lambda n: f"p. {n}")
    stance = Stance.SUPPORTS
