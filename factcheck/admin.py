"""The editorial desk: Source, Claim and Citation in the Django admin.

Every form asks why the change is made; the reason, the user and the change
itself land in the object's history (the "History" button).
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from factcheck import anchoring
from factcheck.history import recorded_change
from factcheck.models import Citation, Claim, Source

REASON_FIELD = "change_reason"
# A URL typed without a scheme means https (Django 6.0's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class ReasonForm(forms.ModelForm):
    """A model form that also asks why the change is made."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Recorded in the history with your name, e.g. “Corrected the quote "
        "to match the article”.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class TrackedAdmin(SimpleHistoryAdmin):
    """Admin for tracked models: each save and delete is recorded with a reason."""

    form = ReasonForm
    formfield_overrides = HTTPS_URLS

    class Media:
        css = {"all": ["factcheck/admin.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and REASON_FIELD in form.base_fields:
            form.base_fields[REASON_FIELD].initial = "Created in the admin"
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any(REASON_FIELD in options.get("fields", ()) for _, options in fieldsets):
            return fieldsets
        return [*fieldsets, ("Why", {"fields": [REASON_FIELD]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON_FIELD]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD]
        with recorded_change(reason=reason, user=request.user):
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        with recorded_change(reason="Deleted in the admin", user=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with recorded_change(reason="Deleted in the admin (bulk)", user=request.user):
            super().delete_queryset(request, queryset)


def quote_snippet(claim: Claim):
    """The quote between its stored context: no extra query needed."""
    return format_html(
        '<span class="quote-snippet">…{}<mark>{}</mark>{}…</span>',
        claim.quote_prefix,
        claim.quote,
        claim.quote_suffix,
    )


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "claim_count", "orphan_count"]
    list_filter = ["kind", "publisher", "language"]
    search_fields = ["title", "publisher", "byline", "slug", "url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "url", "publisher", "byline"]}),
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
        ("Stored text", {"fields": ["text", "text_sha256", "retrieved_on", "notes"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("claims", distinct=True),
                n_orphans=Count("claims", filter=Q(claims__orphaned=True), distinct=True),
            )
        )

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, source):
        url = reverse("admin:factcheck_claim_changelist") + f"?source__id__exact={source.pk}"
        return format_html('<a href="{}">{}</a>', url, source.n_claims)

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


class CitationInline(admin.StackedInline):
    model = Citation
    fk_name = "claim"
    extra = 0
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ["source"]
    fields = ["source", "stance", "passage", "locator", "accessed_on", "archived_url", "note"]


@admin.register(Claim)
class ClaimAdmin(TrackedAdmin):
    list_display = [
        "statement",
        "quote_in_context",
        "attributed_to",
        "kind",
        "verdict",
        "status",
        "orphaned",
        "source",
    ]
    list_filter = ["source", "kind", "attributed_to", "verdict", "orphaned", "status"]
    search_fields = ["statement", "quote", "attributed_to", "slug", "source__title"]
    list_select_related = ["source"]
    list_per_page = 100
    autocomplete_fields = ["source"]
    inlines = [CitationInline]
    readonly_fields = [
        "quote_in_source",
        "quote_end",
        "orphaned",
        "anchor_note",
        "status",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["source", "slug", "statement", "attributed_to", "kind"]}),
        (
            "Source quote",
            {"fields": ["quote", "quote_in_source", "quote_start", "orphaned", "anchor_note"]},
        ),
        ("Verification", {"fields": ["verdict", "rationale", "status"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["statement"]}

    @admin.display(description="quote in context")
    def quote_in_context(self, claim):
        return quote_snippet(claim)

    @admin.display(description="quote in the source text")
    def quote_in_source(self, claim):
        if claim.pk is None:
            return "Shown once the claim is saved."
        if claim.orphaned:
            return format_html(
                '<p class="orphaned-warning">{}</p><p>Last known context: {}</p>',
                claim.anchor_note or "Orphaned.",
                quote_snippet(claim),
            )
        text = claim.source.text
        start, end = claim.quote_start, claim.quote_end
        para_start, para_end = anchoring.paragraph_bounds(text, start, end)
        return format_html(
            '<div class="quote-context">{}<mark id="quote">{}</mark>{}</div>'
            '<div class="quote-offsets">Characters {}–{} of “{}”.</div>',
            text[para_start:start],
            text[start:end],
            text[end:para_end],
            start,
            end,
            claim.source,
        )


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    list_display = ["claim", "source", "stance", "locator", "accessed_on"]
    list_filter = ["stance", "source"]
    search_fields = ["claim__statement", "claim__slug", "passage", "note", "source__title"]
    list_select_related = ["claim", "source"]
    autocomplete_fields = ["claim", "source"]
