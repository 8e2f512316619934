"""The public pages: front page, claim list, claim page, annotated article, methodology.

Every page reads what is published through ``factcheck.public.published``; data
downloads are in ``exports``, the API reference page in ``api_reference``.
"""

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck.changes import COMPARED
from factcheck.public import structured
from factcheck.public.annotated import annotate, paragraph_of, place
from factcheck.public.caching import conditional, public_state
from factcheck.public.changes import revision_log
from factcheck.public.facets import facets
from factcheck.public.filters import ClaimPaginator
from factcheck.public.lookup import (
    filtered,
    public_source_or_404,
    query_string,
    redirect_if_moved,
)
from factcheck.public.published import (
    PUBLIC_VERDICTS,
    corrections,
    latest_fact_checks,
    latest_sources_with_counts,
    live_claim,
    live_claims,
    sources_with_counts,
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

CLAIMS_PER_PAGE = 25
# What a row of the claim list shows, and nothing more is read.
LISTED_FIELDS = [
    "live_revision__source__slug",
    "live_revision__source__title",
    *(
        f"live_revision__{name}"
        for name in (
            "slug",
            "number",
            "statement",
            "verdict",
            "fidelity",
            "quote",
            "quote_prefix",
            "quote_suffix",
            "attributed_to",
            "published_at",
        )
    ),
]
# What the annotated article needs of each of its claims (not the source's text
# again for each one).
ANNOTATED_FIELDS = [
    "live_revision__source__slug",
    "live_revision__source__title",
    *(
        f"live_revision__{name}"
        for name in (
            "slug",
            "statement",
            "verdict",
            "fidelity",
            "quote",
            "quote_start",
            "quote_end",
            "quote_prefix",
            "quote_suffix",
        )
    ),
]
LATEST_FACT_CHECKS = 5  # on the front page
LATEST_CHANGES = 5  # corrections and withdrawals on the front page
LATEST_ARTICLES = 5  # on the front page; all of them on /sources/
ARTICLES_PER_PAGE = 20


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


def latest_changes(limit: int) -> list[dict]:
    """The newest corrections and withdrawals together, newest first: each a dict
    with ``at`` and either ``correction`` (a revision) or ``withdrawal`` (a claim).
    The newest ``limit`` of both are among the newest ``limit`` of each."""
    changes = [{"at": r.published_at, "correction": r} for r in corrections()[:limit]]
    changes += [{"at": c.withdrawn_at, "withdrawal": c} for c in withdrawals()[:limit]]
    return sorted(changes, key=lambda change: change["at"], reverse=True)[:limit]


@require_safe
@conditional
def home(request):
    # One more than is shown, to know whether to link to the rest.
    sources = _article_cards(latest_sources_with_counts(LATEST_ARTICLES + 1))
    return render(
        request,
        "public/home.html",
        {
            "sources": sources[:LATEST_ARTICLES],
            "more_sources": len(sources) > LATEST_ARTICLES,
            "fact_checks": latest_fact_checks(LATEST_FACT_CHECKS),
            "changes": latest_changes(LATEST_CHANGES),
            "nav": "home",
        },
    )


def _article_cards(sources) -> list:
    """Public sources with counts, each with its (verdict, count) pairs."""
    sources = list(sources)
    for source in sources:
        source.verdicts = verdict_counts(source)
    return sources


@require_safe
@conditional
def source_list(request):
    """Every public article, newest first, a page at a time. The list of articles
    comes from the filters' choices (read once per public state), so a page
    counts the claims of its own articles only."""
    articles = facets(public_state(request)).sources
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/source_list.html",
        {
            "page": page,
            "sources": _article_cards(sources_with_counts([slug for slug, _ in page])),
            "nav": "sources",
        },
    )


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
    claims_filter, claims = filtered(request, only=LISTED_FIELDS)
    _describe_filters(claims_filter.form)
    page = ClaimPaginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
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
            "csv_url": reverse("public:claims-csv") + query_string(request),
            "api_url": reverse("public-api:claim-list") + query_string(request),
            "nav": "claims",
        },
        # The page explains a filter it cannot use; the status says so to machines.
        status=400 if claims_filter.is_bound and not claims_filter.is_valid() else 200,
    )


@require_safe
@conditional
def claim_detail(request, slug):
    claim = live_claim(slug)
    if claim is None:
        if redirect := redirect_if_moved(request, "public:claim", slug):
            return redirect
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
    # What the revision log shows and compares (factcheck.changes), and nothing more.
    revisions = claim.published_revisions.order_by("number").only(
        "number", "note", "published_at", "claim_id", *(name for name, _ in COMPARED)
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


@require_safe
@conditional
def source_detail(request, slug):
    source = public_source_or_404(slug)
    claims = live_claims().filter(live_revision__source=source).only(*ANNOTATED_FIELDS)
    roles = {source.image_caption: "image-caption", source.image_credit: "image-credit"}
    annotated = annotate(source.text, list(claims), roles=roles, title=source.title)
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


@require_safe
@conditional
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("public:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
