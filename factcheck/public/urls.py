"""Public addresses. Pages are under ``public:``, the JSON API under ``public-api:``."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from factcheck.public import api, api_reference, archive, exports, pages
from factcheck.public.caching import conditional
from factcheck.public.feeds import CorrectionsFeed
from factcheck.public.sitemaps import SITEMAPS

app_name = "public"

api_patterns = (
    [
        path("", api_reference.api_reference, name="reference"),
        path("claims/", conditional(api.ClaimList.as_view()), name="claim-list"),
        path("claims/<slug:slug>/", conditional(api.ClaimDetail.as_view()), name="claim-detail"),
        path("sources/", conditional(api.SourceList.as_view()), name="source-list"),
        path("openapi.json", conditional(SpectacularJSONAPIView.as_view()), name="openapi"),
    ],
    "public-api",
)

urlpatterns = [
    path("", pages.home, name="home"),
    path("claims/", pages.claim_list, name="claims"),
    path("claims.csv", exports.claims_csv, name="claims-csv"),
    path("claims/<slug:slug>/", pages.claim_detail, name="claim"),
    path("claims/<slug:slug>/annotation.jsonld", exports.claim_annotation, name="claim-annotation"),
    path(
        "claims/<slug:slug>/citations.csl.json",
        exports.claim_citations_csl,
        name="claim-citations-csl",
    ),
    path("sources/", pages.source_list, name="sources"),
    path("sources/<slug:slug>/", pages.source_detail, name="source"),
    path("sources/<slug:slug>/text.txt", exports.source_text, name="source-text"),
    path(
        "sources/<slug:slug>/annotations.jsonld",
        exports.source_annotations,
        name="source-annotations",
    ),
    path("sources/<slug:slug>/csl.json", exports.source_csl, name="source-csl"),
    path("archive/<int:pk>/", archive.capture_page, name="capture"),
    path("archive/<int:pk>/text.txt", archive.capture_text, name="capture-text"),
    path("archive/<int:pk>/original", archive.capture_original, name="capture-original"),
    path("archive/<int:pk>/capture.warc.gz", archive.capture_warc, name="capture-warc"),
    path("methodology/", pages.methodology, name="methodology"),
    path("corrections.atom", conditional(CorrectionsFeed()), name="corrections-feed"),
    path("sitemap.xml", conditional(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", pages.robots_txt, name="robots"),
]
