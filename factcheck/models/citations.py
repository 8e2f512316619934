import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import normalize_newlines

from factcheck.history import tracked_history
from factcheck.models.keys import KeyedModel, KeyedQuerySet
from factcheck.models.versions import VersionedModel
from factcheck.weblinks import WebURLField, web_url_condition


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Adds context"


# Evidence that can carry a verdict; "adds context" alone cannot.
DECISIVE_STANCES = (Stance.SUPPORTS, Stance.CONTRADICTS)


class CitationQuerySet(KeyedQuerySet):
    pass


class Citation(KeyedModel, VersionedModel):
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
        help_text="The passage copied exactly from the cited source, as short as it can be "
        "while still settling the point. A claim cannot be submitted while a citation "
        "has no passage.",
    )
    locator = models.CharField(
        max_length=200, blank=True, help_text="Page, paragraph or section, e.g. “p. 12”."
    )
    stance = models.CharField(max_length=20, choices=Stance)
    accessed_on = models.DateField(
        "accessed on", null=True, blank=True, help_text="When the cited source was consulted."
    )
    archived_url = WebURLField(
        "archived URL",
        max_length=500,
        blank=True,
        help_text="A web address (http or https) of an archived copy, if there is one.",
    )
    translation = models.TextField(
        blank=True,
        help_text="Our translation of a passage that is not in English. The passage itself "
        "stays in its original language, word for word.",
    )
    original_words = models.TextField(
        "original's words",
        blank=True,
        help_text="Where the passage quotes the article's own source (the report, the "
        "speaker) word for word: those words, copied from the passage. Shown side by side "
        "with the article's words.",
    )
    article_words = models.TextField(
        "article's words",
        blank=True,
        help_text="The article's words that correspond, copied from the claim's quote.",
    )
    wording_difference = models.CharField(
        "what differs",
        max_length=500,
        blank=True,
        help_text="Required when the two differ: a word, a number, a qualifier… e.g. "
        "“systemic” in the article, “systematic” in the report.",
    )
    note = models.TextField(blank=True, help_text="For the desk; not published.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitationQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        base_manager_name = "objects"
        ordering = ["claim_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "locator"], name="citation_unique_locator"
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=Stance.values), name="citation_stance_valid"
            ),
            models.CheckConstraint(
                condition=web_url_condition("archived_url"), name="citation_archived_url_web"
            ),
        ]

    def __str__(self):
        where = f", {self.locator}" if self.locator else ""
        return f"{self.source}{where} ({self.get_stance_display().lower()})"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["factcheck.claim", "factcheck.source"]

    def default_key(self) -> str:
        key = "/".join(filter(None, [self.claim.key, self.source.key, self.locator]))[:150]
        if len(key) > 130 or Citation.objects.filter(key=key).exists():
            key = f"{key[:117]}/{uuid.uuid4().hex[:12]}"
        return key

    @property
    def compares_wording(self) -> bool:
        return bool(self.original_words or self.article_words)

    def published_data(self) -> dict:
        """This citation as a published revision freezes it, the cited source's data included."""
        source = self.source
        return {
            "source": source.slug,
            "kind": source.kind,
            "publisher": source.publisher,
            "byline": source.byline,
            "title": source.title,
            "url": source.url,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "language": source.language,
            "passage": self.passage,
            "translation": self.translation,
            "locator": self.locator,
            "stance": self.stance,
            "accessed_on": self.accessed_on.isoformat() if self.accessed_on else None,
            "archived_url": self.archived_url,
            "original_words": self.original_words,
            "article_words": self.article_words,
            "wording_difference": self.wording_difference,
        }

    def comparison_problems(self, quote: str) -> dict[str, str]:
        """Why this citation's side-by-side wording is inconsistent, by field."""
        problems = {}
        if not self.compares_wording:
            return problems
        if not (self.original_words and self.article_words):
            which = "article_words" if self.original_words else "original_words"
            problems[which] = "Fill in both sides of the comparison, or neither."
            return problems
        if self.original_words not in self.passage:
            problems["original_words"] = "Copy these words from the passage, exactly."
        if self.article_words not in quote:
            problems["article_words"] = "Copy these words from the claim's quote, exactly."
        if self.original_words != self.article_words and not self.wording_difference.strip():
            problems["wording_difference"] = "The two texts differ: say what differs."
        return problems

    def save(self, *args, **kwargs):
        for name in ("passage", "original_words", "article_words"):
            setattr(self, name, normalize_newlines(getattr(self, name)))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.claim_id and self.source_id and self.claim.source_id == self.source_id:
            raise ValidationError(
                {"source": "A claim cannot be evidence for itself: cite another source."}
            )
        if self.claim_id:
            problems = self.comparison_problems(self.claim.quote)
            if problems:
                raise ValidationError(problems)
