"""Public archived copies: the captures that published fact-checks were checked against."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck.captures import serving
from factcheck.public.published import published_capture


def _capture_or_404(pk):
    capture = published_capture(pk)
    if capture is None:
        raise Http404("No published fact-check refers to this archived copy.")
    return capture


@require_safe
def capture_page(request, pk):
    """The archived copy's text and record (date, URL, SHA-256), with its downloads."""
    capture = _capture_or_404(pk)
    return render(request, "public/capture.html", {"capture": capture})


@require_safe
def capture_text(request, pk):
    return serving.text_plain(_capture_or_404(pk))


@require_safe
def capture_original(request, pk):
    return serving.original_download(_capture_or_404(pk))


@require_safe
def capture_warc(request, pk):
    return serving.warc_download(_capture_or_404(pk))
