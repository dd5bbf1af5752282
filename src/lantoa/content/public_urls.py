"""``/u/``: the public NQ57 sections. Fixed words come before a unit's item addresses, so an
item may not take the address ``embed`` (the content services refuse these slugs)."""

from django.urls import path

from . import public_views as views

app_name = "section"

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


def _fixed_words(patterns) -> frozenset[str]:
    """The fixed first words after ``<code>/`` (``embed``, ``loai``, ``feed.atom``...): an item
    of that address would be hidden behind them."""
    words = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if route.startswith("<str:code>/"):
            word = route.split("/")[1]
            if word and "<" not in word:
                words.add(word)
    return frozenset(words)


# ``scorecard``: the evaluation app's public scorecard, mounted by lantoa.urls before this
# include at ``u/<code>/scorecard/``.
RESERVED_SLUGS = _fixed_words(urlpatterns) | {"scorecard"}
