"""Published revisions: the frozen copy of a claim that the public reads.

Publishing a claim copies its words, anchor, verdict, rationale and evidence
into a new ``PublishedRevision`` and points ``Claim.live_revision`` at it. Later
edits change only the claim's working copy, so the public keeps reading the
last published revision until the next one is approved and published (as
Wagtail does with live and draft revisions). Revisions are never changed or
deleted, by any path (instance, queryset, base manager, fixture): together
they are the claim's public record of corrections. They are created only by
the publish step (``factcheck.workflow.publish``).

A revision freezes the claim's slug and source too: the public reaches a
claim by the slug it was published under and reads the source it was
published from, whatever the working copy says meanwhile.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

from factcheck.history import restoring
from factcheck.models.claims import workflow_step_running
from factcheck.ratings import Fidelity, Verdict


class RevisionImmutable(Exception):
    """A published revision was about to be changed, deleted or made outside publishing."""


NEVER_CHANGED = "A published revision is never changed or deleted; publish a new one."
ONLY_BY_PUBLISHING = (
    "A published revision is made only by publishing a claim (factcheck.workflow.publish), "
    "never by a script or a fixture."
)


class PublishedRevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RevisionImmutable(NEVER_CHANGED)

    def bulk_update(self, objs, fields, *args, **kwargs):
        raise RevisionImmutable(NEVER_CHANGED)

    def delete(self):
        raise RevisionImmutable(NEVER_CHANGED)

    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(self.prepare_bulk_create(objs), *args, **kwargs)

    def prepare_bulk_create(self, objs) -> list:
        """Refuse new revisions outside publishing (also for ``factcheck.bulk_rows``)."""
        if not workflow_step_running():
            raise RevisionImmutable(ONLY_BY_PUBLISHING)
        return list(objs)


class PublishedRevision(models.Model):
    claim = models.ForeignKey(
        "factcheck.Claim", on_delete=models.PROTECT, related_name="published_revisions"
    )
    number = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3…")
    slug = models.SlugField(
        max_length=120,
        help_text="The claim's slug as published: its public address while this revision is "
        "live, and a permanent redirect afterwards.",
    )
    source = models.ForeignKey(
        "factcheck.Source",
        on_delete=models.PROTECT,
        related_name="published_revisions",
        help_text="The source the claim was published from.",
    )
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
    checked_captures = models.ManyToManyField(
        "factcheck.Capture",
        blank=True,
        related_name="published_revisions",
        help_text="The captures this revision's passages were checked against when it was "
        'published (also recorded in each citation\'s "capture"): the public may read these.',
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

    objects = PublishedRevisionQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["claim_id", "number"]
        indexes = [
            models.Index(fields=["slug"], name="revision_slug"),
            # A source's claims in the article's order (annotated article, claim list).
            models.Index(fields=["source", "quote_start"], name="revision_source_place"),
            # Latest first: the claim list's "newest" sort, the corrections feed.
            models.Index(fields=["published_at"], name="revision_published_at"),
            # The newest first publications (front page) and the newest corrections
            # (front page, feed), read backwards from the end, whatever the archive's size.
            models.Index(
                fields=["published_at", "id"],
                condition=models.Q(number=1),
                name="revision_first_published",
            ),
            models.Index(
                fields=["published_at", "id"],
                condition=models.Q(number__gt=1),
                name="revision_corrections",
            ),
        ]
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
            raise RevisionImmutable(NEVER_CHANGED)
        if not workflow_step_running():
            raise RevisionImmutable(ONLY_BY_PUBLISHING)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RevisionImmutable(f"{NEVER_CHANGED} To take a claim down, unpublish it.")

    @classmethod
    def snapshot(cls, claim, *, number: int, note: str, published_by, published_at):
        """Freeze ``claim`` as it is now: its words, anchor, review, evidence, slug and source.

        Each citation whose source has a capture also records the check of its
        passage against the latest capture (``"capture"``: id, date, SHA-256,
        found). That is added here, not in ``revision_data()``: the approval
        digest of a citation without a capture stays what it always was."""
        from factcheck.captures.checking import latest_captures, record_checks

        citations = list(claim.citations.select_related("source").order_by("pk"))
        data = claim.revision_data(citations)
        latest = latest_captures(citation.source_id for citation in citations)
        checked = record_checks(data["citations"], citations, latest)
        revision = cls.objects.create(
            claim=claim,
            number=number,
            slug=claim.slug,
            source=claim.source,
            **data,
            note=note,
            approved_by_id=claim.approved_by_id,
            approved_at=claim.approved_at,
            published_by=published_by,
            published_at=published_at,
        )
        revision.checked_captures.set(checked)
        return revision

    @property
    def is_correction(self) -> bool:
        return self.number > 1


@receiver(pre_save, sender=PublishedRevision)
def _no_raw_revisions(sender, instance, raw, **kwargs):
    # Django's own deserializer (loaddata) saves raw, past PublishedRevision.save().
    if raw and not restoring():
        raise RevisionImmutable(ONLY_BY_PUBLISHING)
