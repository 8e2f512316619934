"""Public addresses. Pages are under ``public:``, the JSON API under ``public-api:``."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from factcheck.public import api, views
from factcheck.public.caching import conditional
from factcheck.public.feeds import CorrectionsFeed
from factcheck.public.sitemaps import SITEMAPS

app_name = "public"

api_patterns = (
    [
        path("", views.api_reference, name="reference"),
        path("claims/", conditional(api.ClaimList.as_view()), name="claim-list"),
        path("claims/<slug:slug>/", conditional(api.ClaimDetail.as_view()), name="claim-detail"),
        path("sources/", conditional(api.SourceList.as_view()), name="source-list"),
        path("openapi.json", conditional(SpectacularJSONAPIView.as_view()), name="openapi"),
    ],
    "public-api",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claims"),
    path("claims.csv", views.claims_csv, name="claims-csv"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("claims/<slug:slug>/annotation.jsonld", views.claim_annotation, name="claim-annotation"),
    path(
        "claims/<slug:slug>/citations.csl.json",
        views.claim_citations_csl,
        name="claim-citations-csl",
    ),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("sources/<slug:slug>/text.txt", views.source_text, name="source-text"),
    path(
        "sources/<slug:slug>/annotations.jsonld",
        views.source_annotations,
        name="source-annotations",
    ),
    path("sources/<slug:slug>/csl.json", views.source_csl, name="source-csl"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections.atom", conditional(CorrectionsFeed()), name="corrections-feed"),
    path("sitemap.xml", conditional(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
