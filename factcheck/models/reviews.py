"""The review thread: internal notes on a claim, for staff only.

Each workflow step that carries words (a request for changes, an approval
note, a reason to unpublish) leaves a comment here too, so the thread reads
as the conversation about the claim. Comments are never edited or deleted.
"""

from django.conf import settings
from django.db import models


class CommentKind(models.TextChoices):
    NOTE = "note", "Note"
    SUBMITTED = "submitted", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    ASSIGNED = "assigned", "Assigned"


class ReviewComment(models.Model):
    claim = models.ForeignKey(
        "factcheck.Claim", on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CommentKind, default=CommentKind.NOTE)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CommentKind.values), name="comment_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author} on {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Review comments are never edited; add a new one.")
        super().save(*args, **kwargs)
