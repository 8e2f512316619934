"""What every tracked model's admin shares: each change says why.

Every form asks why the change is made; the reason, the user and the change
itself land in the object's history (the "History" button, whose pages come
from ``history_pages``).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from factcheck.admin.history_pages import HistoryPages, primary_key
from factcheck.history import recorded_change
from factcheck.models import Claim
from factcheck.models.versions import StaleWrite, stale_message

REASON_FIELD = "change_reason"
VERSION_FIELD = "seen_version"
# A URL typed without a scheme means https (Django 6.0's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class VersionedForm(forms.ModelForm):
    """Carries the version of the object the page was loaded at; a save based on an
    older one (someone saved in between, in another tab or a script) is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = self._stored_version()

    def _stored_version(self):
        instance = self.instance
        if getattr(instance, "loaded_version", None) is not None:  # loaded for this page
            return instance.loaded_version
        # A history record's copy (the revert page): the version to act on is the stored one.
        stored = type(instance)._base_manager.filter(pk=instance.pk).only("version").first()
        return stored.version if stored else None

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        current = type(instance)._base_manager.filter(pk=instance.pk).first()
        seen = cleaned.get(VERSION_FIELD)
        if current is None:
            raise forms.ValidationError(
                f"This {instance._meta.verbose_name} was deleted meanwhile; nothing was saved."
            )
        if seen is None:
            raise forms.ValidationError(
                "This form was loaded without its version; reload the page and try again."
            )
        if current.version != seen:
            raise forms.ValidationError(stale_message(instance, current, seen))
        instance.version = seen  # the save checks it again, with the row (see models.versions)
        return cleaned


class ReasonForm(VersionedForm):
    """A model form that also asks why the change is made."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Recorded in the history with your name, e.g. “Corrected the quote "
        "to match the article”.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class TrackedAdmin(HistoryPages, SimpleHistoryAdmin):
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
        return [*fieldsets, ("Why", {"fields": [REASON_FIELD, VERSION_FIELD]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON_FIELD]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD]
        with recorded_change(reason=reason, user=request.user):
            super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        primary_key(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        unusable = self.unusable_version(request, object_id, version_id)
        if unusable is not None:
            return unusable
        # django-simple-history saves a posted revert for anyone who may view the
        # object. A revert is a change: it needs the change permission.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied("Reverting needs the right to change this object.")
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleWrite as stale:  # lost a race after the form's own check
            self.message_user(request, f"Not reverted: {stale}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleWrite as stale:  # lost a race after the form's own check
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def unusable_version(self, request, object_id, version_id):
        """Not found for a malformed address; back to the history list, with the
        reason, for a version that points to an object deleted since."""
        object_pk = primary_key(self.model, object_id)
        record = self.model.history.filter(
            **{self.model._meta.pk.attname: object_pk},
            history_id=primary_key(self.model.history.model, version_id),
        ).first()
        if record is None:
            raise Http404("No such version.")
        missing = deleted_relations(self.model, record)
        if not missing:
            return None
        messages.error(
            request,
            f"That version cannot be shown or restored: it refers to {' and '.join(missing)}, "
            "which was deleted since.",
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_pk])
        )

    def delete_model(self, request, obj):
        with recorded_change(reason="Deleted in the admin", user=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with recorded_change(reason="Deleted in the admin (bulk)", user=request.user):
            super().delete_queryset(request, queryset)


def deleted_relations(model, record) -> list[str]:
    """What a history version refers to that no longer exists, e.g. the source
    “Old report”, named as its own history last knew it."""
    missing = []
    for field in model._meta.concrete_fields:
        related = field.related_model if field.many_to_one else None
        pk = getattr(record, field.attname) if related else None
        if pk is None or related._base_manager.filter(pk=pk).exists():
            continue
        last = None
        if hasattr(related, "history"):
            last = (
                related.history.filter(**{related._meta.pk.attname: pk})
                .order_by("-history_date")
                .first()
            )
        name = f"“{last.instance}”" if last is not None else f"number {pk}"
        missing.append(f"the {related._meta.verbose_name} {name}")
    return missing


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
