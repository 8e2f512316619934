"""Published revisions: the frozen copy of a claim that the public reads.

Publishing a claim copies its words, anchor, verdict, rationale and evidence
into a new ``PublishedRevision`` and points ``Claim.live_revision`` at it. Later
edits change only the claim's working copy, so the public keeps reading the
last published revision until the next one is approved and published (as
Wagtail does with live and draft revisions). Revisions are never changed or
deleted: together they are the claim's public record of corrections.
"""

from django.conf import settings
from django.db import models

from factcheck.ratings import Fidelity, Verdict


class RevisionImmutable(Exception):
    """A published revision was about to be changed or deleted."""


class PublishedRevision(models.Model):
    claim = models.ForeignKey(
        "factcheck.Claim", on_delete=models.PROTECT, related_name="published_revisions"
    )
    number = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3…")
    statement = models.CharField(max_length=200)
    quote = models.TextField()
    quote_start = models.PositiveIntegerField()
    quote_end = models.PositiveIntegerField()
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    attributed_to = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    verdict = models.CharField(max_length=20, choices=Verdict)
    rationale = models.TextField()
    fidelity = models.CharField(
        max_length=20,
        choices=Fidelity,
        default=Fidelity.NOT_YET_RATED,
        help_text="How faithfully the article conveys its source. Revisions published "
        "before fidelity was assessed say “not yet rated”.",
    )
    fidelity_note = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="The claim's notes for readers, as published.")
    citations = models.JSONField(
        default=list, help_text="The evidence as published: one object per citation."
    )
    note = models.TextField(
        help_text="Public: what this revision changed and why (the corrections log)."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["claim_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="revision_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(verdict=Verdict.NOT_YET_RATED),
                name="revision_has_verdict",
            ),
            models.CheckConstraint(
                condition=models.Q(fidelity__in=Fidelity.values), name="revision_fidelity_valid"
            ),
        ]

    def __str__(self):
        return f"{self.statement} (revision {self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RevisionImmutable("A published revision is never changed; publish a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RevisionImmutable("A published revision is never deleted; unpublish the claim.")

    @property
    def is_correction(self) -> bool:
        return self.number > 1
