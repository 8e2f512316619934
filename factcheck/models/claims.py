from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.utils.text import normalize_newlines

from factcheck import anchoring
from factcheck.history import TrackedModel, TrackedQuerySet, tracked_history
from factcheck.ratings import Verdict


class ClaimKind(models.TextChoices):
    STATISTIC = "statistic", "Statistic"
    DATE_EVENT = "date_event", "Date or event"
    QUOTATION = "quotation", "Quotation"
    FINDING = "finding", "Finding"
    RECOMMENDATION = "recommendation", "Recommendation"
    ATTRIBUTION = "attribution", "Attribution"
    FACT = "fact", "Statement of fact"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ClaimQuerySet(TrackedQuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def orphaned(self):
        return self.filter(orphaned=True)


class Claim(TrackedModel):
    """One checkable claim of a source, anchored to its exact words."""

    source = models.ForeignKey("factcheck.Source", on_delete=models.PROTECT, related_name="claims")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable identifier, used in links."
    )
    statement = models.CharField(
        max_length=200,
        help_text="The checkable claim in your own words. Keep it under about "
        "75 characters, as ClaimReview asks.",
    )
    quote = models.TextField(
        help_text="The exact words in the source text, character for character."
    )
    quote_start = models.PositiveIntegerField(
        "start offset",
        null=True,
        blank=True,
        help_text="Character offset of the quote in the source text. Set only when "
        "the quote occurs more than once, to pick the occurrence you mean.",
    )
    quote_end = models.PositiveIntegerField("end offset", null=True, editable=False)
    quote_prefix = models.CharField(
        "text before the quote", max_length=anchoring.CONTEXT_CHARS, blank=True, editable=False
    )
    quote_suffix = models.CharField(
        "text after the quote", max_length=anchoring.CONTEXT_CHARS, blank=True, editable=False
    )
    orphaned = models.BooleanField(
        default=False,
        editable=False,
        help_text="The source text changed and the quote could not be placed with "
        "certainty. Fix the quote (or its start offset) to anchor it again.",
    )
    anchor_note = models.CharField(max_length=300, blank=True, editable=False)
    attributed_to = models.CharField(
        max_length=200,
        help_text="Who makes the claim, e.g. “OSCE expert report” or “Rachel Denber "
        "(Human Rights Watch)”.",
    )
    kind = models.CharField(max_length=20, choices=ClaimKind)
    verdict = models.CharField(max_length=20, choices=Verdict, default=Verdict.NOT_YET_RATED)
    rationale = models.TextField(blank=True, help_text="Why this verdict.")
    status = models.CharField(max_length=20, choices=ClaimStatus, default=ClaimStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["source_id", "quote_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(orphaned=True)
                | models.Q(
                    quote_start__isnull=False,
                    quote_end=models.F("quote_start") + Length("quote"),
                ),
                name="claim_anchor_spans_quote",
            ),
            models.CheckConstraint(
                condition=models.Q(orphaned=False)
                | models.Q(quote_start__isnull=True, quote_end__isnull=True),
                name="claim_orphan_has_no_offsets",
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values), name="claim_verdict_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ClaimKind.values), name="claim_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["source", "orphaned"], name="claim_source_orphaned")]

    def __str__(self):
        return self.statement

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["factcheck.source"]

    # Anchoring -------------------------------------------------------------

    def apply_anchor(self, anchor: anchoring.Anchor) -> None:
        self.quote_start, self.quote_end = anchor.start, anchor.end
        self.quote_prefix, self.quote_suffix = anchor.prefix, anchor.suffix
        self.orphaned, self.anchor_note = False, ""

    def mark_orphaned(self, note: str) -> None:
        self.quote_start = self.quote_end = None
        self.orphaned, self.anchor_note = True, note[:300]

    def anchor(self) -> None:
        """Anchor the quote in the source text, or raise an AnchorError."""
        start = self.quote_start if not self.orphaned else None
        self.quote = normalize_newlines(self.quote)  # as Source.text is stored
        self.apply_anchor(anchoring.anchor_quote(self.source.text, self.quote, start))

    def clean(self):
        super().clean()
        if self.source_id is None or not self.quote:
            return
        try:
            self.anchor()
        except anchoring.AnchorError as error:
            raise ValidationError({"quote": error.messages}) from error

    def save(self, *args, skip_anchoring=False, **kwargs):
        """Save; the quote must anchor in the source text, or the save is refused.

        ``skip_anchoring`` is for re-anchoring, which sets the anchor (or the
        orphaned state) itself.
        """
        if not skip_anchoring:
            self.anchor()
        super().save(*args, **kwargs)
