"""sitemap.xml: the public pages, each published claim and each public article."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from factcheck.models import Claim
from factcheck.public.published import public_sources


class PagesSitemap(Sitemap):
    def items(self):
        return ["public:home", "public:claims", "public:methodology"]

    def location(self, item):
        return reverse(item)


class ClaimsSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Claim.objects.published()
            .select_related(None)
            .select_related("live_revision")
            .only("slug", "live_revision__published_at")
            .order_by("pk")
        )

    def lastmod(self, claim):
        return claim.live_revision.published_at


class SourcesSitemap(Sitemap):
    def items(self):
        return (
            public_sources()
            .only("slug", "updated_at")
            .annotate(last_published=Max("claims__live_revision__published_at"))
        )

    def location(self, source):
        return reverse("public:source", args=[source.slug])

    def lastmod(self, source):
        # The annotated article changes when the text is edited or a claim is published.
        return max(filter(None, [source.updated_at, source.last_published]))


SITEMAPS = {"pages": PagesSitemap, "claims": ClaimsSitemap, "sources": SourcesSitemap}
