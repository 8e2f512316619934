"""Captures: archived copies of a cited source's page, several over time."""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models

from factcheck.history import TrackedQuerySet, stamp_change, tracked_history


class _CapturesStorage(Storage):
    """``STORAGES["captures"]``, looked up at every use. Django calls a FileField's
    storage callable once, when models load: without this, a later change of the
    setting (a test's temporary folder) would not reach the field."""

    def __getattribute__(self, name):
        return getattr(storages["captures"], name)


_captures_storage = _CapturesStorage()


def capture_storage():
    """Where captures' WARC files go: ``STORAGES["captures"]`` (local files under
    MEDIA_ROOT by default, an S3-compatible bucket when configured)."""
    return _captures_storage


def capture_path(capture, filename):
    when = f"{capture.captured_at:%Y%m%dT%H%M%SZ}"
    return f"captures/{capture.sha256[:2]}/{capture.sha256}-{when}.warc.gz"


class CaptureMethod(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded by an editor"
    FETCHED = "fetched", "Fetched by the app"


class Capture(models.Model):
    source = models.ForeignKey(
        "factcheck.Source", on_delete=models.PROTECT, related_name="captures"
    )
    url = models.URLField("URL", max_length=500, help_text="The page this is a copy of.")
    final_url = models.URLField(
        "final URL", max_length=500, blank=True, help_text="Where redirects led, if fetched."
    )
    captured_at = models.DateTimeField()
    sha256 = models.CharField("SHA-256 of the payload", max_length=64)
    content_type = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(help_text="The payload's size in bytes.")
    method = models.CharField(max_length=20, choices=CaptureMethod)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    warc = models.FileField(
        "WARC file", storage=capture_storage, upload_to=capture_path, max_length=300
    )
    text = models.TextField(blank=True, help_text="The text extracted from the payload.")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who uploaded or fetched it (empty: a command run without an account).",
    )

    objects = TrackedQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        base_manager_name = "objects"
        ordering = ["source_id", "-captured_at", "-pk"]
        indexes = [models.Index(fields=["source", "-captured_at"], name="capture_source_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=CaptureMethod.values), name="capture_method_valid"
            )
        ]

    def __str__(self):
        return f"{self.url} captured {self.captured_at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args, **kwargs):
        stamp_change(self)
        super().save(*args, **kwargs)

    def payload(self) -> bytes:
        from factcheck.captures import warc

        with self.warc.open("rb") as stream:
            return warc.read_payload(stream.read())
