"""Conditional requests for every public answer: ETag, Last-Modified, 304.

What the public sees changes only when a revision is published, a claim is
withdrawn or a source is edited. One cheap query reads those three facts; the
ETag and Last-Modified of every public page and API answer derive from it, so
a repeat request answers 304 Not Modified without rendering anything.
Responses must be revalidated (max-age=0), so a withdrawal is never served
stale from a cache.
"""

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.timezone import make_aware
from django.views.decorators.http import condition

from factcheck import __version__
from factcheck.models import Claim, PublishedRevision, Source

_STATE_SQL = (
    "SELECT (SELECT COUNT(*) FROM {revision}), (SELECT MAX(published_at) FROM {revision}),"
    " (SELECT MAX(withdrawn_at) FROM {claim}), (SELECT MAX(updated_at) FROM {source})"
)


def public_state(request):
    """(revisions, last publication, last withdrawal, last source edit), once per request."""
    if not hasattr(request, "_public_state"):
        quote = connection.ops.quote_name
        sql = _STATE_SQL.format(
            revision=quote(PublishedRevision._meta.db_table),
            claim=quote(Claim._meta.db_table),
            source=quote(Source._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            count, published, withdrawn, edited = cursor.fetchone()
        request._public_state = (count, *(_as_datetime(v) for v in (published, withdrawn, edited)))
    return request._public_state


def _as_datetime(value):
    # SQLite hands back MAX() of a datetime column as text.
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return parsed if parsed is None or parsed.tzinfo else make_aware(parsed)
    return value


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
    state = public_state(request)
    return hashlib.sha256(repr((code_fingerprint(), *state)).encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    times = [t for t in public_state(request)[1:] if t is not None]
    return max(times) if times else None


def conditional(view):
    """Decorate a public view function: ETag, Last-Modified, 304 and revalidation."""

    @condition(etag_func=_etag, last_modified_func=_last_modified)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped
