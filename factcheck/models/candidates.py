from django.conf import settings
from django.db import models

from factcheck.history import TrackedModel, TrackedQuerySet, tracked_history


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class CandidateClaimQuerySet(TrackedQuerySet):
    def ranked(self):
        """Best first; ties in the order of the text."""
        return self.order_by("-score", "start")

    def proposed(self):
        return self.filter(status=CandidateStatus.PROPOSED)


class CandidateClaim(TrackedModel):
    """A sentence of a source that looks worth checking, proposed by
    ``factcheck.candidates`` and decided by a researcher: accepted (it became a
    draft claim) or dismissed (remembered: never proposed again for this span).
    A candidate never becomes a claim by itself."""

    source = models.ForeignKey(
        "factcheck.Source", on_delete=models.CASCADE, related_name="candidates"
    )
    start = models.PositiveIntegerField(help_text="Character offset in the source's text.")
    end = models.PositiveIntegerField(help_text="Offset just after the candidate's last character.")
    text = models.TextField(help_text="The source's text between start and end, as proposed.")
    score = models.FloatField(help_text="How check-worthy it looks: the higher, the more.")
    reasons = models.CharField(
        max_length=300, help_text="What makes it checkable, e.g. “a number and an attribution”."
    )
    signals = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=CandidateStatus, default=CandidateStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who accepted or dismissed it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text="Why it was accepted or dismissed.")
    claim = models.OneToOneField(
        "factcheck.Claim",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        help_text="The draft claim it became when accepted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()
    objects = CandidateClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "candidate claim"
        ordering = ("-score", "start")
        constraints = [
            models.UniqueConstraint(
                fields=("source", "start", "end"), name="candidate_claim_one_per_span"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="candidate_claim_span"
            ),
        ]
        indexes = [models.Index(fields=("source", "status"), name="candidate_source_status")]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{text} ({self.get_status_display()})"
