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
