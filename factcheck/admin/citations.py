"""Citations in the admin: the evidence behind a claim.

A citation is part of its claim's content: changing one is an edit of the
claim (a claim in review is locked; a published claim gets a new draft
revision), made through ``workflow.save_edit``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from factcheck import workflow
from factcheck.admin.base import (
    HTTPS_URLS,
    REASON_FIELD,
    ReasonForm,
    TrackedAdmin,
    VersionedForm,
)
from factcheck.models import Citation


class CitationForm(ReasonForm):
    def clean(self):
        cleaned = super().clean()
        claim = cleaned.get("claim")
        if claim is not None and not workflow.editable(claim):
            raise forms.ValidationError(workflow.STATE_HINTS[workflow.Step.EDIT])
        return cleaned


class CitationInlineForm(VersionedForm):
    pass


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationInlineForm
    fk_name = "claim"
    extra = 0
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ["source"]
    fields = [
        "source",
        "stance",
        "passage",
        "translation",
        "locator",
        "accessed_on",
        "archived_url",
        "original_words",
        "article_words",
        "wording_difference",
        "note",
        "seen_version",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "claim")


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    form = CitationForm
    list_display = ["claim", "source", "stance", "locator", "accessed_on"]
    list_filter = ["stance", "source"]
    search_fields = ["claim__statement", "claim__slug", "passage", "note", "source__title"]
    list_select_related = ["claim", "source"]
    autocomplete_fields = ["claim", "source"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.editable(obj.claim))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.editable(obj.claim))

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data[REASON_FIELD]
        self._as_claim_edit(request, obj.claim, f"Citation: {reason}", obj.save)

    def delete_model(self, request, obj):
        self._as_claim_edit(request, obj.claim, "Citation deleted in the admin", obj.delete)

    def delete_queryset(self, request, queryset):
        for citation in queryset.select_related("claim"):
            self.delete_model(request, citation)

    def _as_claim_edit(self, request, claim, reason, write):
        try:
            workflow.save_edit(claim, user=request.user, reason=reason, related=write)
        except workflow.NotPermitted as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        except workflow.StepRefused as refusal:
            messages.error(request, str(refusal))
            raise PermissionDenied(str(refusal)) from refusal
