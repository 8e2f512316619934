"""The public state: one row whose version goes up whenever what the public sees changes.

Publishing a revision, withdrawing a claim and editing a source each bump it,
in the same transaction as the change. Every public answer's ETag, and the key
under which its rendering is cached (``factcheck.public.caching``), derive
from this row, so a conditional request or a cached page costs one primary-key
read however large the archive is, and the first request after a change
commits never gets an answer from before it.
"""

from django.db import models
from django.db.models import F
from django.utils import timezone

ROW = 1


class PublicState(models.Model):
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "public state"

    def __str__(self):
        return f"public state {self.version}"

    @classmethod
    def changed(cls) -> None:
        """Record that what the public sees changed (call inside the change's transaction)."""
        now = timezone.now()
        if not cls.objects.filter(pk=ROW).update(version=F("version") + 1, changed_at=now):
            cls.objects.get_or_create(pk=ROW, defaults={"version": 1, "changed_at": now})

    @classmethod
    def read(cls) -> tuple[int, object]:
        """(version, when it last changed): one primary-key read."""
        row = cls.objects.filter(pk=ROW).values_list("version", "changed_at").first()
        return row or (0, None)
