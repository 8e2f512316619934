"""Every public answer: ETag, Last-Modified, 304, and a server-side cache.

What the public sees changes only when a revision is published, a claim is
withdrawn or a source is edited, and each of those bumps one row
(``PublicState``) in its own transaction. One primary-key read of that row,
with a digest of the code that renders pages, gives every public answer its
ETag and Last-Modified, so a repeat request answers 304 Not Modified without
rendering anything, at any archive size.

Rendered answers are kept in Django's cache (``CACHES``: local memory by
default, Redis in production, see ``CACHE_URL``) under a key that includes
that version: a publication or withdrawal moves every key at once, so no
reader gets a page from before it once it has committed, on any app server.
Responses must be revalidated (max-age=0), so a withdrawal is never served
stale from a browser's or a proxy's cache either.
"""

import contextlib
import hashlib
import logging
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from factcheck import __version__
from factcheck.models import PublicState

CACHE = "default"
# A rendered answer is never stale (its key moves with the public state); this
# only lets entries for addresses nobody asks for again expire.
CACHE_SECONDS = 24 * 60 * 60

log = logging.getLogger("factcheck.caching")


class _Unavailable(Exception):
    """The cache failed once in this request; do not ask it again."""


def _cache_call(operation: str, *args):
    """``caches[CACHE].<operation>(*args)``; a cache that errors or times out is
    logged (one warning) and reported as ``_Unavailable``, so the page is
    rendered without it: the cache only saves work, it never decides an answer."""
    try:
        return getattr(caches[CACHE], operation)(*args)
    except Exception as error:  # Redis down, timed out, refused, out of memory...
        log.warning(
            "the cache did not answer (%s: %s); rendering without it",
            type(error).__name__,
            error,
        )
        raise _Unavailable from error


def public_state(request):
    """What the public sees (``PublicState.read()``: version, when it last changed,
    how many claims), read once per request."""
    if not hasattr(request, "_public_state"):
        request._public_state = PublicState.read()
    return request._public_state


# Settings that appear in public answers (names, links, static addresses).
FINGERPRINTED_SETTINGS = ("SITE_NAME", "SITE_PUBLISHER", "SITE_URL", "STATIC_URL")


def fingerprinted_files() -> list:
    """Every file whose change can change a public answer: the templates, all of
    the app's code (views, rating definitions, template tags, models, anchoring:
    more than strictly needed, which costs one revalidation after a deploy at
    most), and the static manifest that gives stylesheets their hashed names."""
    base = settings.BASE_DIR
    files = [
        path
        for root, suffixes in [
            (base / "templates", {".html", ".txt", ".xml"}),
            (base / "factcheck", {".py", ".html", ".txt", ".xml"}),
        ]
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.suffix in suffixes
        and "migrations" not in path.relative_to(root).parts
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():  # written by `collectstatic`
        files.append(manifest)
    return files


@cache
def code_fingerprint() -> str:
    """A digest of the code, templates, static names and site settings that
    render public answers, so a deploy that changes how pages look changes
    their ETags too. Computed once per process: a deploy restarts it."""
    digest = hashlib.sha256(__version__.encode())
    for name in FINGERPRINTED_SETTINGS:
        digest.update(f"{name}={getattr(settings, name)!s}\0".encode())
    base = settings.BASE_DIR
    for path in fingerprinted_files():
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _etag(request, *args, **kwargs):
    version = public_state(request).version
    return hashlib.sha256(f"{code_fingerprint()}:{version}".encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return public_state(request).changed_at


def _cache_key(request) -> str:
    """The rendered answer's key: the code, the public state, the address and the
    formats the client accepts (the API negotiates them)."""
    version = public_state(request).version
    address = hashlib.sha256(
        f"{request.get_full_path()}\0{request.headers.get('Accept', '')}".encode()
    ).hexdigest()
    return f"public:{code_fingerprint()[:16]}:{version}:{address}"


def _cacheable(request, response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def _from_cache(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def conditional(view):
    """Decorate a public view function: ETag, Last-Modified, 304, revalidation, and
    the rendered answer kept in the cache until what the public sees changes."""

    @condition(etag_func=_etag, last_modified_func=_last_modified)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _cache_key(request) if request.method == "GET" else None
        try:
            entry = _cache_call("get", key) if key else None
        except _Unavailable:
            key = entry = None  # one warning per failing request, not two
        if entry is not None:
            response = _from_cache(entry)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # DRF and template responses render late
            if key and _cacheable(request, response):
                with contextlib.suppress(_Unavailable):  # already logged
                    _cache_call(
                        "set", key, (response.content, list(response.items())), CACHE_SECONDS
                    )
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped
