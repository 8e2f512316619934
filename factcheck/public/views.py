"""Public, read-only pages. They show published revisions only (see ``published``)."""

import csv
import json
from functools import cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck.public import structured
from factcheck.public.annotated import annotate, paragraph_of, place
from factcheck.public.caching import conditional
from factcheck.public.changes import revision_log
from factcheck.public.filters import claim_filter
from factcheck.public.published import (
    PUBLIC_VERDICTS,
    corrections,
    live_claim,
    live_claims,
    moved_to,
    public_sources,
    verdict_counts,
    withdrawal,
    withdrawals,
)
from factcheck.public.wording import compare
from factcheck.ratings import (
    BEST_RATING,
    DEFINITIONS,
    FIDELITY_DEFINITIONS,
    RATING_VALUES,
    WORST_RATING,
    Fidelity,
    Verdict,
)
from factcheck.weblinks import web_url

CLAIMS_PER_PAGE = 25
ANNOTATIONS_PER_PAGE = 200
LATEST_CORRECTIONS = 5


def scale():
    """The rating scale as shown to readers: label, definition and number."""
    return [
        {"verdict": v, "definition": DEFINITIONS[v], "value": RATING_VALUES.get(v)}
        for v in PUBLIC_VERDICTS
    ]


PUBLIC_FIDELITIES = [f for f in Fidelity if f != Fidelity.NOT_YET_RATED]


def fidelity_scale():
    """The fidelity scale as shown to readers: label and definition."""
    return [{"fidelity": f, "definition": FIDELITY_DEFINITIONS[f]} for f in PUBLIC_FIDELITIES]


def comparisons(citations) -> list[dict]:
    """The article's words beside the original's, for each published citation that quotes
    the original; ``number`` is the citation's place in the evidence list."""
    found = []
    for number, citation in enumerate(citations, start=1):
        if citation.get("original_words") and citation.get("article_words"):
            article, original = compare(citation["article_words"], citation["original_words"])
            found.append(
                {"number": number, "citation": citation, "article": article, "original": original}
            )
    return found


@require_safe
@conditional
def home(request):
    sources = list(public_sources(counts=True).defer("text", "notes"))
    for source in sources:
        source.verdicts = verdict_counts(source)
    return render(
        request,
        "public/home.html",
        {
            "sources": sources,
            "corrections": corrections()[:LATEST_CORRECTIONS],
            "withdrawals": withdrawals()[:LATEST_CORRECTIONS],
            "nav": "home",
        },
    )


def _filtered(request):
    """The published claims matching the request's filters, and the filter itself."""
    claims = live_claims().defer("live_revision__source__text", "live_revision__source__notes")
    claims_filter = claim_filter(request.GET, claims)
    usable = not claims_filter.is_bound or claims_filter.is_valid()
    return claims_filter, claims_filter.qs if usable else claims.none()


def _describe_filters(form):
    """Tie each filter on the page to what the page shows about it: its error, if
    any. The filters' help texts are written for the API reference (/api/) and are
    not shown here, so no control may point at them; the search box has its own."""
    for name, field in form.fields.items():
        if name != "q":
            field.help_text = form[name].help_text = ""
    for name in form.errors:
        form.fields[name].widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"


@require_safe
@conditional
def claim_list(request):
    claims_filter, claims = _filtered(request)
    _describe_filters(claims_filter.form)
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/claim_list.html",
        {
            "filter": claims_filter,
            "page": page,
            "filtering": any(
                request.GET.get(name)
                for name in ("q", "verdict", "fidelity", "kind", "source", "attributed_to")
            ),
            "csv_url": reverse("public:claims-csv") + _query(request),
            "api_url": reverse("public-api:claim-list") + _query(request),
            "nav": "claims",
        },
        # The page explains a filter it cannot use; the status says so to machines.
        status=400 if claims_filter.is_bound and not claims_filter.is_valid() else 200,
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return f"?{query.urlencode()}" if query else ""


def _moved(request, view_name: str, slug: str):
    """A permanent redirect from a slug the claim was published under before, or None."""
    current = moved_to(slug)
    if current is None or current == slug:
        return None
    return HttpResponsePermanentRedirect(reverse(view_name, args=[current]) + _query(request))


@require_safe
@conditional
def claim_detail(request, slug):
    claim = live_claim(slug)
    if claim is None:
        if moved := _moved(request, "public:claim", slug):
            return moved
        notice = withdrawal(slug)
        if notice is None:
            raise Http404("No published claim has this address.")
        return render(request, "public/withdrawn.html", {"notice": notice}, status=404)
    revision = claim.live_revision
    verdict = Verdict(revision.verdict)
    fidelity = Fidelity(revision.fidelity)
    placement = place(claim.source.text, revision)
    context = None
    if placement is not None:
        context = paragraph_of(claim.source.text, placement)
    revisions = claim.published_revisions.order_by("number").only(
        "number",
        "statement",
        "quote",
        "attributed_to",
        "notes",
        "verdict",
        "rationale",
        "fidelity",
        "fidelity_note",
        "citations",
        "note",
        "published_at",
        "claim_id",
    )
    return render(
        request,
        "public/claim_detail.html",
        {
            "claim": claim,
            "revision": revision,
            "source": claim.source,
            "verdict": verdict,
            "definition": DEFINITIONS[verdict],
            "fidelity": fidelity,
            "fidelity_definition": FIDELITY_DEFINITIONS[fidelity],
            "comparisons": comparisons(revision.citations),
            "rating_value": RATING_VALUES.get(verdict),
            "best_rating": BEST_RATING,
            "worst_rating": WORST_RATING,
            "context": context,
            "log": revision_log(revisions),
            "claim_review": structured.claim_review(claim, request),
            "permalink": request.build_absolute_uri(claim.get_absolute_url()),
        },
    )


def _public_source(slug):
    return get_object_or_404(public_sources(), slug=slug)


@require_safe
@conditional
def source_detail(request, slug):
    source = _public_source(slug)
    claims = live_claims().filter(live_revision__source=source)
    roles = {source.image_caption: "image-caption", source.image_credit: "image-credit"}
    annotated = annotate(source.text, list(claims), roles=roles)
    for number, claim in enumerate(annotated.placed, start=1):
        claim.number = number
    verdicts, fidelities = {}, {}
    for claim in annotated.placed + annotated.unplaced:
        revision = claim.live_revision
        verdicts[revision.verdict] = verdicts.get(revision.verdict, 0) + 1
        fidelities[revision.fidelity] = fidelities.get(revision.fidelity, 0) + 1
    key = [(v, verdicts[v.value]) for v in PUBLIC_VERDICTS if v.value in verdicts]
    fidelity_key = [(f, fidelities[f.value]) for f in Fidelity if f.value in fidelities]
    return render(
        request,
        "public/source_detail.html",
        {
            "source": source,
            "annotated": annotated,
            "key": key,
            "fidelity_key": fidelity_key,
            "total": len(annotated.placed) + len(annotated.unplaced),
        },
    )


@require_safe
@conditional
def source_text(request, slug):
    """The stored text that published quotes and annotation offsets point into."""
    source = _public_source(slug)
    response = HttpResponse(source.text, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = source.language or "und"
    return response


@require_safe
@conditional
def methodology(request):
    return render(
        request,
        "public/methodology.html",
        {
            "scale": scale(),
            "fidelity_scale": fidelity_scale(),
            "best_rating": BEST_RATING,
            "worst_rating": WORST_RATING,
            "unrated": Verdict.UNVERIFIABLE,
            "nav": "methodology",
        },
    )


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
    claims_filter, claims = _filtered(request)
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
def claim_annotation(request, slug):
    claim = live_claim(slug)
    if claim is None:
        if moved := _moved(request, "public:claim-annotation", slug):
            return moved
        raise Http404("No published claim has this address.")
    return _json(structured.annotation(claim, request), structured.ANNOTATION_CONTENT_TYPE)


@require_safe
@conditional
def source_annotations(request, slug):
    """The published claims of a source as a W3C AnnotationCollection, paged.

    Without ``?page=`` it answers the collection with its first page embedded;
    ``?page=N`` answers page N (1-based) as an AnnotationPage.
    """
    source = _public_source(slug)
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
    return _json([structured.csl_source(_public_source(slug))], structured.CSL_CONTENT_TYPE)


@require_safe
@conditional
def claim_citations_csl(request, slug):
    """The evidence of a published claim, as cited, in CSL-JSON."""
    claim = live_claim(slug)
    if claim is None:
        if moved := _moved(request, "public:claim-citations-csl", slug):
            return moved
        raise Http404("No published claim has this address.")
    citations = claim.live_revision.citations
    items = structured.csl_citations(citations)
    return _json(items, structured.CSL_CONTENT_TYPE)


@require_safe
@conditional
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("public:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache
def openapi_schema() -> dict:
    """The OpenAPI description, generated once from the API's serializers."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(patterns=None, urlconf=None).get_schema(request=None, public=True)


def _schema_type(prop: dict, schema: dict) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        target = schema["components"]["schemas"][name]
        return _schema_type(target, schema) if "enum" in target else f"object ({name})"
    if "allOf" in prop:
        return _schema_type(prop["allOf"][0], schema)
    if "enum" in prop:
        return "one of: " + ", ".join(str(v) for v in prop["enum"] if v not in ("", None))
    if prop.get("type") == "array":
        return "list of " + _schema_type(prop.get("items", {}), schema)
    kind = prop.get("format") or prop.get("type", "")
    kind = {"uri": "URL", "date-time": "date and time (ISO 8601)", "date": "date (YYYY-MM-DD)"}.get(
        kind, kind
    )
    return f"{kind} or null" if prop.get("nullable") else kind


def _schema_fields(schema: dict, component: str) -> list[dict]:
    definition = schema["components"]["schemas"][component]
    return [
        {
            "name": name,
            "type": _schema_type(prop, schema),
            "help": prop.get("description", "").split("\n\n")[0],
        }
        for name, prop in definition["properties"].items()
    ]


@require_safe
@conditional
def api_reference(request):
    """The API's reference page, generated from the same OpenAPI description."""
    from factcheck.public.api import Pagination
    from factcheck.public.filters import ClaimFilter

    schema = openapi_schema()
    components = ["ClaimDetail", "Article", "Citation", "Revision", "Source", "VerdictCounts"]
    return render(
        request,
        "public/api.html",
        {
            "components": [(name, _schema_fields(schema, name)) for name in components],
            "filters": [
                {"name": name, "label": f.label, "help": f.extra.get("help_text", "")}
                for name, f in ClaimFilter.base_filters.items()
            ],
            "page_size": Pagination.page_size,
            "max_page_size": Pagination.max_page_size,
            "nav": "api",
        },
    )
