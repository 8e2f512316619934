"""Public data downloads: CSV, the stored text, W3C Web Annotations and CSL-JSON."""

import csv
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck.public import structured
from factcheck.public.caching import conditional
from factcheck.public.lookup import filtered, public_source_or_404, redirect_if_moved
from factcheck.public.published import (
    live_claim,
    live_claims,
)
from factcheck.ratings import (
    RATING_VALUES,
)
from factcheck.weblinks import web_url

ANNOTATIONS_PER_PAGE = 200


CSV_COLUMNS = [
    "slug",
    "url",
    "statement",
    "quote",
    "attributed_to",
    "kind",
    "verdict",
    "rating_value",
    "rationale",
    "fidelity",
    "fidelity_note",
    "notes",
    "revision",
    "first_published_at",
    "published_at",
    "source",
    "source_title",
    "source_publisher",
    "source_url",
    "source_published_on",
    "citations",
    "citation_urls",
]


class _Echo:
    def write(self, value):
        return value


@require_safe
@conditional
def claims_csv(request):
    """The published claims matching the same filters as /claims/, as CSV (UTF-8)."""
    claims_filter, claims = filtered(request)
    if claims_filter.is_bound and not claims_filter.is_valid():
        return JsonResponse({"errors": claims_filter.errors}, status=400)
    writer = csv.writer(_Echo())
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        yield "\ufeff"  # a byte-order mark, so spreadsheet programs read UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for claim in claims.iterator(chunk_size=500):
            revision, source = claim.live_revision, claim.source
            yield writer.writerow(
                [
                    claim.slug,
                    base + claim.get_absolute_url(),
                    revision.statement,
                    revision.quote,
                    revision.attributed_to,
                    revision.kind,
                    revision.verdict,
                    RATING_VALUES.get(revision.verdict, ""),
                    revision.rationale,
                    revision.fidelity,
                    revision.fidelity_note,
                    revision.notes,
                    revision.number,
                    claim.first_published_at.isoformat(),
                    revision.published_at.isoformat(),
                    source.slug,
                    source.title,
                    source.publisher,
                    web_url(source.url),
                    source.published_on.isoformat() if source.published_on else "",
                    len(revision.citations),
                    " ".join(c["url"] for c in revision.citations if web_url(c.get("url"))),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="published-claims.csv"'
    return response


def _json(document, content_type, status=200):
    # JSON is UTF-8 by definition (RFC 8259): no charset parameter.
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type=content_type,
        status=status,
    )


@require_safe
@conditional
def source_text(request, slug):
    """The stored text that published quotes and annotation offsets point into."""
    source = public_source_or_404(slug)
    response = HttpResponse(source.text, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = source.language or "und"
    return response


@require_safe
@conditional
def claim_annotation(request, slug):
    claim = live_claim(slug)
    if claim is None:
        if redirect := redirect_if_moved(request, "public:claim-annotation", slug):
            return redirect
        raise Http404("No published claim has this address.")
    return _json(structured.annotation(claim, request), structured.ANNOTATION_CONTENT_TYPE)


@require_safe
@conditional
def source_annotations(request, slug):
    """The published claims of a source as a W3C AnnotationCollection, paged.

    Without ``?page=`` it answers the collection with its first page embedded;
    ``?page=N`` answers page N (1-based) as an AnnotationPage.
    """
    source = public_source_or_404(slug)
    claims = live_claims().filter(live_revision__source=source)
    paginator = Paginator(claims, ANNOTATIONS_PER_PAGE)
    collection_id = request.build_absolute_uri(reverse("public:source-annotations", args=[slug]))
    collection = structured.annotation_collection(
        collection_id, label=f"Fact-checked claims in “{source.title}”", total=paginator.count
    )

    def page_document(number):
        page = paginator.page(number)
        for claim in page:
            claim.source = source
        return structured.annotation_page(
            page,
            request,
            collection=collection,
            page_id=f"{collection_id}?page={number}",
            start_index=page.start_index() - 1 if paginator.count else 0,
            next_id=f"{collection_id}?page={number + 1}" if page.has_next() else None,
            prev_id=f"{collection_id}?page={number - 1}" if page.has_previous() else None,
        )

    if "page" in request.GET:
        try:
            number = paginator.validate_number(request.GET["page"])
        except Exception as error:
            raise Http404(f"No such page: {error}") from error
        document = {"@context": structured.ANNOTATION_CONTEXT, **page_document(number)}
        return _json(document, structured.ANNOTATION_CONTENT_TYPE)
    document = {
        "@context": structured.ANNOTATION_CONTEXT,
        **collection,
        "creator": {"type": "Organization", "name": settings.SITE_PUBLISHER},
    }
    if paginator.count:
        document["first"] = page_document(1)
        document["last"] = f"{collection_id}?page={paginator.num_pages}"
    return _json(document, structured.ANNOTATION_CONTENT_TYPE)


@require_safe
@conditional
def source_csl(request, slug):
    return _json([structured.csl_source(public_source_or_404(slug))], structured.CSL_CONTENT_TYPE)


@require_safe
@conditional
def claim_citations_csl(request, slug):
    """The evidence of a published claim, as cited, in CSL-JSON."""
    claim = live_claim(slug)
    if claim is None:
        if redirect := redirect_if_moved(request, "public:claim-citations-csl", slug):
            return redirect
        raise Http404("No published claim has this address.")
    citations = claim.live_revision.citations
    items = structured.csl_citations(citations)
    return _json(items, structured.CSL_CONTENT_TYPE)
