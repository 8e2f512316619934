"""Machine-readable documents built from published revisions.

- ClaimReview (schema.org), embedded in each claim page for search engines and
  fact-check aggregators: https://developers.google.com/search/docs/appearance/structured-data/factcheck
- W3C Web Annotation (https://www.w3.org/TR/annotation-model/): each claim as an
  annotation of its article's stored text, with a TextQuoteSelector and a
  TextPositionSelector, for annotation tools.
- CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html):
  sources and evidence, for reference managers.

The author is always the publishing organisation (settings.SITE_PUBLISHER),
never a member of staff.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse

from factcheck.models import SourceKind
from factcheck.public.annotated import place
from factcheck.ratings import (
    BEST_RATING,
    DEFINITIONS,
    RATING_VALUES,
    WORST_RATING,
    Fidelity,
    Verdict,
)
from factcheck.weblinks import web_url

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_CONTENT_TYPE = f'application/ld+json; profile="{ANNOTATION_CONTEXT}"'
CSL_CONTENT_TYPE = "application/vnd.citationstyles.csl+json"


def publisher() -> dict:
    return {"@type": "Organization", "name": settings.SITE_PUBLISHER, "url": settings.SITE_URL}


def appearance(source, request) -> dict:
    """The article a claim appears in. Its own URL if known, else our copy of it."""
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": web_url(source.url) or request.build_absolute_uri(source_url(source)),
    }
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def source_url(source) -> str:
    return reverse("public:source", args=[source.slug])


def claim_review(claim, request) -> dict:
    """The ClaimReview of a published claim, from its live revision."""
    revision = claim.live_revision
    verdict = Verdict(revision.verdict)
    rating = {
        "@type": "Rating",
        "alternateName": verdict.label,
        "ratingExplanation": DEFINITIONS[verdict],
    }
    if verdict in RATING_VALUES:
        rating.update(
            ratingValue=RATING_VALUES[verdict], bestRating=BEST_RATING, worstRating=WORST_RATING
        )
    source = claim.source
    item = {"@type": "Claim", "appearance": appearance(source, request)}
    item["firstAppearance"] = item["appearance"]
    if source.publisher:
        # The claim as it appears is the article's: its publisher makes it, in the
        # words of the attribution shown on the page.
        item["author"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": revision.statement,
        "author": publisher(),
        "datePublished": claim.first_published_at.isoformat(),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if revision.is_correction:
        review["dateModified"] = revision.published_at.isoformat()
    return review


def text_url(source, request) -> str:
    return request.build_absolute_uri(reverse("public:source-text", args=[source.slug]))


def annotation(claim, request) -> dict:
    """A claim as a W3C Web Annotation of its article's stored text.

    The target is the stored text served at /sources/<slug>/text.txt, so the
    TextPositionSelector's offsets (Unicode code points) can be checked
    against it. A quote that no longer anchors keeps its TextQuoteSelector
    only: its position is not known.
    """
    revision = claim.live_revision
    verdict = Verdict(revision.verdict)
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": revision.quote,
            "prefix": revision.quote_prefix,
            "suffix": revision.quote_suffix,
        }
    ]
    placement = getattr(claim, "placement", None) or place(claim.source.text, revision)
    if placement is not None:
        selectors.append(
            {"type": "TextPositionSelector", "start": placement.start, "end": placement.end}
        )
    page = request.build_absolute_uri(claim.get_absolute_url())
    document = {
        "@context": ANNOTATION_CONTEXT,
        "id": request.build_absolute_uri(reverse("public:claim-annotation", args=[claim.slug])),
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim.first_published_at.isoformat(),
        "modified": revision.published_at.isoformat(),
        "creator": {"type": "Organization", "name": settings.SITE_PUBLISHER},
        "body": [
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "format": "text/plain",
                "language": "en",
                "value": f"{verdict.label}: {revision.statement}",
            },
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "language": "en",
                "value": revision.rationale,
            },
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/plain",
                "language": "en",
                "value": fidelity_statement(revision),
            },
            # The claim's page, described by this annotation. A purpose may only be
            # given to a SpecificResource, not to a web resource itself (model 3.3.5).
            {
                "type": "SpecificResource",
                "purpose": "describing",
                "source": {"id": page, "type": "Text", "format": "text/html"},
            },
        ],
        "target": {
            "type": "SpecificResource",
            "source": text_url(claim.source, request),
            "selector": selectors,
        },
    }
    if web_url(claim.source.url):
        document["target"]["scope"] = claim.source.url
    return document


def fidelity_statement(revision) -> str:
    """How faithfully the article conveys its source, in words, for data formats."""
    text = f"Fidelity to its source: {Fidelity(revision.fidelity).label}."
    return f"{text} {revision.fidelity_note}" if revision.fidelity_note else text


def annotation_collection(collection_id, *, label, total) -> dict:
    """An AnnotationCollection's description, without its pages."""
    return {"id": collection_id, "type": "AnnotationCollection", "label": label, "total": total}


def annotation_page(
    claims, request, *, collection, page_id, start_index, next_id=None, prev_id=None
):
    """One page of a collection. ``partOf`` describes the collection (id, label,
    total), as in the model's example 44, so a page read on its own says what
    it is part of."""
    page = {
        "id": page_id,
        "type": "AnnotationPage",
        "partOf": collection,
        "startIndex": start_index,
        "items": [_without_context(annotation(claim, request)) for claim in claims],
    }
    if next_id:
        page["next"] = next_id
    if prev_id:
        page["prev"] = prev_id
    return page


def _without_context(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "@context"}


CSL_TYPES = {
    SourceKind.NEWS_RELEASE: "report",
    SourceKind.REPORT: "report",
    SourceKind.STATEMENT: "speech",
    SourceKind.NEWS_ARTICLE: "article-newspaper",
    SourceKind.WEB_PAGE: "webpage",
    SourceKind.DATASET: "dataset",
    SourceKind.OTHER: "document",
}


def _date_parts(value) -> dict:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_source(source) -> dict:
    """A source as a CSL-JSON item. Unknown fields are left out, never guessed."""
    item = _csl_item(
        source.slug,
        kind=source.kind,
        title=source.title,
        publisher=source.publisher,
        byline=source.byline,
        published_on=source.published_on,
        accessed_on=source.retrieved_on,
        url=source.url,
    )
    if source.language:
        item["language"] = source.language
    if source.dateline:
        item["publisher-place"] = source.dateline
    return item


def csl_citations(citations: list[dict]) -> list[dict]:
    """The documents a published revision cites (dicts of PublishedRevision.citations),
    as CSL-JSON: one item per document, in the order first cited, whose ``locator``
    lists every place cited ("p. 4; p. 9"). Everything comes from the revision as
    published; revisions frozen before kind and byline were kept give neither."""
    items = {}
    for citation in citations:
        slug = citation["source"]
        item = items.get(slug)
        if item is None:
            item = items[slug] = _csl_item(
                slug,
                kind=citation.get("kind"),
                title=citation["title"],
                publisher=citation.get("publisher"),
                byline=citation.get("byline", ""),
                published_on=_date(citation.get("published_on")),
                accessed_on=_date(citation.get("accessed_on")),
                url=citation.get("url"),
            )
            if citation.get("language"):
                item["language"] = citation["language"]
        locator = citation.get("locator")
        if locator:
            places = item["locator"].split("; ") if "locator" in item else []
            if locator not in places:
                item["locator"] = "; ".join([*places, locator])
    return list(items.values())


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _csl_item(slug, *, kind, title, publisher, byline, published_on, accessed_on, url) -> dict:
    item = {"id": slug, "type": CSL_TYPES.get(kind, "document"), "title": title}
    if kind == SourceKind.NEWS_RELEASE:
        item["genre"] = "News release"
    if publisher:
        item["publisher"] = publisher
    if byline:
        item["author"] = [{"literal": byline}]
    if published_on:
        item["issued"] = _date_parts(published_on)
    if accessed_on:
        item["accessed"] = _date_parts(accessed_on)
    if web_url(url):
        item["URL"] = url
    return item
