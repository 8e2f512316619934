from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import normalize_newlines

from factcheck.history import TrackedModel, TrackedQuerySet, tracked_history


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Adds context"


class CitationQuerySet(TrackedQuerySet):
    def get_by_natural_key(self, claim_slug, source_slug, locator):
        return self.get(claim__slug=claim_slug, source__slug=source_slug, locator=locator)


class Citation(TrackedModel):
    """Evidence for or against a claim, quoted from another source."""

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        "factcheck.Source",
        on_delete=models.PROTECT,
        related_name="citations",
        help_text="The cited document.",
    )
    passage = models.TextField(
        blank=True,
        help_text="The passage quoted exactly from the cited source. Leave empty "
        "only while the cited source has not been read yet.",
    )
    locator = models.CharField(
        max_length=200, blank=True, help_text="Page, paragraph or section, e.g. “p. 12”."
    )
    stance = models.CharField(max_length=20, choices=Stance)
    accessed_on = models.DateField(
        "accessed on", null=True, blank=True, help_text="When the cited source was consulted."
    )
    archived_url = models.URLField("archived URL", max_length=500, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitationQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["claim_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "locator"], name="citation_unique_locator"
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=Stance.values), name="citation_stance_valid"
            ),
        ]

    def __str__(self):
        where = f", {self.locator}" if self.locator else ""
        return f"{self.source}{where} ({self.get_stance_display().lower()})"

    def natural_key(self):
        return (self.claim.slug, self.source.slug, self.locator)

    natural_key.dependencies = ["factcheck.claim", "factcheck.source"]

    def save(self, *args, **kwargs):
        self.passage = normalize_newlines(self.passage)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.claim_id and self.source_id and self.claim.source_id == self.source_id:
            raise ValidationError(
                {"source": "A claim cannot be evidence for itself: cite another source."}
            )
