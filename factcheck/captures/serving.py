"""Archived copies, served so that nothing in them runs on our origin.

A capture is shown as its extracted text in our own page (escaped, like any
text), and its bytes are offered only as downloads: ``Content-Disposition:
attachment``, ``X-Content-Type-Options: nosniff``, ``Content-Security-Policy:
sandbox`` (no allow-scripts: even a browser that displayed it would run no
script and give it a unique origin, with no access to our cookies or pages).
The public reaches a capture only while a live published revision refers to it
(``published.published_capture``); the desk's views are behind the admin.
"""

import logging

from django.http import HttpResponse

log = logging.getLogger(__name__)

# "sandbox" with no allow-* token: no scripts, no forms, no plugins, a unique origin.
SANDBOX = "sandbox; default-src 'none'; img-src 'none'; frame-ancestors 'none'"
EXTENSIONS = {"text/html": "html", "application/pdf": "pdf", "text/plain": "txt"}


def _inert(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-transform"
    return response


def _unavailable(capture, error) -> HttpResponse:
    """The capture's row is here but its file is not (storage down, or a restore
    without the files): say so, never a server error."""
    log.error("capture %s: its file %s cannot be read: %s", capture.pk, capture.warc.name, error)
    response = HttpResponse(
        "The archived file of this capture cannot be read from storage right now. "
        "Its text and record are still shown on its page.\n",
        content_type="text/plain; charset=utf-8",
        status=503,
    )
    response["Retry-After"] = "300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def original_download(capture) -> HttpResponse:
    """The payload as captured, as a download (``application/octet-stream``: never rendered)."""
    from factcheck.captures.extract import media_type

    extension = EXTENSIONS.get(media_type(capture.content_type), "bin")
    try:
        payload = capture.payload()
    except OSError as error:
        return _unavailable(capture, error)
    response = HttpResponse(payload, content_type="application/octet-stream")
    return _inert(response, f"capture-{capture.pk}-{capture.sha256[:12]}.{extension}")


def warc_download(capture) -> HttpResponse:
    try:
        with capture.warc.open("rb") as stream:
            body = stream.read()
    except OSError as error:
        return _unavailable(capture, error)
    response = HttpResponse(body, content_type="application/warc")
    return _inert(response, f"capture-{capture.pk}-{capture.sha256[:12]}.warc.gz")


def text_plain(capture) -> HttpResponse:
    """The extracted text as text/plain, shown inline (text/plain + nosniff never runs)."""
    response = HttpResponse(capture.text, content_type="text/plain; charset=utf-8")
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response
