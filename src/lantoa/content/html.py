"""The body of an item: HTML typed in the editor, checked, then sanitised with nh3.

Two steps, in this order:

1. :func:`check_body` reads the HTML as it came (the standard library's parser, bounded) and
   **refuses** what is an attack or a mistake the editor cannot make: a ``<script>`` (or
   ``<iframe>``, ``<object>``, ``<embed>``, ``<style>``...), an event handler (``onerror=``,
   ``onclick=``...), a ``javascript:`` address, an image that is not from the library. The
   person is told why, in Vietnamese; nothing is saved. Silently cleaning a script away would
   hide an attempt (or a broken paste) from whoever reviews the item.
2. :func:`sanitise` keeps only the tags and attributes of an article (everything else is
   unwrapped: a ``<span>`` pasted from a word processor leaves its text), links with http,
   https, mailto or a relative address, ``rel="noopener"`` on each.

:func:`asset_ids` lists the library assets a (sanitised) body uses, for the usage records.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The longest body read: an article with tables is far below; a pasted document with inline
# images (refused anyway) is not.
MAX_BODY_CHARS = 400_000

TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags whose mere presence is refused: they run code or pull in another document.
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "svg",
    "math",
    "template",
}
# The library's addresses: a rendition (/library/12/r/web/) or the file (/library/12/file/).
LIBRARY_URL = re.compile(r"^/library/(?P<pk>[1-9][0-9]{0,17})/(?:r/[A-Za-z0-9_-]{1,16}|file)/$")
_SCRIPT_SCHEMES = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]+")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.script = False
        self.handler = False
        self.bad_image = False

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in DANGEROUS_TAGS:
            self.script = True
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            if name.startswith("on"):
                self.handler = True
            elif (
                name in {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}
                # Browsers ignore control characters and spaces inside a scheme ("java script:").
                and _SCRIPT_SCHEMES.match(_CONTROL.sub("", value))
                and not (tag == "img" and value.startswith("data:"))
            ):
                self.script = True
            if name == "style" and re.search(r"expression\s*\(|url\s*\(", value, re.I):
                self.script = True
        if tag == "img":
            src = {n.lower(): v or "" for n, v in attrs}.get("src", "")
            if not LIBRARY_URL.match(src.strip()):
                self.bad_image = True

    handle_startendtag = handle_starttag


def check_body(html: str) -> None:
    """Refuse a body with a script, an event handler or an image from outside the library."""
    if len(html or "") > MAX_BODY_CHARS:
        raise ValidationError(
            {"body": _("The text is too long: at most %(n)s characters.") % {"n": "400.000"}},
            code="too_long",
        )
    inspector = _Inspector()
    inspector.feed(html or "")
    inspector.close()
    if inspector.script:
        raise ValidationError(
            {
                "body": _(
                    "The text contains a script or embedded code: it was not saved. Remove it "
                    "(paste as plain text if it came from another website) and save again."
                )
            },
            code="script",
        )
    if inspector.handler:
        raise ValidationError(
            {
                "body": _(
                    "The text contains an event handler (an attribute such as onclick or "
                    "onerror): it was not saved. Remove it and save again."
                )
            },
            code="handler",
        )
    if inspector.bad_image:
        raise ValidationError(
            {
                "body": _(
                    "An image in the text does not come from the library: upload it to the "
                    "library and insert it from there."
                )
            },
            code="image",
        )


def _attribute_filter(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src":
        return value if LIBRARY_URL.match(value.strip()) else None
    if attribute in {"width", "height"}:
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute in {"colspan", "rowspan"}:
        return value if value.isdigit() and 0 < int(value) <= 50 else None
    return value


def sanitise(html: str) -> str:
    """The body as kept: only the tags and attributes of an article (call after
    :func:`check_body`)."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
    return cleaned.strip()


def clean_body(html: str) -> str:
    """Check, then sanitise: what every service saving a body calls."""
    check_body(html)
    return sanitise(html)


_LIBRARY_ATTR = re.compile(
    r"""(?:src|href)="(/library/([1-9][0-9]{0,17})/(?:r/[A-Za-z0-9_-]{1,16}|file)/)\"""",
)


def asset_ids(html: str) -> list[int]:
    """The library assets a sanitised body uses (its images and linked files), in order."""
    seen: list[int] = []
    for _url, pk in _LIBRARY_ATTR.findall(html or ""):
        number = int(pk)
        if number not in seen:
            seen.append(number)
    return seen


def plain_text(html: str) -> str:
    """The words of a body, for search and for the compare view."""
    parser = _TextParser()
    parser.feed(html or "")
    parser.close()
    return " ".join(" ".join(parser.parts).split())


class _TextParser(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "tr", "br", "hr", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)
