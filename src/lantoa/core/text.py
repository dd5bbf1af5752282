"""Vietnamese text folding: what lets people type without diacritics.

``fold("Đồng Nai")`` and ``fold("dong nai")`` are both ``"dong nai"``. Every search and match in
Lantoa compares folded text, so "d" finds "đ" and "xuan lap" finds "Xuân Lập".
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into a base letter and a mark.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "ø": "o"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ→d included) and collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_NO_DECOMPOSITION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.lower()).strip()


# Characters XML 1.0 (so .docx and .xlsx) cannot hold: C0 controls other than tab, line feed
# and carriage return, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF. A vertical
# tab or form feed (Word's manual line and page breaks, pasted) becomes a line break.
_UNPRINTABLE = dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32), 127, 65534, 65535))
_UNPRINTABLE.update({11: "\n", 12: "\n"})
_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text) -> str:
    """``text`` with what a .docx or .xlsx cannot hold taken out: for every text bound for a
    document or a sheet (a narrative typed with a pasted ``\\x0b`` used to break the export)."""
    if text is None:
        return ""
    return _SURROGATES.sub("", str(text).translate(_UNPRINTABLE))


FORMULA_STARTS = ("=", "+", "-", "@")


def csv_cell(value):
    """A value for a CSV cell a spreadsheet program will open: text made printable, and text
    starting with = + - @ (or a tab or carriage return) prefixed with "'" so that it is never
    taken for a formula (CSV has no cell types to say so)."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.startswith((*FORMULA_STARTS, "\t", "\r")) else value
