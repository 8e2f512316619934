"""Sources in the admin: the stored texts that claims are anchored in."""

import json
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from factcheck.admin.article_import import ArticleImportViews
from factcheck.admin.base import ReasonForm, TrackedAdmin
from factcheck.admin.candidates import candidates_link
from factcheck.admin.captures import source_captures
from factcheck.candidates.proposing import may_propose, propose_after_import, propose_candidates
from factcheck.models import Citation, Claim, Source

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class LanguageTagsField(forms.CharField):
    """A list of language tags, typed and shown as "en, ru" rather than as JSON."""

    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if text.startswith("["):  # the JSON the field used to show
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                text = ", ".join(str(tag) for tag in loaded)
        tags = [tag.strip() for tag in text.split(",") if tag.strip()]
        wrong = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if wrong:
            raise forms.ValidationError(
                f"Not a language tag: {', '.join(wrong)}. Write tags such as “en, ru, be”."
            )
        return tags


class SourceForm(ReasonForm):
    available_languages = LanguageTagsField(
        required=False,
        help_text="Language tags of the versions the publisher lists, separated by commas, "
        "e.g. “en, ru”.",
    )


def _count_per_source(queryset, count):
    """``count`` over the rows of ``queryset`` that belong to each source."""
    rows = queryset.filter(source=OuterRef("pk")).order_by().values("source")
    return Coalesce(Subquery(rows.annotate(n=count).values("n")), 0)


class PublisherFilter(admin.AllValuesFieldListFilter):
    """Filter by publisher; sources without one are offered as "(no publisher)",
    not as a link with no text."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": "(no publisher)"}
            yield choice


@admin.register(Source)
class SourceAdmin(ArticleImportViews, TrackedAdmin):
    form = SourceForm
    change_list_template = "admin/factcheck/source/change_list.html"
    list_display = [
        "title",
        "publisher",
        "kind",
        "published_on",
        "claim_count",
        "citing_count",
        "orphan_count",
    ]
    list_filter = ["kind", ("publisher", PublisherFilter), "language"]
    search_fields = ["title", "publisher", "byline", "slug", "url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["text_sha256", "candidate_claims", "captures", "created_at", "updated_at"]
    actions = ["propose_candidate_claims"]
    # An imported article gets its candidate claims in the import's transaction.
    after_import = staticmethod(propose_after_import)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "kind",
                    "url",
                    "publisher",
                    "byline",
                    "document_reference",
                    "page_count",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "published_on",
                    "published_at",
                    "dateline",
                    "language",
                    "available_languages",
                ]
            },
        ),
        ("Lead image", {"fields": ["image_caption", "image_credit"]}),
        (
            "Stored text",
            {"fields": ["text", "text_sha256", "retrieved_on", "notes", "candidate_claims"]},
        ),
        ("Captures of its page", {"fields": ["captures"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # One small count per source shown (by index), not a join of every claim
        # and citation grouped by source before the page is cut.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=_count_per_source(Claim.objects, Count("pk")),
                n_citing=_count_per_source(Citation.objects, Count("claim", distinct=True)),
                n_orphans=_count_per_source(Claim.objects.filter(orphaned=True), Count("pk")),
            )
        )

    @admin.display(description="captures")
    def captures(self, source):
        if source.pk is None:
            return "Save the source first, then add a capture of its page."
        return source_captures(source)

    @admin.display(description="candidate claims")
    def candidate_claims(self, source):
        return candidates_link(source)

    def has_propose_permission(self, request):
        return may_propose(request.user)

    @admin.action(
        description="Propose candidate claims (check-worthy sentences)", permissions=["propose"]
    )
    def propose_candidate_claims(self, request, queryset):
        if not may_propose(request.user):  # the action list hides it; a forged POST too
            raise PermissionDenied("Your role does not allow adding claims.")
        for source in queryset:
            created = propose_candidates(
                source, user=request.user, reason="Proposed candidate claims in the admin"
            )
            messages.info(
                request,
                format_html(
                    "{} new candidate claim(s) for {}.",
                    len(created),
                    candidates_link(source),
                ),
            )

    @admin.display(description="claims quoted from it", ordering="n_claims")
    def claim_count(self, source):
        url = reverse("admin:factcheck_claim_changelist") + f"?source__id__exact={source.pk}"
        return format_html('<a href="{}">{}</a>', url, source.n_claims)

    @admin.display(description="cited by claims", ordering="n_citing")
    def citing_count(self, source):
        """Claims that cite this source as evidence (not those quoted from it)."""
        url = reverse("admin:factcheck_citation_changelist") + f"?source__id__exact={source.pk}"
        return format_html('<a href="{}">{}</a>', url, source.n_citing)

    @admin.display(description="orphaned", ordering="n_orphans")
    def orphan_count(self, source):
        if not source.n_orphans:
            return "0"
        url = (
            reverse("admin:factcheck_claim_changelist")
            + f"?source__id__exact={source.pk}&orphaned__exact=1"
        )
        return format_html('<a class="orphaned-warning" href="{}">{}</a>', url, source.n_orphans)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        report = obj.reanchor_report
        if report is None:
            return
        messages.info(request, f"The text changed; its claims were re-anchored: {report}.")
        if report.orphaned:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:factcheck_claim_change", args=[c.pk]), c.slug)
                    for c in report.orphaned
                ),
            )
            messages.warning(
                request,
                format_html("These claims are now orphaned and need a fixed quote: {}", links),
            )
