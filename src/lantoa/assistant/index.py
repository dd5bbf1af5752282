"""The in-memory search index of the whole corpus: BM25 over folded syllables and syllable
pairs (``bm25s``), and the passages' stored embeddings as one matrix. Built from the database
once per process and rebuilt when the corpus changes; a unit's assistant searches the passages
of its own documents and its ancestors' (a mask over the whole index)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import bm25s
import numpy as np
from django.db.models import Count, Max

from lantoa.orgs.models import OrgUnit

from . import embeddings
from .choices import DocumentReview, DocumentStatus
from .models import Document, Passage
from .text import terms

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


@dataclass
class Corpus:
    version: tuple
    ids: list[int]
    paths: np.ndarray  # the unit path of each passage's document
    documents: list[str]  # name of each passage's document (for citations)
    titles: list[str]
    sections: list[str]
    texts: list[str]
    bm25: bm25s.BM25 | None
    vectors: np.ndarray | None  # (n, 384), rows of zeros where no embedding was stored
    vocabulary: frozenset[str]
    document_frequency: dict[str, int]
    # Per passage, the folded places of its document ("tan dinh", "ho chi minh") and its
    # document's number ("20/KH-UBND"); all the places the corpus knows.
    places: list[frozenset[str]] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    known_places: frozenset[str] = frozenset()
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    # Per-passage arrays computed once per index on first use (answering.feature).
    features: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def mask_for(self, unit: OrgUnit | None) -> np.ndarray:
        """Passages a unit's assistant may use: its documents and its ancestors'."""
        if unit is None:
            return np.ones(len(self), dtype=bool)
        if unit.path not in self.masks:
            self.masks[unit.path] = np.isin(self.paths, unit.chain_paths)
        return self.masks[unit.path]


def passage_terms(title: str, section: str, text: str) -> list[str]:
    """What a passage is found by: its text, its section headings and its document's title
    (a passage rarely repeats the name of the commune whose plan it belongs to)."""
    return terms(f"{title}\n{section}\n{text}")


def corpus_version() -> tuple:
    state = Passage.objects.aggregate(n=Count("pk"), last=Max("pk"))
    changed = Document.objects.aggregate(at=Max("updated_at"))["at"]
    return (state["n"], state["last"], changed)


def build(version: tuple | None = None) -> Corpus:
    rows = list(
        Passage.objects.filter(
            document__status=DocumentStatus.READY, document__review=DocumentReview.PUBLISHED
        )
        .order_by("pk")
        .values_list(
            "pk",
            "document__unit__path",
            "document__name",
            "document__title",
            "section",
            "text",
            "embedding",
            "document__places",
            "document__number",
        )
    )
    tokenized = [passage_terms(r[3], r[4], r[5]) for r in rows]
    bm25 = None
    frequency: dict[str, int] = {}
    if rows:
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(tokenized, show_progress=False)
        for tokens in tokenized:
            for token in set(tokens):
                frequency[token] = frequency.get(token, 0) + 1
    vectors = None
    if rows and any(r[6] is not None for r in rows):
        vectors = np.zeros((len(rows), embeddings.DIM), dtype=np.float32)
        for i, r in enumerate(rows):
            vector = embeddings.from_bytes(r[6])
            if vector is not None:
                vectors[i] = vector
    return Corpus(
        version=version if version is not None else corpus_version(),
        ids=[r[0] for r in rows],
        paths=np.array([r[1] for r in rows], dtype=object),
        documents=[r[2] for r in rows],
        titles=[r[3] for r in rows],
        sections=[r[4] for r in rows],
        texts=[r[5] for r in rows],
        bm25=bm25,
        vectors=vectors,
        vocabulary=frozenset(t for t in frequency if "_" not in t),
        document_frequency=frequency,
        places=[frozenset(p for p in (r[7] or "").split(",") if p) for r in rows],
        numbers=[r[8] or "" for r in rows],
        known_places=frozenset(p for r in rows for p in (r[7] or "").split(",") if p),
    )


_lock = threading.Lock()
_current: Corpus | None = None


def current() -> Corpus:
    """The index of the corpus as it is now in the database (rebuilt after any change)."""
    global _current
    version = corpus_version()
    with _lock:
        if _current is None or _current.version != version:
            _current = build(version)
        return _current


def forget() -> None:
    global _current
    with _lock:
        _current = None
