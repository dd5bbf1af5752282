"""The training corpus: which files train the restorer and which are held out.

A file is held out when the first byte of the SHA-1 of its name is below ``HOLDOUT_BELOW``
(about 10 % of the files): the model measured in ``bench/restore.py``'s held-out pairs never
saw them. Files named by the shared development pairs can be excluded too (``exclude``).
"""

import hashlib
import unicodedata
from pathlib import Path

HOLDOUT_BELOW = 26  # 26/256 ≈ 10 % of the files


def is_held_out(name: str) -> bool:
    return hashlib.sha1(name.encode("utf-8")).digest()[0] < HOLDOUT_BELOW  # noqa: S324


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.txt"))


def split(folder: Path, exclude: set[str] = frozenset()) -> tuple[list[Path], list[Path]]:
    """(training files, held-out files), both sorted by name; ``exclude`` (file names) are in
    neither list's training half: they go with the held-out files."""
    train, held = [], []
    for path in corpus_files(folder):
        (held if is_held_out(path.name) or path.name in exclude else train).append(path)
    return train, held


def paragraphs(path: Path) -> list[str]:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip(">").strip()
        if line:
            out.append(line)
    return out
