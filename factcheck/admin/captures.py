"""Captures in the admin: upload a saved copy of a cited page (or, when fetching is
enabled, capture its URL now), see which passages each capture contains, and view a
capture safely (its text, or its file as a download; never as a live page)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from factcheck.admin.base import REASON_FIELD
from factcheck.captures import serving, storing
from factcheck.captures.checking import CitationCheck, check
from factcheck.captures.quotes import NORMALISATION_HELP
from factcheck.models import Capture, Citation, Source


def fetching_enabled() -> bool:
    return getattr(settings, "CAPTURE_FETCH_ENABLED", False)


class CaptureForm(forms.ModelForm):
    """Upload a file, or (when enabled) fetch the source's URL; checked before anything is
    stored, so a refused file leaves nothing behind."""

    file = forms.FileField(
        required=False,
        help_text="The page as saved from your browser (“Save page as…”, HTML only), a PDF, "
        "or a plain-text file (.txt). Each citation's passage is then checked against its "
        "text. " + NORMALISATION_HELP,
    )
    fetch_now = forms.BooleanField(
        label="Capture the URL now",
        required=False,
        help_text="Fetch the source's URL from the server instead of uploading a file.",
    )
    change_reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="Recorded in the capture's history with your name, e.g. “Saved the "
        "report page as cited”.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = Capture
        fields = ["source"]
        help_texts = {"source": "The cited source (it must have a URL) this is a copy of."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not fetching_enabled():
            del self.fields["fetch_now"]

    def clean(self):
        cleaned = super().clean()
        source, upload = cleaned.get("source"), cleaned.get("file")
        fetch_now = cleaned.get("fetch_now", False)
        if source is None or self.errors:
            return cleaned
        if bool(upload) == bool(fetch_now):
            raise forms.ValidationError(
                "Upload a file or tick “Capture the URL now”, not both."
                if fetch_now
                else "Choose the file to upload."
            )
        try:
            if fetch_now:
                self.prepared = storing.prepare_fetch(source, user=self.user)
            else:
                self.prepared = storing.prepare_upload(source, upload, user=self.user)
        except storing.CaptureRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return cleaned


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    form = CaptureForm
    list_display = ["captured_at", "source", "url", "method", "content_type", "size"]
    list_filter = ["method"]
    list_select_related = ["source"]
    search_fields = ["url", "source__title", "sha256"]
    autocomplete_fields = ["source"]

    class Media:
        css = {"all": ["factcheck/admin.css"]}

    readonly_fields = [
        "source",
        "url",
        "final_url",
        "captured_at",
        "method",
        "made_by",
        "http_status",
        "content_type",
        "size",
        "sha256",
        "view_links",
        "passages",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return WithUser

    def get_fields(self, request, obj=None):
        if obj is None:
            fields = ["source", "file", "fetch_now", REASON_FIELD]
            return fields if fetching_enabled() else [f for f in fields if f != "fetch_now"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_changeform_initial_data(self, request):
        return {"source": request.GET.get("source")}

    def has_change_permission(self, request, obj=None):
        return False  # a capture is a record of what was on the page: never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def save_form(self, request, form, change):
        return form.prepared  # the capture the form checked (file read, text extracted)

    def save_model(self, request, obj, form, change):
        storing.commit(obj, user=request.user, reason=form.cleaned_data[REASON_FIELD])

    def save_related(self, request, form, formsets, change):
        pass  # a capture has no related rows to save

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/text/", view(self.text_view), name="factcheck_capture_text"),
            path("<int:pk>/original/", view(self.original_view), name="factcheck_capture_original"),
            path("<int:pk>/warc/", view(self.warc_view), name="factcheck_capture_warc"),
            *super().get_urls(),
        ]

    def _viewable(self, request, pk):
        capture = get_object_or_404(Capture.objects.select_related("source"), pk=pk)
        if not self.has_view_permission(request, capture):
            raise PermissionDenied("Your role does not allow viewing captures.")
        return capture

    def text_view(self, request, pk):
        capture = self._viewable(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Text of the capture of {capture.captured_at:%Y-%m-%d %H:%M} UTC",
            "capture": capture,
            "opts": self.opts,
        }
        return render(request, "admin/factcheck/capture/text.html", context)

    def original_view(self, request, pk):
        return serving.original_download(self._viewable(request, pk))

    def warc_view(self, request, pk):
        return serving.warc_download(self._viewable(request, pk))

    @admin.display(description="view safely")
    def view_links(self, capture):
        return capture_links(capture)

    @admin.display(description="cited passages")
    def passages(self, capture):
        """Each citation of this capture's source: is its passage in this capture?"""
        citations = Citation.objects.filter(source=capture.source_id).select_related("claim")
        rows = [(c.claim.slug, c.locator or "—", check(c, capture).label) for c in citations[:200]]
        if not rows:
            return "No citation cites this source."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{} ({}): {}</li>", rows),
        )


def capture_links(capture) -> str:
    return format_html(
        '<a href="{}">text</a> · <a href="{}">file as captured (download)</a> · '
        '<a href="{}">WARC (download)</a>',
        reverse("admin:factcheck_capture_text", args=[capture.pk]),
        reverse("admin:factcheck_capture_original", args=[capture.pk]),
        reverse("admin:factcheck_capture_warc", args=[capture.pk]),
    )


def check_cell(result: CitationCheck, citation=None) -> str:
    """ "found in the capture of <date>" / "not found …" / "no capture", with links."""
    if citation is not None and not citation.passage:
        return "No passage to check."
    if result.capture is None:
        add = reverse("admin:factcheck_capture_add")
        source_id = citation.source_id if citation is not None else ""
        return format_html('No capture. <a href="{}?source={}">Add a capture</a>', add, source_id)
    css = "capture-found" if result.found else "capture-missing"
    return format_html(
        '<span class="{}">{}</span> — {}<div class="help">{}</div>',
        css,
        result.label,
        capture_links(result.capture),
        NORMALISATION_HELP,
    )


def source_captures(source: Source) -> str:
    """The captures of a source, newest first, with a link to add one."""
    add = reverse("admin:factcheck_capture_add") + f"?source={source.pk}"
    items = format_html_join(
        "",
        '<li><a href="{}">{} UTC</a> ({}, {} bytes) — {}</li>',
        (
            (
                reverse("admin:factcheck_capture_change", args=[c.pk]),
                f"{c.captured_at:%Y-%m-%d %H:%M}",
                c.get_method_display().lower(),
                c.size,
                capture_links(c),
            )
            for c in source.captures.order_by("-captured_at", "-pk").defer("text")
        ),
    )
    return format_html(
        '{}<p><a href="{}">Add a capture</a> (upload the page as saved{})</p>',
        format_html("<ul>{}</ul>", items) if items else "No capture yet.",
        add,
        " or capture its URL now" if fetching_enabled() else "",
    )
