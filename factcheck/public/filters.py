"""Filters, search and sort for published claims.

One FilterSet serves the /claims/ page, the JSON API and the CSV export, so a
shared URL such as ``/claims/?verdict=misleading&q=torture`` means the same on
all three (``/api/claims/?…``, ``/claims.csv?…``).
"""

import django_filters
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.utils.functional import cached_property

from factcheck.models import Claim, ClaimKind
from factcheck.public.published import PUBLIC_VERDICTS
from factcheck.ratings import RATING_VALUES, Fidelity

SORTS = {
    "article": (
        "In article order",
        [
            "live_revision__source__published_on",
            "live_revision__source_id",
            "live_revision__quote_start",
            "pk",
        ],
    ),
    "newest": ("Latest published first", ["-live_revision__published_at", "-pk"]),
    "oldest": ("Earliest published first", ["live_revision__published_at", "pk"]),
    "best": (
        "Verdict: most accurate first",
        [F("rating").desc(nulls_last=True), "live_revision__quote_start", "pk"],
    ),
    "worst": (
        "Verdict: least accurate first",
        [F("rating").asc(nulls_last=True), "live_revision__quote_start", "pk"],
    ),
    "claim": ("Claim, A to Z", ["live_revision__statement", "pk"]),
}
RELEVANCE = "relevance"
# The filters that leave claims out (``sort`` only orders them).
NARROWING = ("q", "verdict", "fidelity", "kind", "source", "attributed_to")
# A search is a handful of words. SQLite builds one condition per word, and a
# thousand words make a query too deep for it to run: refuse before that.
MAX_SEARCH_WORDS = 32
MAX_SEARCH_LENGTH = 500


def at_most_search_words(value: str) -> None:
    count = len(value.split())
    if count > MAX_SEARCH_WORDS:
        raise ValidationError(
            f"Search for at most {MAX_SEARCH_WORDS} words (this search has {count}).",
            code="too_many_words",
        )


def _rating():
    """The verdict's place on the scale; unrated verdicts (Unverifiable) sort last."""
    return Case(
        *[When(live_revision__verdict=v, then=Value(n)) for v, n in RATING_VALUES.items()],
        default=Value(None),
        output_field=IntegerField(),
    )


class LiveRevisionDocument(Expression):
    """The live revision's ``search_document``: its weighted words, stored and
    indexed by migration 0012 on PostgreSQL (so not a model field)."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, *args):
        resolved = self.copy()
        # Joins the live revision, in a count as in a page.
        resolved.revision_column = query.resolve_ref(
            "live_revision__quote_start", allow_joins, reuse, summarize
        )
        return resolved

    def as_sql(self, compiler, connection):
        alias = connection.ops.quote_name(self.revision_column.alias)
        return f"{alias}.{connection.ops.quote_name('search_document')}", []


def search(queryset, terms: str):
    """Full-text search over the published claim, quote and rationale.

    PostgreSQL: English full-text search (stemmed, web-search syntax: "quoted
    phrases", -excluded words, or), ranked by relevance. SQLite: every word
    must occur in one of the three fields, case-insensitively.
    """
    terms = terms.strip()
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(terms, search_type="websearch", config="english")
        document = LiveRevisionDocument()
        return (
            queryset.alias(document=document)
            .filter(document=query)
            .annotate(relevance=SearchRank(F("document"), query))
        )
    for word in terms.split():
        word = word.strip('"')
        if word:
            queryset = queryset.filter(
                Q(live_revision__statement__icontains=word)
                | Q(live_revision__quote__icontains=word)
                | Q(live_revision__rationale__icontains=word)
            )
    return queryset


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        validators=[at_most_search_words],
        help_text=f"Words in the claim, the quote or the rationale (at most "
        f"{MAX_SEARCH_WORDS} words).",
    )
    verdict = django_filters.ChoiceFilter(
        label="Verdict",
        field_name="live_revision__verdict",
        choices=[(v.value, v.label) for v in PUBLIC_VERDICTS],
        empty_label="Any verdict",
        help_text="A verdict on the rating scale, e.g. misleading.",
    )
    fidelity = django_filters.ChoiceFilter(
        label="Fidelity to the source",
        field_name="live_revision__fidelity",
        choices=[(f.value, f.label) for f in Fidelity if f != Fidelity.NOT_YET_RATED],
        empty_label="Any fidelity",
        help_text="How faithfully the article conveys its source, e.g. wording_differs.",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of claim",
        field_name="live_revision__kind",
        choices=ClaimKind.choices,
        empty_label="Any kind",
        help_text="e.g. statistic, quotation, finding.",
    )
    source = django_filters.ChoiceFilter(
        label="Article",
        field_name="live_revision__source__slug",
        empty_label="Any article",
        help_text="The slug of the article the claim comes from.",
    )
    attributed_to = django_filters.ChoiceFilter(
        label="Who makes the claim",
        field_name="live_revision__attributed_to",
        empty_label="Anyone",
        help_text="Exactly as shown on the claim, e.g. Human Rights Watch.",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="filter_sort",
        choices=[(key, label) for key, (label, _) in SORTS.items()] + [(RELEVANCE, "Relevance")],
        empty_label=None,
        help_text="article (default), newest, oldest, best, worst, claim, or relevance "
        "(the default when searching).",
    )

    # The form lists the newest articles only (an archive has thousands); any
    # public article is still accepted, and /sources/ lists them all.
    LISTED_SOURCES = 30

    class Meta:
        model = Claim
        fields = []

    def __init__(
        self, data=None, *args, sources=(), attributions=(), published_claims=None, **kwargs
    ):
        super().__init__(data, *args, **kwargs)
        self.published_claims = published_claims
        self.filters["source"].extra["choices"] = sources
        self.filters["attributed_to"].extra["choices"] = attributions

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in ``qs``, after the search has ranked the rows

    def narrows(self) -> bool:
        """Whether a filter or a search leaves out some published claims."""
        return self.is_bound and any(self.form.cleaned_data.get(name) for name in NARROWING)

    @property
    def qs(self):
        queryset = self._ordered(super().qs)
        if (not self.is_bound or self.is_valid()) and not self.narrows():
            # Every published claim: ClaimPaginator need not count them.
            queryset.published_claims = self.published_claims
        return queryset

    def _ordered(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset.order_by(*SORTS["article"][1])
        sort = self.form.cleaned_data.get("sort") or ""
        searching = bool((self.form.cleaned_data.get("q") or "").strip())
        if sort == RELEVANCE or (not sort and searching):
            if searching and connection.vendor == "postgresql":
                return queryset.order_by("-relevance", *SORTS["article"][1])
            sort = "article"
        if sort in ("best", "worst"):
            queryset = queryset.annotate(rating=_rating())
        return queryset.order_by(*SORTS.get(sort or "article", SORTS["article"])[1])


def claim_filter(data, queryset, state):
    """A ClaimFilter over ``queryset`` whose article and attribution choices are
    those of published claims in public state ``state`` (``PublicState.read()``),
    read once per state (``factcheck.public.facets``)."""
    from factcheck.public.facets import facets

    offered = facets(state)
    return ClaimFilter(
        data or None,
        queryset=queryset,
        sources=offered.sources,
        attributions=offered.attributions,
        published_claims=state.published_claims,
    )


class ClaimPaginator(Paginator):
    """Counts the claims only when a filter narrows them: the whole list's count
    comes with the public state (``ClaimFilter.qs`` hands it over)."""

    @cached_property
    def count(self):
        known = getattr(self.object_list, "published_claims", None)
        return known if known is not None else super().count
