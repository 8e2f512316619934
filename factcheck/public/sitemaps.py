"""sitemap.xml: the public pages, each published claim and each public article."""

from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, Q
from django.urls import reverse

from factcheck.models import Claim
from factcheck.public.published import public_sources


class PagesSitemap(Sitemap):
    def items(self):
        return ["public:home", "public:claims", "public:sources", "public:methodology"]

    def location(self, item):
        return reverse(item)


class ClaimsSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Claim.objects.published()
            .values("live_revision__slug", "live_revision__published_at")
            .order_by("pk")
        )

    def location(self, claim):
        return reverse("public:claim", args=[claim["live_revision__slug"]])

    def lastmod(self, claim):
        return claim["live_revision__published_at"]


class SourcesSitemap(Sitemap):
    def items(self):
        return (
            public_sources()
            .only("slug", "updated_at")
            .annotate(
                last_published=Max(
                    "published_revisions__published_at",
                    filter=Q(
                        published_revisions__claim__live_revision=F("published_revisions__pk")
                    ),
                )
            )
        )

    def location(self, source):
        return reverse("public:source", args=[source.slug])

    def lastmod(self, source):
        # The annotated article changes when the text is edited or a claim is published.
        return max(filter(None, [source.updated_at, source.last_published]))


SITEMAPS = {"pages": PagesSitemap, "claims": ClaimsSitemap, "sources": SourcesSitemap}
