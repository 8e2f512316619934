import hashlib

from django.db import models, transaction
from django.utils.text import normalize_newlines

from factcheck import reanchoring
from factcheck.history import stamp_change, tracked_history
from factcheck.models.keys import KeyedModel, KeyedQuerySet
from factcheck.models.public_state import PublicState
from factcheck.models.versions import VersionedModel
from factcheck.weblinks import WebURLField, web_url_condition


class SourceKind(models.TextChoices):
    NEWS_RELEASE = "news_release", "News release"
    REPORT = "report", "Report"
    STATEMENT = "statement", "Statement"
    NEWS_ARTICLE = "news_article", "News article"
    WEB_PAGE = "web_page", "Web page"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class SourceQuerySet(KeyedQuerySet):
    def published(self):
        """What the public may see: sources that the live revision of at least one
        claim was published from (never a claim's unreviewed working copy)."""
        from factcheck.models.claims import Claim

        # Asked of the claims (is a live revision from this source?), not of the
        # revisions (is this revision its claim's live one?): the same answer,
        # but PostgreSQL plans this one as an index probe per source.
        live = Claim.objects.filter(live_revision__source=models.OuterRef("pk"))
        return self.filter(models.Exists(live))


class Source(KeyedModel, VersionedModel):
    """A document that claims come from or are checked against."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(
        max_length=300,
        help_text="As published. A title in [square brackets] was supplied by us "
        "because the document's own title is not known yet.",
    )
    url = WebURLField(
        "URL",
        max_length=500,
        blank=True,
        help_text="A web address (http or https). Leave empty rather than guess.",
    )
    publisher = models.CharField(max_length=200, blank=True)
    byline = models.CharField(
        "author or byline", max_length=300, blank=True, help_text="As the source states it."
    )
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.OTHER)
    language = models.CharField(
        max_length=35, blank=True, help_text="BCP 47 language tag of the stored text, e.g. en."
    )
    available_languages = models.JSONField(
        default=list,
        blank=True,
        help_text='Language tags of the versions the publisher lists, e.g. ["en", "ru"].',
    )
    dateline = models.CharField(max_length=100, blank=True)
    document_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The publisher's own reference number for the document, if it has one.",
    )
    page_count = models.PositiveIntegerField(
        "length in pages",
        null=True,
        blank=True,
        help_text="As the document or its publisher states.",
    )
    image_caption = models.TextField(
        blank=True,
        help_text="The caption of the document's lead image, as published. Provenance, "
        "not a claim: it is shown as the image's caption.",
    )
    image_credit = models.CharField(
        max_length=300, blank=True, help_text="The lead image's credit line, as published."
    )
    published_on = models.DateField(
        "publication date", null=True, blank=True, help_text="As the source states it."
    )
    published_at = models.DateTimeField(
        "publication date and time",
        null=True,
        blank=True,
        help_text="Only when the source states a time.",
    )
    retrieved_on = models.DateField(
        "retrieved on",
        null=True,
        blank=True,
        help_text="When the stored text was captured. Leave empty if not recorded.",
    )
    text = models.TextField(
        blank=True,
        help_text="The stored text that claim quotes point into. Changing it "
        "re-anchors every claim on this source; claims whose quote cannot be "
        "placed with certainty become orphaned.",
    )
    text_sha256 = models.CharField("SHA-256 of text", max_length=64, editable=False)
    notes = models.TextField(
        blank=True, help_text="Provenance and caveats, for editors and readers."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        base_manager_name = "objects"
        ordering = ["-published_on", "title"]
        # The public claim list's order starts with its source's date: this index
        # lets PostgreSQL read the first page without sorting every claim.
        indexes = [
            models.Index(fields=["published_on", "id"], name="source_date_order"),
            # An import looks up whether its text is stored already.
            models.Index(fields=["text_sha256"], name="source_text_sha256"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(condition=web_url_condition("url"), name="source_url_web"),
        ]

    def __str__(self):
        return self.title

    def default_key(self) -> str:
        return self.slug

    @classmethod
    def after_bulk_update(cls) -> None:
        """Called by ``bulk_update_with_history``: public pages may show what changed."""
        PublicState.changed()

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        """Save, and re-anchor every claim if the text changed, atomically."""
        stamp_change(self)
        reason, user = self._change_reason, getattr(self, "_history_user", None)
        # Browsers submit text areas with CRLF line breaks; store LF only, so an
        # edit in the admin does not shift every offset.
        self.text = normalize_newlines(self.text)
        self.text_sha256 = self.digest(self.text)
        self.reanchor_report = None
        with transaction.atomic():
            previous = None
            if self.pk is not None:
                previous = (
                    Source.objects.filter(pk=self.pk).values_list("text_sha256", flat=True).first()
                )
            super().save(*args, **kwargs)
            PublicState.changed()  # its title or text may be on public pages
            if previous is not None and previous != self.text_sha256:
                self.reanchor_report = reanchoring.reanchor_claims(
                    self, reason=f"source text changed: {reason}", user=user
                )
