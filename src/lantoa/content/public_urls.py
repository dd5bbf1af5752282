"""``/u/``: the public NQ57 sections. Fixed words come before a unit's item addresses, so an
item may not take the address ``embed`` (the content services refuse these slugs)."""

from django.urls import path

from . import public_views as views

app_name = "section"

RESERVED_SLUGS = frozenset({"embed", "loai", "chu-de"})

urlpatterns = [
    path("", views.directory, name="directory"),
    path("feed.atom", views.feed_atom, name="national-atom"),
    path("feed.rss", views.feed_rss, name="national-rss"),
    path("<str:code>/", views.section, name="section"),
    path("<str:code>/feed.atom", views.feed_atom, name="atom"),
    path("<str:code>/feed.rss", views.feed_rss, name="rss"),
    path("<str:code>/embed/", views.embed, name="embed"),
    path("<str:code>/embed.js", views.embed_script, name="embed-js"),
    path("<str:code>/loai/<str:kind>/", views.by_kind, name="kind"),
    path("<str:code>/chu-de/<slug:tag>/", views.by_tag, name="tag"),
    path("<str:code>/<slug:slug>/", views.item, name="item"),
]
