"""``/sitemap.xml``: every unit's section that has something published, and every published
item, for search engines."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from lantoa.orgs.models import OrgUnit

from . import public_selectors as selectors


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6
    limit = 5000

    def items(self):
        published = selectors.visible_items().filter(unit=OuterRef("pk"))
        return (
            OrgUnit.objects.filter(is_active=True)
            .filter(Q(depth__lte=2) | Q(Exists(published)))
            .only("code", "path")
            .order_by("path")
        )

    def location(self, unit):
        return reverse("section:section", args=[unit.code])


class ItemSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            selectors.visible_items()
            .select_related("unit")
            .only("slug", "published_at", "unit__code")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("section:item", args=[item.unit.code, item.slug])

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {"sections": SectionSitemap, "items": ItemSitemap}
