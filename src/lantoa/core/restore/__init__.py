"""Restoring Vietnamese diacritics to text OCR'd without a Vietnamese model or typed without
them: ``restore_text("Nghi quyét s6 57-NQ/TW ngay 22/12/2024 ctia Bo Chinh tri")`` is
"Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị".

``needs_restoring(text)`` says whether a text looks like that; clean text is never touched
(``restore_text`` returns a text that does not need restoring as it is). Numbers, document
codes, punctuation and white space are kept; each word keeps its case pattern. The model is
``data/restorer.npz``, built by ``lantoa build-restorer`` (see ``build.py``).
"""

import re
from functools import lru_cache

from . import tokens as T

# Tuned on clean held-out corpus paragraphs and held-out OCR pairs (bench/restore.py): below
# these shares a line is left alone.
UNMARKED_SHARE = 0.85  # share of words without any diacritic above which text looks folded
INVALID_SHARE = 0.2  # share of words that are no known syllable above which text looks OCR'd
MIN_WORDS_FOLDED = 3  # fewer words than this: too little to call a text folded


@lru_cache(maxsize=1)
def loaded_model():
    import os

    from .model import DATA, Model

    # LANTOA_RESTORER_DATA: another build of the model, for measuring (bench/restore.py)
    return Model(os.environ.get("LANTOA_RESTORER_DATA") or DATA)


def _words(text: str) -> list[str]:
    out = []
    for tok in text.split():
        _, core, _ = T.split_token(tok)
        if T.is_word(core) or T.is_noisy_word(core):
            out.append(core)
    return out


def needs_restoring(text: str) -> bool:
    """Whether ``text`` reads as Vietnamese without its diacritics or with OCR damage."""
    words = _words(text or "")
    if not words:
        return False
    known = loaded_model().known
    invalid = sum(1 for w in words if w.lower() not in known and not (w.isalpha() and _caps(w)))
    if invalid / len(words) > INVALID_SHARE:
        return True
    unmarked = sum(1 for w in words if not T.has_marks(w))
    return len(words) >= MIN_WORDS_FOLDED and unmarked / len(words) > UNMARKED_SHARE


def _caps(core: str) -> bool:
    letters = [ch for ch in core if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _symbol_word(core: str, m) -> bool:
    """A core of symbols that the OCR makes of a syllable ("&" for "ở")."""
    return not any(ch.isalnum() for ch in core) and core.lower() in m.form_index


def _cased(word: str, pattern: str) -> str:
    letters = [ch for ch in pattern if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def _prepare(line: str):
    m = loaded_model()
    folded_mode = not T.has_marks(line)
    parts = T.split_ws(line)
    positions = []
    pieces = []  # per part: fixed strings and (position, pattern) of its words

    def fixed(text):
        for ch in text:
            positions.append(((m.index.get(ch, m.unk),), (0.0,)))
        return text

    def word(core):
        positions.append(m.candidates(core.lower(), folded_mode, _caps(core)))
        return (len(positions) - 1, core)

    for k, part in enumerate(parts):
        if not part or part.isspace():
            continue
        if folded_mode:
            lead, core, trail = T.split_token(part)
        else:
            lead, core, trail = T.split_token_ocr(part)
            if not core and part.lower() in m.form_index:  # "&" read for "ở"
                lead, core, trail = "", part, ""
        out = [fixed(lead)]
        if core:
            words = T.sub_words(core)
            if words:
                for n, w in enumerate(words):
                    if n:
                        out.append(fixed("/"))
                    out.append(word(w))
            elif T.ROMAN.match(core):  # "II.", "Il." (an OCR'd II): numbering, kept
                positions.append(((m.num,), (0.0,)))
                out.append(core)
            elif len(core) == 1 and trail[:1] == ")":  # "a)", "¢)" (an OCR'd "c)"): kept
                positions.append(((m.index.get(core.lower(), m.unk),), (0.0,)))
                out.append(core)
            elif T.is_word(core) or T.is_noisy_word(core) or _symbol_word(core, m):
                out.append(word(core))
            elif not folded_mode and len(core) == 1 and core in m.form_index:
                # a lone "6" may be "ở": the number or the syllables it may be read for
                ids, lps = m.candidates(core, False)
                positions.append(((m.num, *ids), (0.0, *lps)))
                out.append((len(positions) - 1, core))
            else:
                positions.append(((m.num,), (0.0,)))
                out.append(m.restore_code(core))
        out.append(fixed(trail))
        pieces.append((k, out))
    return parts, positions, pieces


def _finish(parts, positions, pieces, path) -> str:
    m = loaded_model()
    for k, out in pieces:
        text = []
        for piece in out:
            if isinstance(piece, str):
                text.append(piece)
                continue
            pos, core = piece
            choice = positions[pos][0][path[pos]]
            keep = choice < 0 or choice == m.num
            text.append(core if keep else _cased(m.vocab[choice], core))
        parts[k] = "".join(text)
    return "".join(parts)


def restore_line(line: str) -> str:
    prepared = _prepare(line)
    return _finish(*prepared, loaded_model().decode(prepared[1]))


def restore_text(text: str) -> str:
    """``text`` with diacritics restored, line by line, when it needs restoring as a whole;
    text that reads as clean Vietnamese (or holds no words) comes back unchanged."""
    if not text or not needs_restoring(text):
        return text
    lines = text.split("\n")
    # Lines run on into the next (a paragraph wrapped on the page): each block of lines with
    # words, up to a line without, is decoded as one sequence.
    blocks, block = [], []
    for k, line in enumerate(lines):
        if _words(line):
            block.append((k, _prepare(line)))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    paths = loaded_model().decode_many(
        [[pos for _, p in block for pos in p[1]] for block in blocks]
    )
    for block, path in zip(blocks, paths, strict=True):
        at = 0
        for k, p in block:
            lines[k] = _finish(*p, path[at : at + len(p[1])])
            at += len(p[1])
    return "\n".join(_list_letters(lines))


_MARKER = re.compile(r"^(\s*)([a-zđ])\)")


def _list_letters(lines: list[str]) -> list[str]:
    """Lists run a) b) c) d) đ) e): a second "d)" after "d)" was an "đ)" read without its bar."""
    last = ""
    for k, line in enumerate(lines):
        m = _MARKER.match(line)
        if not m:
            continue
        letter = m.group(2)
        if letter == "d" and last == "d":
            lines[k] = f"{m.group(1)}đ){line[m.end() :]}"
            letter = "đ"
        last = letter
    return lines
