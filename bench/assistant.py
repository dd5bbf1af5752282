"""The Q&A assistant over a corpus of 10,000 passages, on PostgreSQL, in its own database.

The corpus: the seed plans indexed once per commune name (the plans' own place names replaced),
about 111 passages a copy, until 10,000 passages; built once and kept (embedding 10,000
passages takes minutes). Printed:
- ``assistant-index-passages-per-s``: indexing speed (cut + embed) on one copy of the seeds,
  without the embedding cache, and the estimate for 10,000 passages;
- ``assistant-p50-ms`` / ``assistant-p95-ms``: ``answering.reply`` per question, in process;
- ``bm25-baseline-p95-ms``: a plain BM25 over folded text (``bm25s``, same passages) answering
  the same questions, measured in the same run.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TARGET = 10_000
PLACES = ("Xuân Lập", "Bom Bo", "Lạng Sơn")


def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


def main() -> None:
    import json

    import bm25s
    from vietnam_provinces import Ward

    from lantoa.assistant import answering, embeddings
    from lantoa.assistant.index import build
    from lantoa.assistant.management.commands.assistant_index import unit_from
    from lantoa.assistant.models import Document, Passage
    from lantoa.assistant.passages import split
    from lantoa.assistant.services import document_index
    from lantoa.core.text import fold

    root = unit_from(None)
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]

    # Indexing speed without the embedding cache: cut and embed one copy of the seeds.
    started = time.perf_counter()
    inputs = [f"{piece.section}. {piece.text}" for text in texts for piece in split(text)]
    embeddings.passages(inputs)
    rate = len(inputs) / (time.perf_counter() - started)
    print(f"assistant-index-passages-per-s: {rate:.1f}")
    print(f"assistant-index-10k-min-est: {TARGET / rate / 60:.1f}")

    bare = {re.sub(r"^(Xã|Phường|Đặc khu)\s+", "", w.name) for w in Ward.iter_all()}
    names = iter(sorted(bare - set(PLACES)))
    copy = 0
    started = time.perf_counter()
    while Passage.objects.count() < TARGET:
        name = next(names)
        for path, text in zip(seeds, texts, strict=True):
            for place in PLACES:
                text = text.replace(place, name)
            document_index(
                actor=None, unit=root, name=f"{copy:03d}-{path.name}", data=text.encode()
            )
        copy += 1
    if copy:
        print(
            f"# corpus built in {time.perf_counter() - started:.0f} s (unchanged passages reuse embeddings)"
        )
    corpus = build()
    print(f"# {len(corpus)} passages in {Document.objects.count()} documents")

    questions = [
        json.loads(line)["q"] for line in (SEEDS / "qa_dev.jsonl").read_text().splitlines()
    ]
    questions = (questions * 7)[:100]
    for q in questions[:3]:
        answering.reply(q, root, corpus)  # warm the embedding model
    ours = []
    for q in questions:
        began = time.perf_counter()
        answering.reply(q, root, corpus)
        ours.append((time.perf_counter() - began) * 1000)

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
    print(f"bm25-baseline-p50-ms: {statistics.median(baseline):.1f}")
    print(f"bm25-baseline-p95-ms: {_p(baseline, 95):.1f}")
