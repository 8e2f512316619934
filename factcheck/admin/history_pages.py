"""The history pages of every tracked model: what changed, readably, and a
comparison of any two versions.

- The history list shows each change of a text word by word (``word_diff``),
  other fields as old → new with their labels, and readable times.
- The compare page (``<id>/history/compare/?from=<history id>&to=<history id>``)
  shows every field that differs between two versions, with who made each
  version, when and why. It is open to whoever may see the object's history.

Relations the user may not see (a citation's claim, for staff without
``view_claim``) are named by number only, on both pages.
"""

import datetime
import itertools
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from simple_history.models import ModelChange, ModelDelta

from factcheck.history import diff
from factcheck.word_diff import word_diff

# "26 Nov 2026, 17:52 UTC", in the active time zone.
READABLE_TIME = "j M Y, H:i T"
READABLE_DATE = "j M Y"
# Unchanged words kept around each change: a glance on the list, more on the compare page.
LIST_CONTEXT_WORDS = 12
COMPARE_CONTEXT_WORDS = 40
# A history id in an address: digits only, few enough to fit a 64-bit integer
# (SQLite cannot take a longer one: an OverflowError, a 500).
_VERSION_ID = re.compile(r"\d{1,18}")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    html: SafeString


def field_changes(model, delta: ModelDelta, *, context: int) -> list[FieldChange]:
    """Each change of ``delta`` as the field's label and its difference, as HTML."""
    result = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        result.append(
            FieldChange(
                change.field,
                capfirst(field.verbose_name),
                _difference(field, change.old, change.new, context),
            )
        )
    return result


def _difference(field, old, new, context) -> SafeString:
    is_text = isinstance(field, models.CharField | models.TextField) and not field.choices
    if is_text and isinstance(old, str | None) and isinstance(new, str | None):
        return _text_difference(word_diff(old, new, context=context))
    return format_html(
        "{} → {}",
        format_html("<del>{}</del>", _shown(old)) if _present(old) else _EMPTY,
        format_html("<ins>{}</ins>", _shown(new)) if _present(new) else _EMPTY,
    )


_EMPTY = mark_safe('<span class="quiet">(empty)</span>')


def _present(value) -> bool:
    return value not in (None, "", [])


def _shown(value) -> str:
    """A value as a reader of the history wants it: dates in words, lists as lists."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, datetime.datetime):
        return _readable_time(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, READABLE_DATE)
    return str(value)


def _readable_time(value) -> str:
    """ "26 Nov 2026, 17:52 UTC": the template filter ``date`` with READABLE_TIME, in Python."""
    return formats.date_format(timezone.localtime(value), READABLE_TIME)


_SEGMENT_HTML = {
    "same": "{}",
    "deleted": "<del>{}</del>",
    "inserted": "<ins>{}</ins>",
}
_SPACING_ONLY = mark_safe('<span class="quiet">Only spacing or line breaks changed.</span>')


def _text_difference(segments) -> SafeString:
    parts = []
    for segment in segments:
        if segment.kind == "gap":
            parts.append(
                format_html(
                    '<span class="diff-gap">[… {} word{} not shown …]</span>',
                    segment.skipped,
                    pluralize(segment.skipped),
                )
            )
        elif segment.kind == "spacing":
            parts.append(_SPACING_ONLY)
        else:
            parts.append(format_html(_SEGMENT_HTML[segment.kind], segment.text))
    return format_html_join("", "{}", ((part,) for part in parts))


class HistoryPages:
    """Mixed into TrackedAdmin: the history list's differences and the compare page."""

    object_history_compare_template = "simple_history/object_history_compare.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            # Before django-simple-history's "<id>/history/<version>/", which would
            # take "compare" for a version.
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name=f"{opts.app_label}_{opts.model_name}_history_compare",
            ),
            *super().get_urls(),
        ]

    def hidden_relations(self, request) -> set[str]:
        """Relations this user may not see, shown in the history by number only."""
        return set()

    def visible_delta(self, request, newer, older) -> ModelDelta:
        delta = diff(newer, older)
        hidden = self.hidden_relations(request)
        return _by_number(delta, hidden, newer, older) if hidden else delta

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As simple-history's, but review fields (not editable in forms) are compared
        # too, and texts word by word instead of cut to "The O[39 chars]ents".
        for newer, older in itertools.pairwise(list(historical_records)):
            delta = self.visible_delta(request, newer, older)
            newer.history_delta_changes = field_changes(
                self.model, delta, context=LIST_CONTEXT_WORDS
            )

    def history_compare_view(self, request, object_id):
        model, opts = self.model, self.model._meta
        object_pk = primary_key(model, object_id)
        history = model.history.filter(**{opts.pk.attname: object_pk})
        obj = self.get_object(request, str(object_pk))
        if obj is None:  # deleted since: as the history page, go by its last version
            last = history.order_by("-history_date", "-history_id").first()
            if last is None:
                raise Http404(f"No {opts.verbose_name} has the address {object_id!r}.")
            obj = last.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_pk])
        wanted = [request.GET.get(name, "") for name in ("from", "to")]
        if not any(wanted):
            messages.info(request, "Choose two versions to compare, then “Compare”.")
            return HttpResponseRedirect(history_url)
        if not all(_VERSION_ID.fullmatch(value) for value in wanted):
            raise Http404("A version is named by its number in the history.")
        ids = [int(value) for value in wanted]
        records = {
            record.history_id: record
            for record in history.filter(history_id__in=ids)
            .select_related("history_user")
            ._select_related_history_tracked_objs()
        }
        if any(key not in records for key in ids):
            raise Http404(f"No such version of this {opts.verbose_name}.")
        older, newer = sorted(
            (records[key] for key in ids),
            key=lambda record: (record.history_date, record.history_id),
        )
        changes = []
        if older.history_id != newer.history_id:
            changes = field_changes(
                model,
                self.visible_delta(request, newer, older),
                context=COMPARE_CONTEXT_WORDS,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {obj}",
            "opts": opts,
            "object": obj,
            "history_url": history_url,
            "versions": [
                (label, record, self._version_url(record, object_pk))
                for label, record in (("Older version", older), ("Newer version", newer))
            ],
            "changes": changes,
            "same_version": older.history_id == newer.history_id,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_compare_template, context)

    def _version_url(self, record, object_pk):
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            args=[object_pk, record.history_id],
        )


def _by_number(delta, hidden, newer, older):
    changes = [
        ModelChange(
            change.field,
            *(_number(record, change.field) for record in (older, newer)),
        )
        if change.field in hidden
        else change
        for change in delta.changes
    ]
    return ModelDelta(changes, [c.field for c in changes], older, newer)


def _number(record, name):
    field = record.instance._meta.get_field(name)
    key = getattr(record, field.attname)
    return None if key is None else f"{field.related_model._meta.verbose_name} #{key}"


def primary_key(model, value):
    """The primary key in an admin address, or 404 (``abc`` is not a number)."""
    try:
        return model._meta.pk.to_python(unquote(str(value)))
    except (ValidationError, ValueError, TypeError) as error:
        raise Http404(f"No {model._meta.verbose_name} has the address {value!r}.") from error
