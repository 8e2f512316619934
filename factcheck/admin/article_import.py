"""The admin's "Import an article" page: upload or paste, preview, adjust, confirm.

Nothing is stored before the confirm step. The file as read is kept on the
server (in the session, under a random token) from the first step on; each
step, the confirm included, extracts the article again from that copy, so the
browser never sends back a text it could alter: it sends only the token, the
start and end (plain text) and the metadata it may edit. The SHA-256 is
recomputed at confirm, under the transaction, and the import record's unique
SHA-256 stops a double submit or a second tab from storing two sources.
"""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from factcheck.articles import importer, reading

SESSION_KEY = "article_imports"
KEPT_PENDING = 3  # pending imports kept per session; older ones are dropped


class UploadForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A saved web page (.html) or a text file (.txt)."
    )
    pasted = forms.CharField(
        label="…or paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
    )
    url = forms.URLField(
        label="Page address (URL)",
        required=False,
        assume_scheme="https",
        help_text="If you know it. Leave empty rather than guess.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("Choose a file or paste the article's text.")
        if data.get("file") and (data.get("pasted") or "").strip():
            raise forms.ValidationError("Choose a file or paste text, not both.")
        return data


class MetadataForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in importer.IMPORT_KINDS])
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    url = forms.CharField(
        label="URL", max_length=500, required=False, widget=forms.TextInput(attrs={"size": 80})
    )
    publisher = forms.CharField(max_length=200, required=False)
    byline = forms.CharField(label="Author or byline", max_length=300, required=False)
    language = forms.CharField(max_length=35, required=False, help_text="e.g. en")
    published_on = forms.DateField(
        label="Publication date", required=False, help_text="YYYY-MM-DD, as the page states."
    )
    retrieved_on = forms.DateField(
        label="Retrieved on", required=False, help_text="When the page was saved, if known."
    )
    reason = forms.CharField(
        label="Reason for this import",
        max_length=500,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Recorded in the history with your name.",
    )


class BoundsForm(forms.Form):
    token = forms.CharField(max_length=64)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _keep(request, data: bytes, file_name: str, url: str) -> str:
    token = secrets.token_urlsafe(16)
    pending = dict(_pending(request))
    while len(pending) >= KEPT_PENDING:
        pending.pop(next(iter(pending)))
    pending[token] = {
        "data": base64.b64encode(data).decode("ascii"),
        "file_name": file_name,
        "url": url,
    }
    request.session[SESSION_KEY] = pending
    return token


def _kept(request, token: str):
    entry = _pending(request).get(token)
    if entry is None:
        return None
    return base64.b64decode(entry["data"]), entry["file_name"], entry["url"]


def _forget(request, token: str) -> None:
    pending = dict(_pending(request))
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


class ArticleImportViews:
    """Mixed into SourceAdmin: the import page at sources/import/."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_article_view),
                name="factcheck_source_import",
            ),
            *super().get_urls(),
        ]

    def import_article_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied("Your role may not add sources, so may not import an article.")
        if request.method != "POST":
            return self._render(request, upload=UploadForm())
        step = request.POST.get("step", "preview")
        if step == "upload":
            return self._upload(request)
        return self._preview_or_save(request, save=step == "confirm")

    def _upload(self, request):
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self._render(request, upload=upload, status=400)
        file = upload.cleaned_data["file"]
        if file is not None:
            if file.size > reading.max_bytes():
                upload.add_error(
                    "file",
                    f"The file is too large: {file.size:,} bytes; the limit is "
                    f"{reading.max_bytes():,} bytes.",
                )
                return self._render(request, upload=upload, status=400)
            data, file_name = file.read(), file.name
        else:
            data, file_name = upload.cleaned_data["pasted"].encode("utf-8"), ""
        url = upload.cleaned_data["url"]
        try:
            draft = importer.prepare(data, file_name=file_name, url=url)
        except importer.ImportRefused as error:
            upload.add_error(None, str(error))
            return self._render(request, upload=upload, status=400)
        token = _keep(request, data, file_name, url)
        return self._render_preview(request, draft, token, MetadataForm(initial=draft.metadata))

    def _preview_or_save(self, request, *, save: bool):
        bounds = BoundsForm(request.POST)
        if not bounds.is_valid():
            messages.error(request, "The import form was incomplete; start again.")
            return redirect("admin:factcheck_source_import")
        token = bounds.cleaned_data["token"]
        kept = _kept(request, token)
        if kept is None:
            messages.error(
                request,
                "This import is no longer pending (it was saved already, or your session "
                "ended). Nothing was stored by this request; upload the file again if needed.",
            )
            return redirect("admin:factcheck_source_import")
        data, file_name, url = kept
        start, end = bounds.cleaned_data["start"], bounds.cleaned_data["end"]
        try:
            draft = importer.prepare(data, file_name=file_name, url=url, start=start, end=end)
        except importer.ImportRefused as error:
            messages.error(request, str(error))
            draft = importer.prepare(data, file_name=file_name, url=url)
            return self._render_preview(
                request, draft, token, MetadataForm(initial=draft.metadata), status=400
            )
        previewed = (request.POST.get("previewed_start"), request.POST.get("previewed_end"))
        if save and draft.proposal and previewed != (str(draft.start), str(draft.end)):
            messages.warning(request, "The bounds changed: check this preview, then save.")
            save = False
        metadata = MetadataForm(request.POST if save else None, initial=draft.metadata)
        if not save:
            # A re-preview keeps what the user typed in the metadata fields.
            metadata = MetadataForm(initial={**draft.metadata, **_typed(request.POST)})
            return self._render_preview(request, draft, token, metadata)
        if not metadata.is_valid():
            return self._render_preview(request, draft, token, metadata, status=400)
        values = dict(metadata.cleaned_data)
        reason = values.pop("reason")
        try:
            source = importer.save(
                draft,
                user=request.user,
                reason=reason,
                after_import=self.after_import,
                **values,
            )
        except importer.AlreadyImported as error:
            _forget(request, token)
            link = reverse("admin:factcheck_source_change", args=[error.source.pk])
            messages.error(request, str(error))
            return redirect(link)
        except importer.ImportRefused as error:
            metadata.add_error(None, str(error))
            return self._render_preview(request, draft, token, metadata, status=400)
        _forget(request, token)
        messages.success(
            request,
            f"Imported “{source.title}”: {len(source.text):,} characters stored as a new source.",
        )
        return redirect("admin:factcheck_source_change", source.pk)

    # Connected by the lead to candidate claims: called inside the import's transaction.
    after_import = None

    def _render_preview(self, request, draft, token, metadata, status=200):
        segments = draft.proposal.segments if draft.proposal else []
        return self._render(
            request,
            draft=draft,
            token=token,
            metadata=metadata,
            paragraphs=draft.text.split("\n\n"),
            segments=segments,
            start_choices=[(s.start, s) for s in segments if s.kind != "chrome"],
            status=status,
        )

    def _render(self, request, status=200, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import an article",
            **context,
        }
        return TemplateResponse(
            request, "admin/factcheck/source/import_article.html", context, status=status
        )


def _typed(post) -> dict:
    names = ("kind", "title", "url", "publisher", "byline", "language")
    return {name: post[name] for name in names if name in post}
