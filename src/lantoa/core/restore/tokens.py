"""How the restorer cuts text: white-space tokens, each split into leading punctuation, a core
and trailing punctuation. The same cut trains the language model and reads the input, so that
the model's context (commas, brackets, numbers) is the one it meets."""

import re
import unicodedata

LEAD = frozenset("([{\"'“‘«<*•–—_")
TRAIL = frozenset(")]}\"'”’».,;:!?…>*_/")
NUM = "<num>"
UNK = "<unk>"
BOS = "<s>"
EOS = "</s>"
_WS = re.compile(r"(\s+)")
# A core the OCR may have made of a syllable: letters with at most two digits or stray marks
# in it ("s6", "c6é", "cht¥a"), but not a code ("QH14", "57-NQ/TW", "22/12/2024").
_CODE_MARKS = frozenset("/-.,:_=+%#")
VIETNAMESE_EXTRA = frozenset("đĐ")


def split_token(tok: str) -> tuple[str, str, str]:
    i, j = 0, len(tok)
    while i < j and tok[i] in LEAD:
        i += 1
    while j > i and tok[j - 1] in TRAIL:
        j -= 1
    return tok[:i], tok[i:j], tok[j:]


OCR_MARKS = "?’'"  # the English model's reading of a hook or tilde it cannot place ("tt?" for "từ")


def split_token_ocr(tok: str) -> tuple[str, str, str]:
    """``split_token`` for OCR'd text: a "?" or "’" right after a word is part of it."""
    lead, core, trail = split_token(tok)
    if core and trail and trail[0] in OCR_MARKS:
        k = 1
        while k < len(trail) and trail[k] in OCR_MARKS:
            k += 1
        core, trail = core + trail[:k], trail[k:]
    return lead, core, trail


def is_word(core: str) -> bool:
    return core.isalpha()


def is_noisy_word(core: str) -> bool:
    """A core that is not letters only but may be a syllable the OCR damaged."""
    if not core or core.isalpha() or len(core) > 9:
        return False
    letters = sum(ch.isalpha() for ch in core)
    digits = sum(ch.isdigit() for ch in core)
    if letters == 0 or digits > 2 or letters < len(core) / 2:
        return False
    if any(ch in _CODE_MARKS for ch in core):
        return False
    upper = sum(ch.isupper() for ch in core)
    return not (digits and upper >= 2)  # QH14, ND15: codes


ROMAN = re.compile(r"^[IVXL][IVXLl1|]{0,4}$")
RUN = re.compile(r"[^\W\d_]+")


def code_runs(core: str) -> list[str]:
    """The letter runs of a code ("NĐ" and "CP" in "176/2026/NĐ-CP")."""
    return RUN.findall(core)


def sub_words(core: str) -> list[str] | None:
    """The words of a core made of words joined by "/" ("đồng/kế"), or None."""
    if "/" not in core:
        return None
    parts = core.split("/")
    if all(p.isalpha() and p.islower() for p in parts):
        return parts
    return None


def lm_tokens(paragraph: str) -> list[str]:
    """The language model's tokens of a clean paragraph: lower-cased syllables, punctuation
    marks one by one, ``<num>`` for numbers and codes."""
    out = []
    for tok in paragraph.split():
        lead, core, trail = split_token(tok)
        out.extend(lead)
        if core:
            words = sub_words(core)
            if words:
                for k, w in enumerate(words):
                    if k:
                        out.append("/")
                    out.append(w)
            else:
                out.append(core.lower() if core.isalpha() else NUM)
        out.extend(trail)
    return out


def has_marks(text: str) -> bool:
    """Whether ``text`` holds a letter with a diacritic (or đ)."""
    for ch in text:
        if ord(ch) > 127 and ch.isalpha():
            if ch in VIETNAMESE_EXTRA:
                return True
            if len(unicodedata.normalize("NFD", ch)) > 1:
                return True
    return False


def split_ws(text: str) -> list[str]:
    return _WS.split(text)
