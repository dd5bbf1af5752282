"""Vietnamese text for retrieval: folded tokens, syllable pairs, abbreviations, sentences.

Vietnamese writes a word as one or more syllables separated by spaces ("chuyển đổi số"), so a
query matches better on syllable pairs than on single syllables; both are indexed. People type
without diacritics, with abbreviations ("cccd", "ubnd") and typos: everything is folded, the
usual abbreviations are indexed with their expansion, and an unknown query syllable is replaced
by the nearest one of the corpus (one edit away).
"""

from __future__ import annotations

import re

from lantoa.core.documents.layout import match_key

_WORD = re.compile(r"[0-9a-z]+")

# Abbreviations of administrative and programme texts, folded, with their folded expansion.
ABBREVIATIONS = {
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "nq": "nghi quyet",
    "qd": "quyet dinh",
    "kh": "ke hoach",
    "tw": "trung uong",
    "khcn": "khoa hoc cong nghe",
    "dmst": "doi moi sang tao",
    "cds": "chuyen doi so",
    "cntt": "cong nghe thong tin",
    "tthc": "thu tuc hanh chinh",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "mxh": "mang xa hoi",
    "ttg": "thu tuong",
    "bkhcn": "bo khoa hoc cong nghe",
    "skhcn": "so khoa hoc cong nghe",
    "cb": "can bo",
    "ccvc": "cong chuc vien chuc",
    "dn": "doanh nghiep",
    "tp": "thanh pho",
}

# Chat words that carry no meaning for retrieval (folded).
STOPWORDS = frozenset(
    [
        "a",
        "oi",
        "nhe",
        "vay",
        "gi",
        "nao",
        "sao",
        "ha",
        "khong",
        "ko",
        "k",
        "dc",
        "duoc",
        "minh",
        "toi",
        "em",
        "anh",
        "hoi",
        "xin",
        "voi",
        "la",
    ]
)


def syllables(text: str) -> list[str]:
    """Folded syllables (OCR confusions undone as the plan importer does), an abbreviation
    replaced by its expansion so that "NQ 57" and "Nghị quyết 57" read alike."""
    out: list[str] = []
    for word in _WORD.findall(match_key(text)):
        expansion = ABBREVIATIONS.get(word)
        out.extend(expansion.split() if expansion else (word,))
    return out


def with_pairs(words: list[str]) -> list[str]:
    """Syllables and adjacent syllable pairs: the word boundaries of Vietnamese, without a
    dictionary (a two-syllable word is found whole, its syllables alone score less)."""
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def terms(text: str) -> list[str]:
    return with_pairs(syllables(text))


def query_words(text: str) -> list[str]:
    return [w for w in syllables(text) if w not in STOPWORDS]


# A list item's dash starts a sentence after a sentence end, never inside a name ("Phòng Văn
# hóa - Xã hội").
_SENTENCE_END = re.compile(r"(?<=[.;!?:])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(\-–+•])|\n+")


def sentences(text: str) -> list[str]:
    """A passage's sentences and list items, each on one line."""
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(p) > 1]
