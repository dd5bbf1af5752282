"""Restoring diacritics: candidates for every word, then the best sentence (second-order
Viterbi over a syllable trigram model with stupid backoff, plus the OCR channel's scores).

All look-ups of a text are done at once with numpy (``searchsorted`` over the sorted n-gram
keys); the Viterbi recursion runs over small arrays, position by position.
"""

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from lantoa.core.text import fold

from . import tokens as T

DATA = Path(__file__).resolve().parent / "data" / "restorer.npz"

# Tuned on the held-out OCR pairs (bench/restore.py --tune, see the report in the commit).
MAX_CANDIDATES = 12
KEEP_LP = -12.0  # an unknown word kept as it is
FALLBACK_LP = -6.0  # a syllable reached by skeleton only (form not in the OCR index)
FOLDED_LP = 0.0  # in folded text, every syllable with the same folding is as likely
CHANNEL_WEIGHT = 1.0
IDENTITY_LP = -3.0  # a syllable read with its marks, kept unless the context says otherwise: -12..-1 all scored 0.9892 on the held-out dev half (English OCR never writes đ); -3 keeps clean words in mixed text
CHANNEL_BEAM = 12.0  # candidates this far below the best reading are dropped; 8 lost 0.004 on the held-out dev half


class Model:
    def __init__(self, path: Path = DATA):
        z = np.load(path, allow_pickle=False)
        self.vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.V = len(self.vocab)
        self.uni, self.uni_gamma = z["uni"].astype(np.float64)
        self.bi_keys, self.bi_lp = z["bi_keys"], z["bi_lp"].astype(np.float64)
        self.bi_gamma = z["bi_gamma"].astype(np.float64)
        self.tri_keys, self.tri_lp = z["tri_keys"], z["tri_lp"].astype(np.float64)
        self.bi_hash, self.tri_hash = IntHash(self.bi_keys), IntHash(self.tri_keys)
        forms = bytes(z["forms"]).decode("utf-8").split("\n")
        self.form_index = {f: k for k, f in enumerate(forms)}
        self.form_offsets = z["form_offsets"]
        self.form_cand = z["form_cand"]
        self.form_lp = z["form_lp"].astype(np.float64)
        self.syllable_ids = z["syllable_ids"]
        self.syllables = frozenset(self.vocab[i] for i in self.syllable_ids)
        # words of the corpus (seen twice or more): what clean text is made of
        self.known = frozenset(self.vocab[i] for i in z["known_ids"])
        self.by_fold = {}
        for i in self.syllable_ids.tolist():
            self.by_fold.setdefault(fold(self.vocab[i]), []).append(i)
        conf = json.loads(bytes(z["confusions"]).decode("utf-8"))
        # the most likely clean base letter of an OCR'd character ("6" → "o")
        best = {}
        for ch, chunk, p in conf:
            if len(chunk) == 1:
                base = fold(ch)
                if p > best.get(chunk, ("", 0.0))[1]:
                    best[chunk] = (base, p)
        self.skeleton_map = {k: v[0] for k, v in best.items()}
        self.conf = {}
        for ch, chunk, p in conf:
            self.conf.setdefault(ch, {})[chunk] = math.log(p)
        # folded syllables by their deletion neighbourhood (SymSpell), for unseen OCR'd forms
        self.by_deletes = {}
        for f in self.by_fold:
            for d in _deletes(f, 2 if len(f) >= 4 else 1):
                self.by_deletes.setdefault(d, set()).add(f)
        self.codes = json.loads(bytes(z["codes"]).decode("utf-8"))
        self.bos, self.eos = self.index[T.BOS], self.index[T.EOS]
        self.unk, self.num = self.index[T.UNK], self.index[T.NUM]
        self.candidates = lru_cache(maxsize=200_000)(self._candidates)

    # ---------------------------------------------------------------- candidates
    def _candidates(
        self, core: str, folded_mode: bool, caps: bool = False
    ) -> tuple[tuple[int, ...], tuple[float, ...]]:
        """(LM ids, channel log-probs) for a word core (lower case). An id of -1 is the core
        kept as it is. A word in capitals (``caps``) is only given the syllables it folds to:
        "VP" or "UBND" are abbreviations, not OCR slips."""
        low = core.lower()
        scores: dict[int, float] = {}
        if caps or (folded_mode and low.isascii()):
            for sid in self.by_fold.get(fold(low), ()):
                scores[sid] = FOLDED_LP
            if caps and not scores:
                return (-1,), (0.0,)
        k = self.form_index.get(low)
        if k is not None and not scores:
            a, b = self.form_offsets[k], self.form_offsets[k + 1]
            for sid, lp in zip(
                self.form_cand[a:b].tolist(), self.form_lp[a:b].tolist(), strict=True
            ):
                scores[sid] = CHANNEL_WEIGHT * lp
        if not scores:
            scores = self._unseen_form(low)
        own = self.index.get(low)
        if low in self.syllables and T.has_marks(low):
            # a syllable read with its marks is most likely right as it is
            scores[own] = max(scores.get(own, KEEP_LP), IDENTITY_LP)
        elif own is not None and own in scores:
            pass
        elif low in self.syllables:
            scores.setdefault(own, KEEP_LP)
        else:
            scores[-1] = KEEP_LP
        ranked = sorted(
            scores.items(),
            key=lambda kv: (
                -(kv[1] + (self.uni[kv[0]] if kv[0] >= 0 else self.uni[self.unk])),
                kv[0],
            ),
        )
        top = max(v for _, v in ranked)
        ranked = [kv for kv in ranked[:MAX_CANDIDATES] if kv[1] >= top - CHANNEL_BEAM]
        return tuple(s for s, _ in ranked), tuple(v for _, v in ranked)

    def _unseen_form(self, low: str) -> dict[int, float]:
        """Candidates for an OCR'd form the index does not hold: syllables whose folding is
        within two deletions of the form's skeleton, scored by aligning the form to them
        with the learnt confusions."""
        skel = "".join(self.skeleton_map.get(ch, fold(ch)) for ch in low)
        skel = "".join(ch for ch in skel if ch.isalpha() and ch.isascii())
        if not skel:
            return {}
        folds = set()
        for d in _deletes(skel, 2 if len(skel) >= 4 else 1):
            folds |= self.by_deletes.get(d, set())
        scored = {}
        for f in sorted(folds):
            for sid in self.by_fold[f]:
                cost = _align_cost(self.vocab[sid], low, self.conf)
                if cost is not None:
                    scored[sid] = FALLBACK_LP - cost
        best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        return dict(best)

    def restore_code(self, core: str) -> str:
        """A code's letters as the corpus writes them ("176/2026/ND-CP" → "176/2026/NĐ-CP")."""
        return T.RUN.sub(lambda m: self.codes.get(m.group(0), m.group(0)), core)

    # ---------------------------------------------------------------- decoding
    def _lm(self, a, b, c, ab=None, bc=None):
        """log P(c | a b), interpolated Kneser-Ney (build.kneser_ney), for arrays of ids.
        ``ab`` and ``bc``: the bigram table's index of each (a b) and (b c), or -1, when the
        caller looked them up already."""
        V = self.V
        i3 = self.tri_hash.find((a * V + b) * V + c)
        if ab is None:
            ab = self.bi_hash.find(a * V + b)
            bc = self.bi_hash.find(b * V + c)
        gamma = np.where(ab >= 0, self.bi_gamma[ab], 0.0)
        lower = np.where(bc >= 0, self.bi_lp[bc], self.uni_gamma[b] + self.uni[c])
        return np.where(i3 >= 0, self.tri_lp[i3], gamma + lower)

    def decode(self, positions):
        return self.decode_many([positions])[0]

    def decode_many(self, lines):
        """``lines``: for each line, a list of (ids, channel scores) per token; returns the
        chosen index at every position of every line. The n-gram look-ups of all lines are
        done in one numpy pass."""
        unk, bos, eos = self.unk, self.bos, self.eos
        ctx_all, firsts, plans = [], [], []
        for positions in lines:
            g = len(ctx_all)
            ctx_all.append((bos,))
            ctx_all.append((bos,))
            ctx_all.extend(tuple(unk if i < 0 else i for i in p[0]) for p in positions)
            ctx_all.append((eos,))
            firsts.extend(range(g, g + len(positions) + 1))
        if not firsts:
            return [[] for _ in lines]
        lens = np.fromiter(map(len, ctx_all), dtype=np.int64, count=len(ctx_all))
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        flat = np.fromiter((i for c in ctx_all for i in c), dtype=np.int64, count=int(lens.sum()))
        tx = np.asarray(firsts, dtype=np.int64)
        kx, ky, kz = lens[tx], lens[tx + 1], lens[tx + 2]
        size = kx * ky * kz
        offs = np.concatenate([[0], np.cumsum(size)[:-1]])
        rep = np.repeat(np.arange(len(tx)), size)
        i = np.arange(int(size.sum())) - offs[rep]
        kz_r, kyz = kz[rep], (ky * kz)[rep]
        # the bigrams of every two neighbouring tokens, looked up once (a triple's (a b) and
        # (b c) are among them): far fewer than the triples
        ky_r = ky[rep]
        ia, ib, ic = i // kyz, (i // kz_r) % ky_r, i % kz_r
        n_ctx = len(ctx_all)
        pl, pr = lens[:-1], lens[1:]
        psize = pl * pr
        poff = np.concatenate([[0], np.cumsum(psize)[:-1]])
        prep = np.repeat(np.arange(n_ctx - 1), psize)
        pi = np.arange(int(psize.sum())) - poff[prep]
        left = flat[starts[prep] + pi // pr[prep]]
        right = flat[starts[prep + 1] + pi % pr[prep]]
        pair = self.bi_hash.find(left * self.V + right)
        lm = self._lm(
            flat[starts[tx][rep] + ia],
            flat[starts[tx + 1][rep] + ib],
            flat[starts[tx + 2][rep] + ic],
            ab=pair[poff[tx][rep] + ia * ky_r + ib],
            bc=pair[poff[tx + 1][rep] + ib * kz_r + ic],
        )
        shapes_all = list(zip(kx.tolist(), ky.tolist(), kz.tolist(), strict=True))
        k = 0
        for positions in lines:
            plans.append(shapes_all[k : k + len(positions) + 1])
            k += len(positions) + 1
        out, off = [], 0
        for positions, shapes in zip(lines, plans, strict=True):
            n = len(positions)
            delta = np.zeros((1, 1))
            backs = []
            for t in range(n + 1):
                kx, ky, kz = shapes[t]
                size = kx * ky * kz
                block = lm[off : off + size].reshape(kx, ky, kz)
                off += size
                tot = delta[:, :, None] + block
                if t < n:
                    tot = tot + np.asarray(positions[t][1])[None, None, :]
                if kx == 1:
                    backs.append(None)
                    delta = tot[0]
                else:
                    arg = tot.argmax(axis=0)
                    backs.append(arg)
                    delta = tot.max(axis=0)
            cur_b, cur_c = int(delta[:, 0].argmax()), 0
            path = [cur_b]
            for t in range(n, 0, -1):
                a = 0 if backs[t] is None else int(backs[t][cur_b, cur_c])
                path.append(a)
                cur_b, cur_c = a, cur_b
            out.append(path[::-1][1:])
        return out


class IntHash:
    """An open-addressing hash table over int64 keys, built and probed with numpy: the index
    of each query key in ``keys``, or -1. Faster than a binary search over millions of
    random look-ups (one probe or two instead of twenty cache misses)."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys):
        self.keys = keys
        bits = max(4, int(len(keys) * 3).bit_length())
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        table = np.full(self.mask + 1, -1, dtype=np.int64)
        pos = self._slot(keys)
        pending = np.arange(len(keys))
        while pending.size:
            at = pos[pending]
            free = table[at] == -1
            idx, at = pending[free], at[free]
            slots, first = np.unique(at, return_index=True)
            table[slots] = idx[first]
            placed = np.zeros(len(keys), dtype=bool)
            placed[idx[first]] = True
            pending = pending[~placed[pending]]
            pos[pending] = (pos[pending] + 1) & self.mask
        self.table = table

    def _slot(self, keys):
        with np.errstate(over="ignore"):
            h = np.ascontiguousarray(keys, dtype=np.int64).view(np.uint64) * self._MULT
        return (h >> self.shift).view(np.int64)

    def find(self, query):
        out = np.full(len(query), -1, dtype=np.int64)
        pos = self._slot(query)
        active = np.arange(len(query))
        while active.size:
            t = self.table[pos[active]]
            empty = t < 0
            hit = ~empty & (self.keys[np.maximum(t, 0)] == query[active])
            out[active[hit]] = t[hit]
            active = active[~(hit | empty)]
            pos[active] = (pos[active] + 1) & self.mask
        return out


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


UNSEEN_CHUNK = -14.0


def _align_cost(clean: str, noisy: str, conf) -> float | None:
    """Minus the log-probability of the best way the OCR reads ``clean`` as ``noisy``: each
    character of ``clean`` read as nothing, one or two characters (``conf``)."""
    n, m = len(clean), len(noisy)
    if m > 2 * n + 2:
        return None
    inf = float("inf")
    prev = [0.0] + [inf] * m
    for i in range(1, n + 1):
        row = conf.get(clean[i - 1], {})
        cur = [inf] * (m + 1)
        for j in range(m + 1):
            best = prev[j] - row.get("", UNSEEN_CHUNK)
            if j >= 1 and prev[j - 1] < inf:
                v = prev[j - 1] - row.get(noisy[j - 1], UNSEEN_CHUNK)
                if v < best:
                    best = v
            if j >= 2 and prev[j - 2] < inf:
                v = prev[j - 2] - row.get(noisy[j - 2 : j], UNSEEN_CHUNK)
                if v < best:
                    best = v
            cur[j] = best
        prev = cur
    return prev[m] if prev[m] < 40 else None
