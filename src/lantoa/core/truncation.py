"""Cutting a title to fit: at a word boundary, with an ellipsis, never inside a word.

Vietnamese words are syllables separated by spaces, so a cut at the last space before the limit
keeps every syllable whole with its diacritics ("Tuyên truyền về chuyển đổi số…", never
"Tuyên truyền về chuyể…"). Text is NFC-normalised first so a decomposed "ể" counts as one letter
and is never split from its marks.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def shorten(text: str | None, limit: int) -> str:
    """``text`` in at most ``limit`` characters, the ellipsis included, cut between words.

    A single word longer than the limit is cut inside it (there is no boundary to use)."""
    text = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]  # one more: a space right after the cut counts
    cut = room.rfind(" ")
    head = room[:cut] if cut > 0 else room[: limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:.-–—(") + ELLIPSIS
