"""Answering a question from the corpus: hybrid retrieval, a short answer taken from the best
passage, its citations, and a confidence under which the assistant says it does not know.

Retrieval adds BM25 (normalised by the best score) to the cosine similarity of the
multilingual embeddings (min-max normalised over the unit's passages). The answer is the
sentence of the best passage that holds most of the question's rarer words; nothing is
generated. Confidence is the share of the question's words (weighted by rarity) that the best
passage holds."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lantoa.orgs.models import OrgUnit

from . import embeddings
from .index import Corpus, current
from .passages import HEADING_IN_TEXT
from .text import query_words, sentences, terms, with_pairs

BM25_WEIGHT = 0.5
DENSE_WEIGHT = 0.3
CANDIDATES = 5
# Confidence: the share of the question's words and word pairs (weighted by rarity) that the
# best passage holds, plus how much closer than unrelated text its embedding is. Below the
# threshold the assistant says it does not know. Calibrated on questions in and out of scope.
SIMILARITY_FLOOR = 0.80  # e5 puts unrelated Vietnamese texts at about this cosine
SIMILARITY_WEIGHT = 2.0
KNOWN = 0.30
MIN_WORDS = 2  # "xin chào" is not a question to answer from documents
ANSWER_MAX = 400


@dataclass
class Hit:
    index: int
    score: float
    coverage: float = 0.0
    similarity: float = 0.0  # cosine of the question and passage embeddings
    confidence: float = 0.0


@dataclass
class Reply:
    question: str
    answer: str | None
    citations: list[dict] = field(default_factory=list)
    confidence: float = 0.0
    ms: float = 0.0

    @property
    def known(self) -> bool:
        return self.answer is not None


def _corrected(words: list[str], corpus: Corpus) -> tuple[list[str], set[str]]:
    """Replace a syllable the corpus does not know by its nearest known one (a typo); also
    returns the replacements, which count for less in the confidence."""
    out, guessed = [], set()
    for word in words:
        if word in corpus.vocabulary or word.isdigit() or len(word) < 3:
            out.append(word)
            continue
        found = process.extractOne(
            word, corpus.vocabulary, scorer=Levenshtein.distance, score_cutoff=1
        )
        out.append(found[0] if found else word)
        if found:
            guessed.add(found[0])
    return out, guessed


def _idf(corpus: Corpus, term: str) -> float:
    n = len(corpus)
    df = corpus.document_frequency.get(term, 0)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def coverage(
    corpus: Corpus, words: list[str], text_terms: set[str], guessed: set[str] = frozenset()
) -> float:
    """Share of the question's words, weighted by rarity, found in a text's terms (a word
    guessed from a typo counts half)."""
    weights = {w: _idf(corpus, w) for w in set(words)}
    total = sum(weights.values())
    if not total:
        return 0.0
    found = sum(
        weight * (0.5 if w in guessed else 1.0) for w, weight in weights.items() if w in text_terms
    )
    return found / total


def search(
    corpus: Corpus, question: str, unit: OrgUnit | None, k: int = CANDIDATES
) -> tuple[list[Hit], list[str]]:
    words, guessed = _corrected(query_words(question), corpus)
    if not len(corpus) or not words:
        return [], words
    mask = corpus.mask_for(unit)
    if not mask.any():
        return [], words
    lexical = np.asarray(corpus.bm25.get_scores(with_pairs(words)), dtype=np.float32)
    lexical = np.where(mask, lexical, 0.0)
    top = lexical.max()
    fused = BM25_WEIGHT * (lexical / top if top > 0 else lexical)
    dense = np.zeros(len(corpus), dtype=np.float32)
    if corpus.vectors is not None:
        dense = corpus.vectors @ embeddings.query(question)
        allowed = dense[mask]
        low, high = float(allowed.min()), float(allowed.max())
        if high > low:
            fused = fused + DENSE_WEIGHT * (dense - low) / (high - low)
    fused = np.where(mask, fused, -1.0)
    order = np.argsort(-fused)[:k]
    hits = [Hit(int(i), float(fused[i]), similarity=float(dense[i])) for i in order if fused[i] > 0]
    for hit in hits:
        passage_terms = set(
            terms(
                f"{corpus.titles[hit.index]}\n{corpus.sections[hit.index]}\n{corpus.texts[hit.index]}"
            )
        )
        hit.coverage = coverage(corpus, with_pairs(words), passage_terms, guessed)
        hit.confidence = hit.coverage + SIMILARITY_WEIGHT * (hit.similarity - SIMILARITY_FLOOR)
        if len(words) < MIN_WORDS:
            hit.confidence = 0.0
    return hits, words


def _answer_from(corpus: Corpus, hit: Hit, words: list[str]) -> str:
    """The sentence of the passage that holds most of the question's words (rarity-weighted;
    pairs of syllables count twice), with the next one when it is a short continuation."""
    pairs = set(with_pairs(words)) - set(words)
    text = corpus.texts[hit.index]
    lead, _newline, body = text.partition("\n")
    if not body or len(lead) > HEADING_IN_TEXT:
        lead, body = "", text
    parts = sentences(body)
    if not parts:
        return corpus.texts[hit.index]
    best, best_score = 0, -1.0
    for i, sentence in enumerate(parts):
        sentence_terms = set(terms(sentence))
        score = coverage(corpus, words, sentence_terms) + 0.5 * coverage(
            corpus, list(pairs), sentence_terms
        )
        if score > best_score:
            best, best_score = i, score
    answer = parts[best]
    following = iter(parts[best + 1 :])
    if answer.rstrip().endswith(":"):
        # "… gồm:" announces a list: the answer is the list.
        for item in following:
            if len(answer) + len(item) > ANSWER_MAX:
                break
            answer = f"{answer} {item}"
    elif len(answer) < 80:
        answer = f"{answer} {next(following, '')}".strip()
    return f"{lead.rstrip(' :.')}: {answer}" if lead else answer


def citation(corpus: Corpus, index: int) -> dict:
    return {
        "document": corpus.documents[index],
        "title": corpus.titles[index],
        "section": corpus.sections[index],
        "text": corpus.texts[index],
        "passage": corpus.ids[index],
    }


def reply(question: str, unit: OrgUnit | None = None, corpus: Corpus | None = None) -> Reply:
    started = time.perf_counter()
    corpus = corpus or current()
    hits, words = search(corpus, question, unit)
    result = Reply(question=question, answer=None)
    if hits:
        result.confidence = round(hits[0].confidence, 3)
        if hits[0].confidence >= KNOWN:
            result.answer = _answer_from(corpus, hits[0], words)
            result.citations = [citation(corpus, hit.index) for hit in hits]
        elif hits[0].confidence >= KNOWN / 2:
            # Not sure enough to answer: the passages are offered as reading, not as an answer.
            result.citations = [citation(corpus, hit.index) for hit in hits]
    result.ms = round((time.perf_counter() - started) * 1000, 1)
    return result
