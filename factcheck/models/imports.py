"""The record of an article imported from a file or pasted text."""

from django.conf import settings
from django.db import models

from factcheck.history import TrackedModel, tracked_history


class ArticleImport(TrackedModel):
    """One imported article: which source it became, from what, and by whom.

    ``text_sha256`` is unique: two imports of the same text (a double submit, a
    second tab, the same file twice) cannot both be stored, whatever the timing.
    """

    class Input(models.TextChoices):
        HTML = "html", "HTML page"
        TEXT = "text", "Plain-text capture"

    source = models.OneToOneField(
        "factcheck.Source", on_delete=models.CASCADE, related_name="article_import"
    )
    text_sha256 = models.CharField("SHA-256 of the stored text", max_length=64, unique=True)
    file_sha256 = models.CharField("SHA-256 of the file as read", max_length=64)
    file_name = models.CharField(max_length=255, blank=True)
    input_kind = models.CharField(max_length=10, choices=Input)
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Plain text: where the article starts in the capture."
    )
    end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Plain text: where the article ends in the capture."
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    history = tracked_history()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"Import of {self.source}"
