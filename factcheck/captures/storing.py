"""Making a capture of a source's page: from an uploaded file or by fetching its URL.

Either way the payload is checked (type, size, readable text), wrapped in a
WARC record, stored through ``STORAGES["captures"]`` and recorded as a
``Capture`` with its history (who and why), in one transaction: a capture
whose text cannot be read, or whose row cannot be written, leaves no file.
"""

import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from factcheck.captures import fetching, warc
from factcheck.captures.extract import (
    ACCEPTED_TYPES,
    HTML_TYPES,
    ExtractionFailed,
    extract_text,
    media_type,
)
from factcheck.history import recorded_change

UPLOAD_TYPES = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf"}
UPLOAD_TYPES[".txt"] = "text/plain"


class CaptureRefused(ValueError):
    """The capture cannot be made; the message says why."""


def max_bytes() -> int:
    return getattr(settings, "CAPTURE_MAX_BYTES", 20 * 1024 * 1024)


def upload_type(filename: str, payload: bytes) -> str:
    """The content type of an uploaded file, from its name and its first bytes (never from
    what the browser declares)."""
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    kind = UPLOAD_TYPES.get(extension) or mimetypes.guess_type(filename)[0] or ""
    if payload.startswith(b"%PDF-"):
        return "application/pdf"
    if kind == "application/pdf":
        raise CaptureRefused("This file is named .pdf but is not a PDF.")
    if kind not in ACCEPTED_TYPES:
        raise CaptureRefused("Upload the page as saved: an HTML, PDF or plain-text (.txt) file.")
    if b"\x00" in payload[:4096]:
        raise CaptureRefused("This file is binary, not HTML or text.")
    return kind


def prepare(
    source,
    payload: bytes,
    content_type: str,
    *,
    method: str,
    user,
    url: str = "",
    final_url: str = "",
    status: int | None = None,
    headers=None,
    captured_at=None,
):
    """An unsaved ``Capture`` with its text read and its WARC record built (``_record``);
    raises ``CaptureRefused`` with the reason when the payload cannot be a capture."""
    from factcheck.models import Capture

    url = url or source.url
    if not url:
        raise CaptureRefused(
            f"The source “{source}” has no URL: a capture is a copy of a cited web page."
        )
    if max(len(url), len(final_url)) > 500:
        raise CaptureRefused("The page's address is longer than 500 characters.")
    if not payload:
        raise CaptureRefused("The file is empty.")
    if len(payload) > max_bytes():
        raise CaptureRefused(
            f"The file is larger than the capture size cap of {max_bytes():,} bytes."
        )
    kind = media_type(content_type)
    if kind not in ACCEPTED_TYPES:
        raise CaptureRefused(
            f"{kind or 'An unknown type'} is not captured: captures are HTML, PDF or plain text."
        )
    try:
        text = extract_text(payload, content_type)
    except ExtractionFailed as error:
        raise CaptureRefused(str(error)) from error
    if kind in HTML_TYPES | {"application/pdf"} and not text.strip():
        raise CaptureRefused("No text could be read from this file.")
    captured_at = captured_at or timezone.now()
    capture = Capture(
        source=source,
        url=url,
        final_url=final_url if final_url != url else "",
        captured_at=captured_at,
        sha256=warc.sha256(payload),
        content_type=content_type,
        size=len(payload),
        method=method,
        http_status=status,
        text=text,
        made_by=user,
    )
    capture._record = warc.build(
        url=final_url or url,
        payload=payload,
        content_type=content_type,
        captured_at=captured_at,
        status=status,
        http_headers=headers,
    )
    return capture


def commit(capture, *, user, reason: str):
    """Store the prepared capture's WARC file and its row (with history), or neither."""
    capture.warc.save("capture.warc.gz", ContentFile(capture._record), save=False)
    try:
        with transaction.atomic(), recorded_change(reason=reason, user=user):
            capture.save()
    except BaseException:
        capture.warc.delete(save=False)
        raise
    return capture


def store(source, payload: bytes, content_type: str, *, user, reason: str, **details):
    """``prepare`` and ``commit`` in one go."""
    capture = prepare(source, payload, content_type, user=user, **details)
    return commit(capture, user=user, reason=reason)


def prepare_upload(source, uploaded_file, *, user):
    """An unsaved capture from a file an editor saved from their browser."""
    from factcheck.models.captures import CaptureMethod

    limit = max_bytes()
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise CaptureRefused(f"The file is larger than the capture size cap of {limit:,} bytes.")
    payload = uploaded_file.read(limit + 1)
    kind = upload_type(uploaded_file.name or "", payload)
    return prepare(source, payload, kind, method=CaptureMethod.UPLOADED, user=user)


def prepare_fetch(source, *, user):
    """An unsaved capture made by fetching the source's URL now (``fetching.fetch`` rules)."""
    if not source.url:
        raise CaptureRefused(f"The source “{source}” has no URL to fetch.")
    try:
        fetched = fetching.fetch(source.url)
    except fetching.FetchError as error:
        raise CaptureRefused(str(error)) from error
    return prepare_fetched(source, fetched, user=user)


def prepare_fetched(source, fetched, *, user):
    from factcheck.models.captures import CaptureMethod

    return prepare(
        source,
        fetched.payload,
        fetched.content_type or "application/octet-stream",
        method=CaptureMethod.FETCHED,
        user=user,
        url=fetched.url,
        final_url=fetched.final_url,
        status=fetched.status,
        headers=fetched.headers,
    )


def upload(source, uploaded_file, *, user, reason: str):
    return commit(prepare_upload(source, uploaded_file, user=user), user=user, reason=reason)


def fetch(source, *, user, reason: str):
    return commit(prepare_fetch(source, user=user), user=user, reason=reason)
