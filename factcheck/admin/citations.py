"""Citations in the admin: the evidence behind a claim.

A citation is part of its claim's content: changing one is an edit of the
claim (a claim in review is locked; a published claim gets a new draft
revision), made through ``workflow.save_edit``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from factcheck import workflow
from factcheck.admin.base import (
    HTTPS_URLS,
    REASON_FIELD,
    ReasonForm,
    TrackedAdmin,
    VersionedForm,
)
from factcheck.admin.captures import check_cell
from factcheck.captures.checking import check, latest_captures
from factcheck.models import Capture, Citation


def may_view_claims(request) -> bool:
    return request.user.has_perm("factcheck.view_claim")


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
        "capture_check",
        "seen_version",
    ]
    readonly_fields = ["capture_check"]

    def get_queryset(self, request):
        # Every capture of the cited sources in one query (latest first), not one per citation.
        captures = Prefetch(
            "source__captures",
            queryset=Capture.objects.order_by("-captured_at", "-pk"),
            to_attr="captures_newest_first",
        )
        return (
            super()
            .get_queryset(request)
            .select_related("source", "claim")
            .prefetch_related(captures)
        )

    @admin.display(description="passage in the capture")
    def capture_check(self, citation):
        if citation.pk is None:
            return "Checked once saved."
        newest = getattr(citation.source, "captures_newest_first", None)
        latest = newest[0] if newest else None
        return check_cell(check(citation, latest), citation)


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    form = CitationForm
    list_display = ["claim", "source", "stance", "locator", "accessed_on"]
    list_filter = ["stance", "source"]
    search_fields = ["claim__statement", "claim__slug", "passage", "note", "source__title"]
    list_select_related = ["claim", "source"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["capture_check"]

    @admin.display(description="passage in the capture")
    def capture_check(self, citation):
        if citation.pk is None:
            return "Checked once saved."
        latest = latest_captures([citation.source_id]).get(citation.source_id)
        return check_cell(check(citation, latest), citation)

    # Who may not view claims sees a citation's claim by number only: its
    # statement is the claim's content, drafts included.

    def get_list_display(self, request):
        display = super().get_list_display(request)
        if may_view_claims(request):
            return display
        return ["claim_number" if name == "claim" else name for name in display]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if may_view_claims(request):
            return fields
        return [name for name in fields if not name.startswith("claim__")]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if may_view_claims(request):
            return fields
        return ["claim_number" if name == "claim" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if may_view_claims(request) else [*readonly, "claim_number"]

    def hidden_relations(self, request) -> set[str]:
        return set() if may_view_claims(request) else {"claim"}

    @admin.display(description="claim", ordering="claim_id")
    def claim_number(self, citation):
        return f"claim #{citation.claim_id}"

    def has_add_permission(self, request):
        # Evidence is cited for a claim: whoever cannot see claims cannot pick one.
        return super().has_add_permission(request) and may_view_claims(request)

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
            with workflow.editing(claim, user=request.user, reason=reason):
                write()
        except workflow.NotPermitted as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        except workflow.StepRefused as refusal:
            messages.error(request, str(refusal))
            raise PermissionDenied(str(refusal)) from refusal
