"""What every tracked model's admin shares: each change says why.

Every form asks why the change is made; the reason, the user and the change
itself land in the object's history (the "History" button).
"""

import itertools

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from factcheck.history import diff, recorded_change
from factcheck.models import Claim

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

    def get_changeform_initial_data(self, request):
        # Only add pages get a default reason. It goes in this request's initial
        # data, never on the form class: its field objects are shared by every
        # form of the model, and a change must always state its own reason.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault(REASON_FIELD, "Created in the admin")
        return initial

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: nothing is saved, so no reason is asked (it showed "None").
            return [
                (name, {**options, "fields": _without_reason(options["fields"])})
                for name, options in fieldsets
                if _without_reason(options.get("fields", ()))
            ]
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a posted revert for anyone who may view the
        # object. A revert is a change: it needs the change permission.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied("Reverting needs the right to change this object.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As simple-history's, but review fields (not editable in forms) are compared too.
        records = list(historical_records)
        for newer, older in itertools.pairwise(records):
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(diff(newer, older))

    def delete_model(self, request, obj):
        with recorded_change(reason="Deleted in the admin", user=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with recorded_change(reason="Deleted in the admin (bulk)", user=request.user):
            super().delete_queryset(request, queryset)


def _without_reason(fields):
    return [name for name in fields if name not in (REASON_FIELD, "seen_version")]


def quote_snippet(claim: Claim):
    """The quote between its stored context: no extra query needed."""
    return format_html(
        '<span class="quote-snippet">…{}<mark>{}</mark>{}…</span>',
        claim.quote_prefix,
        claim.quote,
        claim.quote_suffix,
    )
