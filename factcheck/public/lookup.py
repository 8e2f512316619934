"""Finding what a public request asks for: filtered claims, a moved claim, a source."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from factcheck.public.caching import public_state
from factcheck.public.filters import claim_filter
from factcheck.public.published import live_claims, moved_to, public_sources


def filtered(request, *, only=()):
    """The published claims matching the request's filters, and the filter itself;
    ``only``: the fields to read (all but the sources' texts by default)."""
    claims = live_claims()
    if only:
        claims = claims.only(*only)
    else:
        claims = claims.defer("live_revision__source__text", "live_revision__source__notes")
    claims_filter = claim_filter(request.GET, claims, public_state(request))
    usable = not claims_filter.is_bound or claims_filter.is_valid()
    return claims_filter, claims_filter.qs if usable else claims.none()


def query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return f"?{query.urlencode()}" if query else ""


def redirect_if_moved(request, view_name: str, slug: str):
    """A permanent redirect from a slug the claim was published under before, or None."""
    current = moved_to(slug)
    if current is None or current == slug:
        return None
    return HttpResponsePermanentRedirect(reverse(view_name, args=[current]) + query_string(request))


def public_source_or_404(slug):
    return get_object_or_404(public_sources(), slug=slug)
