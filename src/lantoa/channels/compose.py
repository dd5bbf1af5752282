"""An item's live revision composed once and adapted to each channel: the length a platform
takes (cut between words, ``core.truncation``), the link to the item's public page, the picture
or the video, the hashtags folded from the item's tags (#NQ57 #ChuyenDoiSo).

:func:`compose` is pure (reads, never writes): the channel page shows its result as the preview,
and :func:`lantoa.channels.services.outbox_queue` stores the same result on the outbox entry, so
what was previewed is what is sent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lantoa.core.text import fold
from lantoa.core.truncation import shorten
from lantoa.media.choices import AssetKind, AssetStatus

from .choices import Platform

# What each platform takes. Facebook accepts far longer posts, but a page post past a couple of
# thousand characters is cut by the reader's "See more" anyway: the whole item is one link away.
FACEBOOK_TEXT_MAX = 2000
ZALO_TITLE_MAX = 150  # Zalo OA article: title ≤ 150, description ≤ 300
ZALO_DESCRIPTION_MAX = 300
ZALO_BODY_MAX = 20000
YOUTUBE_TITLE_MAX = 100  # YouTube Data API: title ≤ 100 characters, description ≤ 5,000 bytes
YOUTUBE_DESCRIPTION_MAX = 5000
TIKTOK_CAPTION_MAX = 2200
ALWAYS_HASHTAGS = ("#NQ57",)
HASHTAGS_MAX = 6

# The platforms that take a video only (an item without a video is not offered to them).
VIDEO_ONLY = frozenset({Platform.YOUTUBE, Platform.TIKTOK})
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Composed:
    """What one channel receives: ``text`` (the post, the description or the caption),
    ``title`` where the channel has one, ``link`` to the public page, ``asset`` (the cover
    picture or the video), ``hashtags`` and ``body`` (Zalo's article HTML)."""

    platform: str
    title: str
    text: str
    link: str
    asset: object | None
    hashtags: str
    body: str = ""
    problem: str = ""  # why this item cannot go to this channel ("" when it can)

    @property
    def ok(self) -> bool:
        return not self.problem


def public_base_url() -> str:
    """The public address of the site (``LANTOA_PUBLIC_URL``), without a trailing slash."""
    return str(getattr(settings, "PUBLIC_BASE_URL", "") or "http://localhost:8000").rstrip("/")


def item_link(item) -> str:
    """The absolute address of the item's page in its unit's public section."""
    try:
        path = reverse("section:item", args=[item.unit.code, item.slug])
    except NoReverseMatch:
        path = f"/u/{item.unit.code}/{item.slug}/"
    return public_base_url() + path


def picture_url(asset) -> str:
    """The absolute address of an asset's web picture (a video's poster frame), "" for none."""
    if not _ready(asset, (AssetKind.IMAGE, AssetKind.VIDEO)):
        return ""
    spec = "poster" if asset.kind == AssetKind.VIDEO else "web"
    try:
        path = reverse("media:asset-rendition", kwargs={"pk": asset.pk, "spec": spec})
    except NoReverseMatch:
        path = f"/library/{asset.pk}/r/{spec}/"
    return public_base_url() + path


def html_to_text(body: str) -> str:
    """The text of sanitised HTML: a paragraph per block, tags dropped, entities decoded."""
    marked = _BLOCK_END.sub("\n\n", body or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _cut_text(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, paragraphs kept, the last one cut between
    words."""
    out: list[str] = []
    used = 0
    for paragraph in text.split("\n\n"):
        room = limit - used - (2 if out else 0)
        if room <= 1:
            break
        if len(paragraph) <= room:
            out.append(paragraph)
            used += len(paragraph) + (2 if len(out) > 1 else 0)
            continue
        out.append(shorten(paragraph, room))
        break
    return "\n\n".join(p for p in out if p)


def hashtag(name: str) -> str:
    """ "chuyển đổi số" → "#ChuyenDoiSo": folded, words capitalised, joined."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""


def hashtags_of(item) -> str:
    tags = list(ALWAYS_HASHTAGS)
    for tag in item.tags.all():
        made = hashtag(tag.name)
        if made and made.lower() not in {t.lower() for t in tags}:
            tags.append(made)
    return " ".join(tags[:HASHTAGS_MAX])


def _ready(asset, kinds) -> bool:
    return asset is not None and asset.kind in kinds and asset.status == AssetStatus.READY


def item_video(item, revision):
    """The video the item carries: its cover when a video, else the first video of the revision's
    assets."""
    if _ready(item.cover, (AssetKind.VIDEO,)):
        return item.cover
    return next(
        (a for a in revision.assets.all() if _ready(a, (AssetKind.VIDEO,))),
        None,
    )


def item_picture(item):
    """The cover picture (an image, or a video's poster frame served by the library)."""
    return item.cover if _ready(item.cover, (AssetKind.IMAGE, AssetKind.VIDEO)) else None


def compose(item, platform: str, overrides: dict | None = None) -> Composed:
    """The item's live revision (its latest when not yet live: a scheduled item) adapted to
    ``platform``. ``overrides`` may hold the editor's own ``text`` / ``title`` for it."""
    overrides = overrides or {}
    revision = item.live_revision or item.latest_revision
    title = " ".join((overrides.get("title") or revision.title).split())
    summary = " ".join((revision.summary or "").split())
    body_text = html_to_text(revision.body)
    lead = overrides.get("text") or "\n\n".join(p for p in (summary, body_text) if p)
    link = item_link(item)
    tags = hashtags_of(item)
    problem = ""
    if platform == Platform.FACEBOOK:
        tail = f"\n\n{link}\n{tags}"
        text = _cut_text(f"{title}\n\n{lead}", FACEBOOK_TEXT_MAX - len(tail)) + tail
        return Composed(platform, "", text, link, item_picture(item), tags)
    if platform == Platform.ZALO:
        description = shorten(summary or body_text, ZALO_DESCRIPTION_MAX)
        body = (revision.body or "")[:ZALO_BODY_MAX]
        return Composed(
            platform,
            shorten(title, ZALO_TITLE_MAX),
            overrides.get("text") or description,
            link,
            item_picture(item),
            tags,
            body=body,
        )
    video = item_video(item, revision)
    if video is None:
        problem = _("This channel takes videos only, and the item carries none.")
    if platform == Platform.YOUTUBE:
        tail = f"\n\n{link}\n{tags}"
        text = _cut_text(lead, YOUTUBE_DESCRIPTION_MAX - len(tail)) + tail
        return Composed(
            platform, shorten(title, YOUTUBE_TITLE_MAX), text, link, video, tags, problem=problem
        )
    # TikTok: a caption with the title and the hashtags.
    tail = f"\n{tags}"
    text = _cut_text(f"{title}\n\n{lead}", TIKTOK_CAPTION_MAX - len(tail)) + tail
    return Composed(platform, "", text, link, video, tags, problem=problem)
