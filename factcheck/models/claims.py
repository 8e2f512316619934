import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.query import ModelIterable
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import normalize_newlines

from factcheck import anchoring
from factcheck.history import restoring, tracked_history
from factcheck.models.keys import KeyedModel, KeyedQuerySet
from factcheck.models.versions import VersionedModel
from factcheck.ratings import Fidelity, Verdict


class ClaimKind(models.TextChoices):
    STATISTIC = "statistic", "Statistic"
    DATE_EVENT = "date_event", "Date or event"
    QUOTATION = "quotation", "Quotation"
    FINDING = "finding", "Finding"
    RECOMMENDATION = "recommendation", "Recommendation"
    ATTRIBUTION = "attribution", "Attribution"
    FACT = "fact", "Statement of fact"


class ClaimStatus(models.TextChoices):
    """Where the claim's working copy stands in review (see factcheck.workflow)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


# Set only by the steps in factcheck.workflow, never by a plain save or form.
WORKFLOW_FIELDS = (
    "status",
    "verdict",
    "rationale",
    "fidelity",
    "fidelity_note",
    "approved_digest",
    "assignee",
    "approved_by",
    "approved_at",
    "live_revision",
    "withdrawn_at",
    "withdrawal_reason",
)
# What a history revert brings back: the claim's own words, never its review state.
CONTENT_FIELDS = (
    "source",
    "statement",
    "quote",
    "quote_start",
    "attributed_to",
    "kind",
    "notes",
)
# Locked while a claim is in review or approved (its anchor may still move when
# the source text is edited; the approval digest then asks for a new review).
LOCKED_IN_REVIEW = ("slug", *(name for name in CONTENT_FIELDS if name != "quote_start"))
# What a published revision freezes of the claim itself (its evidence comes too).
PUBLISHED_FIELDS = (
    "statement",
    "quote",
    "quote_start",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "attributed_to",
    "kind",
    "notes",
    "verdict",
    "rationale",
    "fidelity",
    "fidelity_note",
)

_steps_running: ContextVar[bool] = ContextVar("factcheck_workflow_step", default=False)


class WorkflowBypassRefused(Exception):
    """A workflow field was changed outside a workflow step."""


def workflow_step_running() -> bool:
    return _steps_running.get()


@contextmanager
def workflow_writes():
    """Let the saves inside change workflow fields. Used by factcheck.workflow only."""
    token = _steps_running.set(True)
    try:
        yield
    finally:
        _steps_running.reset(token)


class PublishedClaimIterable(ModelIterable):
    """Claims as the public sees them: slug and source as published."""

    def __iter__(self):
        for claim in super().__iter__():
            revision = claim.live_revision
            claim.slug, claim.source = revision.slug, revision.source
            claim.is_published_copy = True
            yield claim


class ClaimQuerySet(KeyedQuerySet):
    def orphaned(self):
        return self.filter(orphaned=True)

    def published(self):
        """What the public may see: claims with a live published revision, as published.

        Each claim comes with its live revision, and its ``slug`` and ``source``
        are the ones frozen in that revision, not the working copy's (an edit
        goes public only when it is published). Filter with ``live_revision__slug``
        and ``live_revision__source``. These copies are for reading: saving one
        is refused.
        """
        queryset = self.filter(live_revision__isnull=False).select_related(
            "live_revision", "live_revision__source"
        )
        queryset._iterable_class = PublishedClaimIterable
        return queryset

    def prepare_bulk_create(self, objs) -> list:
        objs = super().prepare_bulk_create(objs)
        if not _steps_running.get() and any(obj.changed_workflow_fields() for obj in objs):
            raise WorkflowBypassRefused(
                "New claims start as unrated drafts; review fields are set by the "
                "workflow steps (factcheck.workflow)."
            )
        return objs

    def assigned_to(self, user):
        return self.filter(assignee=user).exclude(status=ClaimStatus.PUBLISHED)


class Claim(KeyedModel, VersionedModel):
    """One checkable claim of a source, anchored to its exact words."""

    source = models.ForeignKey("factcheck.Source", on_delete=models.PROTECT, related_name="claims")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable identifier, used in links."
    )
    statement = models.CharField(
        max_length=200,
        help_text="The checkable claim in your own words, with its subject. Aim for "
        "about 75 characters, as ClaimReview suggests, but never drop a hedge, a "
        "qualifier or the scope of the article's words to get there.",
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
    notes = models.TextField(
        blank=True,
        help_text="For readers: how the claim was delimited, and why it is attributed as it "
        "is when the article leaves room for doubt. Published with the claim.",
    )

    # Review: set only by the steps in factcheck.workflow.
    verdict = models.CharField(
        max_length=20, choices=Verdict, default=Verdict.NOT_YET_RATED, editable=False
    )
    rationale = models.TextField(blank=True, editable=False, help_text="Why this verdict.")
    fidelity = models.CharField(
        max_length=20,
        choices=Fidelity,
        default=Fidelity.NOT_YET_RATED,
        editable=False,
        help_text="How faithfully the article conveys what its own source said.",
    )
    fidelity_note = models.TextField(
        blank=True,
        editable=False,
        help_text="What differs between the article's words and its source's.",
    )
    approved_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 of the claim and its evidence as approved: what gets published "
        "must be exactly what was approved.",
    )
    status = models.CharField(
        max_length=20, choices=ClaimStatus, default=ClaimStatus.DRAFT, editable=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # reassign first: every change of assignee has history
        related_name="assigned_claims",
        editable=False,
        help_text="The fact-checker asked to review this claim.",
    )
    revision_editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Everyone who changed the pending revision: none of them may "
        "approve or publish it.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    live_revision = models.OneToOneField(
        "factcheck.PublishedRevision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="The revision the public sees. Empty: nothing is public.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        blank=True, editable=False, help_text="Public: why the claim was unpublished."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        base_manager_name = "objects"  # Claim._base_manager refuses history-less writes too
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
                condition=models.Q(fidelity__in=Fidelity.values), name="claim_fidelity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ClaimKind.values), name="claim_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["source", "orphaned"], name="claim_source_orphaned"),
            models.Index(fields=["status", "assignee"], name="claim_status_assignee"),
        ]
        permissions = [
            ("submit_claim", "Can submit a claim for review"),
            ("review_claim", "Can approve a claim or request changes, and set its verdict"),
            ("publish_claim", "Can publish, correct and unpublish a claim"),
            ("assign_claim", "Can assign a claim to a fact-checker"),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        """The claim's public address: that of its live revision, once published."""
        live = self.live_revision if self.live_revision_id else None
        return reverse("public:claim", args=[live.slug if live else self.slug])

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["factcheck.source"]

    def default_key(self) -> str:
        return self.slug

    # Snapshot ----------------------------------------------------------------

    def revision_data(self, citations=None) -> dict:
        """What a published revision of this claim freezes: its words, anchor,
        review and evidence (with the cited sources' data as they are now).

        ``citations``: the claim's citations with their sources, in key order,
        when the caller read them for many claims at once."""
        data = {name: getattr(self, name) for name in PUBLISHED_FIELDS}
        if citations is None:
            citations = self.citations.select_related("source").order_by("pk")
        data["citations"] = [citation.published_data() for citation in citations]
        return data

    def content_digest(self, citations=None) -> str:
        """SHA-256 of ``revision_data()``: changes when anything a reader would see changes."""
        data = {"source": self.source.key, **self.revision_data(citations)}
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

    # Anchoring -------------------------------------------------------------

    def apply_anchor(self, anchor: anchoring.Anchor) -> None:
        self.quote_start, self.quote_end = anchor.start, anchor.end
        self.quote_prefix, self.quote_suffix = anchor.prefix, anchor.suffix
        self.orphaned, self.anchor_note = False, ""

    def mark_orphaned(self, note: str) -> None:
        self.quote_start = self.quote_end = None
        self.orphaned, self.anchor_note = True, note[:300]

    def anchor(self) -> None:
        """Anchor the quote in the source text, or raise an AnchorError.

        The quote is stored as the text has it: typed with ordinary spaces where
        the text has no-break spaces, it keeps the text's no-break spaces.
        """
        start = self.quote_start if not self.orphaned else None
        quote = normalize_newlines(self.quote)  # as Source.text is stored
        anchor = anchoring.anchor_quote(self.source.text, quote, start)
        self.quote = anchor.quote
        self.apply_anchor(anchor)

    def slug_taken_by_another_claim(self) -> bool:
        """Whether another claim was ever published under this slug (it redirects there)."""
        revisions = apps.get_model("factcheck", "PublishedRevision").objects
        return revisions.filter(slug=self.slug).exclude(claim_id=self.pk).exists()

    def clean(self):
        super().clean()
        if self.slug and self.slug_taken_by_another_claim():
            raise ValidationError(
                {
                    "slug": "Another claim was published under this slug, and its old "
                    "address must keep leading to it. Choose another slug."
                }
            )
        if self.source_id is None or not self.quote:
            return
        try:
            self.anchor()
        except anchoring.AnchorError as error:
            raise ValidationError({"quote": error.messages}) from error

    # Workflow guard ----------------------------------------------------------

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._workflow_loaded = instance._workflow_values()
        return instance

    def _workflow_values(self) -> dict:
        values = {}
        for name in WORKFLOW_FIELDS:
            attname = self._meta.get_field(name).attname
            if attname in self.__dict__:  # deferred fields are not compared
                values[attname] = self.__dict__[attname]
        return values

    def changed_workflow_fields(self) -> list[str]:
        loaded = getattr(self, "_workflow_loaded", None)
        if loaded is None:  # a new object, or one built outside the ORM
            loaded = {
                self._meta.get_field(name).attname: self._meta.get_field(name).get_default()
                for name in WORKFLOW_FIELDS
            }
        current = self._workflow_values()
        unknown = [attname for attname in current if attname not in loaded]
        if unknown and not self._state.adding and self.pk is not None:
            # Deferred when loaded (``only()``), set since: compare with the stored row.
            stored = type(self)._base_manager.filter(pk=self.pk).values(*unknown).first()
            loaded = {**loaded, **(stored or {})}
        return [
            attname
            for attname, value in current.items()
            if attname in loaded and loaded[attname] != value
        ]

    @classmethod
    def check_bulk_update_fields(cls, fields) -> None:
        """Refuse a bulk update of review fields outside a workflow step."""
        super().check_bulk_update_fields(fields)
        protected = sorted(cls.field_names(fields) & set(WORKFLOW_FIELDS))
        if protected and not _steps_running.get():
            raise WorkflowBypassRefused(
                f"{', '.join(protected)} can only be changed by a workflow step "
                "(factcheck.workflow), not by a bulk update."
            )

    def _refuse_edit_while_reviewed(self) -> None:
        """What is in review or approved is what gets published: its words stay put."""
        loaded_status = (getattr(self, "_workflow_loaded", None) or {}).get("status")
        if loaded_status not in (None, ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED):
            return
        attnames = [self._meta.get_field(name).attname for name in LOCKED_IN_REVIEW]
        stored = type(self)._base_manager.filter(pk=self.pk).values("status", *attnames).first()
        if stored is None or stored["status"] not in (ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED):
            return
        changed = [name for name in attnames if stored[name] != getattr(self, name)]
        if changed:
            raise WorkflowBypassRefused(
                f"Claim {self.slug!r} is {ClaimStatus(stored['status']).label.lower()}, so its "
                f"words are locked ({', '.join(changed)}): what was reviewed is what gets "
                "published. Request changes to unlock it."
            )

    @property
    def has_unpublished_changes(self) -> bool:
        return self.live_revision_id is not None and self.status != ClaimStatus.PUBLISHED

    def save(self, *args, skip_anchoring=False, **kwargs):
        """Save; the quote must anchor in the source text, or the save is refused.

        Workflow fields (status, verdict, assignee...) change only inside a
        step of factcheck.workflow; any other save that changes them is
        refused. ``skip_anchoring`` is for re-anchoring, which sets the anchor
        (or the orphaned state) itself.
        """
        if getattr(self, "is_published_copy", False):
            raise WorkflowBypassRefused(
                f"Claim {self.slug!r} was read as published (Claim.objects.published()), "
                "with the published slug and source; load it with Claim.objects to change it."
            )
        changed = self.changed_workflow_fields()
        if changed and not _steps_running.get():
            raise WorkflowBypassRefused(
                f"{', '.join(changed)} of claim {self.slug!r} can only be changed by a "
                "workflow step (factcheck.workflow: submit, approve, publish...)."
            )
        if not self._state.adding and not _steps_running.get():
            self._refuse_edit_while_reviewed()
        if not skip_anchoring:
            self.anchor()
        super().save(*args, **kwargs)
        self._workflow_loaded = self._workflow_values()


@receiver(pre_save, sender=Claim)
def _raw_saves_keep_review_state(sender, instance, raw, **kwargs):
    # Django's own deserializer saves raw, past Claim.save(): check it here.
    if not raw or _steps_running.get() or restoring():
        return
    stored = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._workflow_loaded = stored._workflow_loaded if stored else None
    changed = instance.changed_workflow_fields()
    if changed:
        raise WorkflowBypassRefused(
            f"{', '.join(changed)} of claim {instance.slug!r} can only be changed by a "
            "workflow step, not by loading data."
        )
