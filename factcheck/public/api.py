"""The read-only JSON API: /api/claims/, /api/claims/<slug>/, /api/sources/.

Field names and meanings are documented here (``help_text``) once: the OpenAPI
description at /api/openapi.json and the reference page at /api/ are both
generated from these serializers.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from factcheck.models import ClaimKind, SourceKind, Stance
from factcheck.public.caching import public_state
from factcheck.public.changes import revision_log
from factcheck.public.facets import facets
from factcheck.public.filters import ClaimFilter, ClaimPaginator, claim_filter
from factcheck.public.published import (
    PUBLIC_VERDICTS,
    live_claims,
    moved_to,
    public_sources,
    sources_with_counts,
    withdrawal,
)
from factcheck.ratings import DEFINITIONS, FIDELITY_DEFINITIONS, RATING_VALUES, Fidelity, Verdict

VERDICT_CHOICES = [(v.value, v.label) for v in PUBLIC_VERDICTS]
FIDELITY_CHOICES = Fidelity.choices


class Pagination(PageNumberPagination):
    django_paginator_class = ClaimPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        # A page or page size that is not a number is the client's mistake: 400,
        # naming the parameter (DRF would answer 404 for the page and silently
        # ignore the size). A page past the last is still 404: it does not exist.
        problems = {}
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is None or (name == self.page_query_param and value in self.last_page_strings):
                continue
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                problems[name] = [f"Must be a whole number, 1 or more (not {value[:20]!r})."]
        if problems:
            raise ValidationError(problems)
        return super().paginate_queryset(queryset, request, view)


class PublishedClaimFilterBackend(DjangoFilterBackend):
    """The /claims/ page's filters; a bad value answers 400 with the reason."""

    def get_filterset_class(self, view, queryset=None):
        return ClaimFilter

    def get_filterset(self, request, queryset, view):
        return claim_filter(request.query_params, queryset, public_state(request._request))

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# A citation's check against our archived copy, or null. Described inline: OpenAPI 3.0
# ignores "nullable" beside a $ref, so a component could not say "or null".
CAPTURE_CHECK_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "The check of the passage against our own archived copy of the cited "
    "page, as published; null when we hold no capture of it.",
    "properties": {
        "captured_at": {
            "type": "string",
            "format": "date-time",
            "description": "When our archived copy was captured.",
        },
        "sha256": {"type": "string", "description": "SHA-256 of the archived copy's bytes."},
        "found": {
            "type": "boolean",
            "description": "Whether the passage was found in it (exact match after "
            "normalising whitespace and typographic quotes) when this revision was published.",
        },
        "archived_copy": {
            "type": "string",
            "format": "uri",
            "description": "Our archived copy's page: its text, and the file and WARC "
            "record to download.",
        },
    },
    "required": ["captured_at", "sha256", "found", "archived_copy"],
}


class CitationSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Identifier (slug) of the cited document.")
    title = serializers.CharField(help_text="Title of the cited document, as published.")
    publisher = serializers.CharField(allow_blank=True, help_text="Who published it.")
    url = serializers.CharField(allow_blank=True, help_text="Where it is published; may be empty.")
    published_on = serializers.DateField(
        allow_null=True, help_text="Its publication date, if it states one."
    )
    language = serializers.CharField(
        allow_blank=True, default="", help_text="BCP 47 tag of the cited document's language."
    )
    passage = serializers.CharField(
        allow_blank=True, help_text="The passage quoted exactly from it, in its own language."
    )
    translation = serializers.CharField(
        allow_blank=True, default="", help_text="Our translation of a passage not in English."
    )
    original_words = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="Where the passage quotes the article's own source word for word: those words.",
    )
    article_words = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="The article's words that correspond to original_words.",
    )
    wording_difference = serializers.CharField(
        allow_blank=True, default="", help_text="What differs between the two."
    )
    locator = serializers.CharField(allow_blank=True, help_text="Page, paragraph or section.")
    stance = serializers.ChoiceField(
        choices=Stance.choices,
        help_text="Whether the passage supports, contradicts or adds context.",
    )
    accessed_on = serializers.DateField(allow_null=True, help_text="When it was consulted.")
    archived_url = serializers.CharField(allow_blank=True, help_text="An archived copy, if any.")
    capture = serializers.SerializerMethodField()

    @extend_schema_field(CAPTURE_CHECK_SCHEMA)
    def get_capture(self, citation) -> dict | None:
        check = citation.get("capture")
        if check is None:
            return None
        page = reverse("public:capture", args=[check["id"]])
        return {
            "captured_at": check["captured_at"],
            "sha256": check["sha256"],
            "found": check["found"],
            "archived_copy": _absolute(self.context["request"], page),
        }


class ArticleSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Identifier of the article.")
    title = serializers.CharField(help_text="Title as published.")
    publisher = serializers.CharField(help_text="Who published the article.")
    url = serializers.CharField(
        help_text="The article's address at its publisher; empty when not recorded."
    )
    published_on = serializers.DateField(allow_null=True, help_text="Publication date.")
    page = serializers.SerializerMethodField(help_text="The annotated article on this site.")

    def get_page(self, source) -> str:
        return _absolute(self.context["request"], reverse("public:source", args=[source.slug]))


class ClaimSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier of the claim.")
    url = serializers.SerializerMethodField(help_text="The claim's public page (its permalink).")
    statement = serializers.CharField(
        source="live_revision.statement", help_text="The checkable claim, in our words."
    )
    quote = serializers.CharField(
        source="live_revision.quote", help_text="The article's exact words the claim comes from."
    )
    quote_prefix = serializers.CharField(
        source="live_revision.quote_prefix", help_text="Up to 32 characters before the quote."
    )
    quote_suffix = serializers.CharField(
        source="live_revision.quote_suffix", help_text="Up to 32 characters after the quote."
    )
    quote_start = serializers.IntegerField(
        source="live_revision.quote_start",
        help_text="Offset of the quote in the article's stored text (Unicode code points) "
        "when this revision was published.",
    )
    quote_end = serializers.IntegerField(
        source="live_revision.quote_end", help_text="Offset just after the quote."
    )
    attributed_to = serializers.CharField(
        source="live_revision.attributed_to",
        help_text="Who makes the claim, as the article has it.",
    )
    kind = serializers.ChoiceField(
        source="live_revision.kind",
        choices=ClaimKind.choices,
        help_text="What sort of claim it is.",
    )
    verdict = serializers.ChoiceField(
        source="live_revision.verdict",
        choices=VERDICT_CHOICES,
        help_text="The verdict on the published rating scale (see /methodology/).",
    )
    verdict_label = serializers.SerializerMethodField(help_text="The verdict as shown to readers.")
    verdict_definition = serializers.SerializerMethodField(help_text="What the verdict means.")
    rating_value = serializers.SerializerMethodField(
        help_text="The verdict's number, from 1 (inaccurate) to 5 (accurate); null for "
        "Unverifiable, which is not on the scale."
    )
    rationale = serializers.CharField(
        source="live_revision.rationale", help_text="Why the verdict was given."
    )
    fidelity = serializers.ChoiceField(
        source="live_revision.fidelity",
        choices=FIDELITY_CHOICES,
        help_text="How faithfully the article conveys what its own source said, apart from "
        "whether it is true (see /methodology/#fidelity).",
    )
    fidelity_label = serializers.SerializerMethodField(
        help_text="The fidelity as shown to readers."
    )
    fidelity_definition = serializers.SerializerMethodField(help_text="What the fidelity means.")
    fidelity_note = serializers.CharField(
        source="live_revision.fidelity_note",
        help_text="What differs between the article's words and its source's; may be empty.",
    )
    notes = serializers.CharField(
        source="live_revision.notes",
        help_text="How the claim was delimited and attributed; may be empty.",
    )
    revision = serializers.IntegerField(
        source="live_revision.number",
        help_text="Number of the published revision shown: 1, or more after corrections.",
    )
    first_published_at = serializers.DateTimeField(help_text="When the claim was first published.")
    published_at = serializers.DateTimeField(
        source="live_revision.published_at", help_text="When this revision was published."
    )
    corrected = serializers.SerializerMethodField(
        help_text="True if this revision corrects an earlier one."
    )
    source = ArticleSerializer(help_text="The article the claim comes from.")
    citations = CitationSerializer(
        source="live_revision.citations", many=True, help_text="The evidence, as published."
    )
    annotation = serializers.SerializerMethodField(
        help_text="The claim as a W3C Web Annotation (JSON-LD)."
    )

    def get_url(self, claim) -> str:
        return _absolute(self.context["request"], claim.get_absolute_url())

    def get_verdict_label(self, claim) -> str:
        return Verdict(claim.live_revision.verdict).label

    def get_verdict_definition(self, claim) -> str:
        return DEFINITIONS[Verdict(claim.live_revision.verdict)]

    def get_fidelity_label(self, claim) -> str:
        return Fidelity(claim.live_revision.fidelity).label

    def get_fidelity_definition(self, claim) -> str:
        return FIDELITY_DEFINITIONS[Fidelity(claim.live_revision.fidelity)]

    def get_rating_value(self, claim) -> int | None:
        return RATING_VALUES.get(claim.live_revision.verdict)

    def get_corrected(self, claim) -> bool:
        return claim.live_revision.is_correction

    def get_annotation(self, claim) -> str:
        return _absolute(
            self.context["request"], reverse("public:claim-annotation", args=[claim.slug])
        )


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="revision.number", help_text="1, 2, 3…")
    published_at = serializers.DateTimeField(
        source="revision.published_at", help_text="When it was published."
    )
    statement = serializers.CharField(source="revision.statement", help_text="The claim then.")
    verdict = serializers.ChoiceField(
        source="revision.verdict", choices=VERDICT_CHOICES, help_text="The verdict then."
    )
    rationale = serializers.CharField(source="revision.rationale", help_text="The rationale then.")
    fidelity = serializers.ChoiceField(
        source="revision.fidelity", choices=FIDELITY_CHOICES, help_text="The fidelity then."
    )
    note = serializers.CharField(
        source="revision.note", help_text="The reason given when it was published."
    )
    changes = serializers.ListField(
        child=serializers.CharField(), help_text="What it changed from the revision before."
    )


class ClaimDetailSerializer(ClaimSerializer):
    revisions = serializers.SerializerMethodField(
        help_text="Every published revision, oldest first: the public corrections log."
    )

    @extend_schema_field(RevisionSerializer(many=True))
    def get_revisions(self, claim) -> list[dict]:
        revisions = claim.published_revisions.order_by("number")
        return RevisionSerializer(revision_log(revisions), many=True).data


VerdictCountsSerializer = type(
    "VerdictCountsSerializer",
    (serializers.Serializer,),
    {
        verdict.value: serializers.IntegerField(
            source=f"count_{verdict.value}", help_text=f"Claims rated {verdict.label}."
        )
        for verdict in PUBLIC_VERDICTS
    },
)


class SourceSerializer(ArticleSerializer):
    byline = serializers.CharField(help_text="Author or byline, as the article states it.")
    kind = serializers.ChoiceField(choices=SourceKind.choices, help_text="What sort of document.")
    language = serializers.CharField(help_text="BCP 47 tag of the stored text.")
    dateline = serializers.CharField(help_text="Where it was filed, as it states.")
    claims = serializers.IntegerField(source="claim_count", help_text="Number of published claims.")
    verdicts = VerdictCountsSerializer(source="*", help_text="Published claims by verdict.")
    claims_url = serializers.SerializerMethodField(help_text="Its published claims, in this API.")
    text = serializers.SerializerMethodField(
        help_text="The stored text that quotes and annotation offsets point into."
    )
    annotations = serializers.SerializerMethodField(
        help_text="Its claims as a W3C AnnotationCollection."
    )
    csl = serializers.SerializerMethodField(help_text="The article as CSL-JSON.")

    def _url(self, name, source) -> str:
        return _absolute(self.context["request"], reverse(name, args=[source.slug]))

    def get_claims_url(self, source) -> str:
        return _absolute(
            self.context["request"], reverse("public-api:claim-list") + f"?source={source.slug}"
        )

    def get_text(self, source) -> str:
        return self._url("public:source-text", source)

    def get_annotations(self, source) -> str:
        return self._url("public:source-annotations", source)

    def get_csl(self, source) -> str:
        return self._url("public:source-csl", source)


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why nothing was found.")


NO_SUCH_PAGE = OpenApiResponse(
    NotFoundSerializer, description="No such page: past the last page, or not a number."
)
FILTER_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {
            "verdict": ["Select a valid choice. nonsense is not one of the available choices."]
        },
    },
    description="A filter was given a value it does not take: for each such filter, why.",
)


@extend_schema_view(
    get=extend_schema(
        responses={200: ClaimSerializer(many=True), 400: FILTER_ERRORS, 404: NO_SUCH_PAGE}
    )
)
class ClaimList(generics.ListAPIView):
    """Published claims, filtered like the /claims/ page."""

    serializer_class = ClaimSerializer
    pagination_class = Pagination
    filter_backends = [PublishedClaimFilterBackend]

    def get_queryset(self):
        return live_claims().defer("live_revision__source__text", "live_revision__source__notes")


class WithdrawnSerializer(serializers.Serializer):
    detail = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(required=False)
    reason = serializers.CharField(required=False)


class ClaimDetail(generics.RetrieveAPIView):
    """One published claim, with its public revision log."""

    serializer_class = ClaimDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return live_claims().defer("live_revision__source__text", "live_revision__source__notes")

    @extend_schema(
        responses={
            200: ClaimDetailSerializer,
            404: OpenApiResponse(
                WithdrawnSerializer,
                description="Not published. A withdrawn claim gives the date and the reason.",
            ),
        }
    )
    def get(self, request, *args, **kwargs):
        claim = self.get_queryset().filter(live_revision__slug=kwargs["slug"]).first()
        if claim is None:
            current = moved_to(kwargs["slug"])
            if current and current != kwargs["slug"]:
                url = reverse("public-api:claim-detail", args=[current])
                query = request.META.get("QUERY_STRING")
                return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
            notice = withdrawal(kwargs["slug"])
            if notice is None:
                return Response({"detail": "No published claim has this identifier."}, status=404)
            return Response(
                {
                    "detail": "This claim was withdrawn.",
                    "withdrawn_at": notice.withdrawn_at,
                    "reason": notice.withdrawal_reason,
                },
                status=404,
            )
        return Response(self.get_serializer(claim).data)


@extend_schema_view(
    get=extend_schema(responses={200: SourceSerializer(many=True), 404: NO_SUCH_PAGE})
)
class SourceList(generics.ListAPIView):
    """Articles with at least one published claim."""

    serializer_class = SourceSerializer
    pagination_class = Pagination
    filter_backends = []

    def get_queryset(self):
        return public_sources(counts=True).defer("text", "notes")

    def list(self, request, *args, **kwargs):
        # A page of the articles (read once per public state), then the counts of
        # that page's articles only: the aggregate does not grow with the archive.
        articles = [slug for slug, _ in facets(public_state(request._request)).sources]
        page = sources_with_counts(self.paginate_queryset(articles))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
