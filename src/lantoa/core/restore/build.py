"""Training the restorer: ``lantoa build-restorer --corpus ../shared/corpora/laws``.

Two parts, both written into one numpy file (no pickled objects):
- a language model of syllables and punctuation: trigrams and bigrams seen at least
  ``MIN_COUNT`` times, with stupid backoff, over the training files of the corpus;
- the OCR's confusions: for every character of a syllable, the strings Tesseract's English model
  reads for it (``ố`` → ``6``, ``é``, ``o``…), learnt by aligning real OCR output to the clean
  text (``training/ocr_pairs.jsonl.gz``, see ``ocrpairs.py``), then turned into an index from
  each likely OCR'd form of each known syllable to the syllables it may be.
Deterministic: sorted inputs, no randomness, numpy's stable sorts.
"""

import gzip
import json
import math
from collections import Counter, defaultdict

import numpy as np

from lantoa.core.text import fold

from . import tokens as T
from .corpus import paragraphs

# n-grams seen fewer times are dropped. Keeping the trigrams seen once (1 rather than 2) gained
# 0.0003 syllable accuracy on the held-out dev half (OCR and folded, bench/restore.py) for
# 3.0 MB instead of 1.9 MB; bigrams are all kept (their Kneser-Ney counts are continuation
# counts, 1 for many frequent pairs).
MIN_COUNT = 1
MIN_COUNT3 = 1
MIN_KNOWN = 2  # a word seen this often is a real word: text made of them needs no restoring
MIN_SYLLABLE = 3  # a syllable is a candidate for restoring once seen this often
SPECIALS = [T.BOS, T.EOS, T.UNK, T.NUM]
CHUNK_MIN_P = 0.003  # an OCR reading of a character below this probability is not generated
FORM_BEAM = 60  # OCR'd forms kept per syllable
FORM_MIN_LOGP = -11.0
EM_ROUNDS = 3
FOLDED_SHARE = 0.1  # a corpus paragraph with fewer marked words than this is folded text
UNMARKED_SIBLING = (
    0.002  # "dieu" is no candidate beside "điều" (folded slips of the corpus); "tai", "tu" are
)
CODE_MIN, CODE_SHARE = 5, 0.9  # a code's letters are restored when written one way 90 % of the time


def _folded_paragraph(toks):
    """A paragraph of the corpus typed without diacritics (a few sources have some): not
    Vietnamese to learn from."""
    words = [t for t in toks if t.isalpha()]
    return len(words) >= 5 and sum(map(T.has_marks, words)) < FOLDED_SHARE * len(words)


def count_codes(files):
    """How the letter runs of codes are written ("ND" → "NĐ" when the corpus writes "NĐ-CP"
    nearly always): {folded run: run}."""
    runs = defaultdict(Counter)
    for path in files:
        for para in paragraphs(path):
            for tok in para.split():
                _, core, _ = T.split_token(tok)
                if core and not core.isalpha() and not T.sub_words(core):
                    for run in T.code_runs(core):
                        key = fold(run) if run.islower() else _fold_case(run)
                        runs[key][run] += 1
    out = {}
    for key, cnt in sorted(runs.items()):
        form, n = max(cnt.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(cnt.values())
        if form != key and total >= CODE_MIN and n >= CODE_SHARE * total:
            out[key] = form
    return out


def _fold_case(run):
    return "".join(fold(ch).upper() if ch.isupper() else fold(ch) for ch in run)


def count_lm(files):
    seqs = []
    counts = Counter()
    for path in files:
        for para in paragraphs(path):
            toks = T.lm_tokens(para)
            if toks and not _folded_paragraph(toks):
                seqs.append(toks)
                counts.update(toks)
    words = sorted(
        (t for t, c in counts.items() if c >= MIN_COUNT and t not in SPECIALS),
        key=lambda t: (-counts[t], t),
    )
    vocab = SPECIALS + words
    index = {t: i for i, t in enumerate(vocab)}
    bos, eos, unk = index[T.BOS], index[T.EOS], index[T.UNK]
    ids = []
    for toks in seqs:
        ids.extend((bos, bos))
        ids.extend(index.get(t, unk) for t in toks)
        ids.append(eos)
    arr = np.asarray(ids, dtype=np.int64)
    return vocab, counts, *kneser_ney(arr, len(vocab), bos)


def kneser_ney(arr, V, bos):
    """Interpolated Kneser-Ney trigram model (one discount per order) over the id stream.

    Returns (unigram log-probs, (bigram keys, log P(c|b), log backoff weight of b c as a
    context), (trigram keys, log P(c|a b))). Unseen: P(c|a b) = γ(a b) · P(c|b) and
    P(c|b) = γ(b) · P_cont(c), γ(b) in the unigram array's companion."""
    a, b, c = arr[:-2], arr[1:-1], arr[2:]
    keep = c != bos
    k3, n3 = np.unique(((a * V + b) * V + c)[keep], return_counts=True)
    n3 = n3.astype(np.float64)
    d3 = _discount(n3)
    ctx3, inv3 = np.unique(k3 // V, return_inverse=True)  # contexts a b
    ctx3_total = np.bincount(inv3, weights=n3)
    ctx3_types = np.bincount(inv3).astype(np.float64)
    # bigram level: continuation counts N1+(· b c)
    k2, n2c = np.unique(k3 % (V * V), return_counts=True)
    n2c = n2c.astype(np.float64)
    d2 = _discount(n2c)
    ctx2, inv2 = np.unique(k2 // V, return_inverse=True)  # b
    ctx2_total = np.zeros(V)
    ctx2_types = np.zeros(V)
    np.add.at(ctx2_total, ctx2[inv2], n2c)
    np.add.at(ctx2_types, ctx2[inv2], 1.0)
    # unigram level: continuation N1+(· c) over bigram types
    n1c = np.bincount(k2 % V, minlength=V).astype(np.float64)
    p1 = (n1c + 0.5) / (n1c.sum() + 0.5 * V)
    gamma1 = np.where(ctx2_total > 0, d2 * ctx2_types / np.maximum(ctx2_total, 1), 1.0)
    p2 = np.maximum(n2c - d2, 0) / ctx2_total[k2 // V] + gamma1[k2 // V] * p1[k2 % V]
    # trigram level
    gamma2_ctx = d3 * ctx3_types / ctx3_total  # per context a b
    lower = _lookup(k2, p2, k3 % (V * V), fallback=gamma1[(k3 // V) % V] * p1[k3 % V])
    p3 = np.maximum(n3 - d3, 0) / ctx3_total[inv3] + gamma2_ctx[inv3] * lower
    keep3 = n3 >= MIN_COUNT3
    # a bigram key b c also carries γ of the context (b c) for trigrams after it
    g2 = _lookup(ctx3, gamma2_ctx, k2, fallback=np.ones(len(k2)))
    keep2 = n2c >= MIN_COUNT
    # contexts (b c) whose bigram is pruned lose their γ: their trigrams back off with γ=1
    uni = np.log(p1)
    return (
        np.stack([uni, np.log(gamma1)]),
        (k2[keep2], np.log(p2[keep2]), np.log(g2[keep2])),
        (k3[keep3], np.log(p3[keep3])),
    )


def _discount(n):
    n1, n2 = float((n == 1).sum()), float((n == 2).sum())
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.75


def _lookup(keys, values, query, fallback):
    i = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[i] == query, values[i], fallback)


# ---------------------------------------------------------------- the OCR's confusions
def _token_pairs(pairs_file, exclude_sources=frozenset()):
    out = []
    with gzip.open(pairs_file, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["source"] in exclude_sources:
                continue
            for clean, noisy in row["tokens"]:
                _, c, _ = T.split_token(clean)
                _, n, _ = T.split_token_ocr(noisy)
                if c.isalpha() and n and len(n) <= 12:
                    out.append((c.lower(), n.lower()))
    return out


def _initial_cost(ch, chunk):
    if len(chunk) == 1:
        if chunk == ch:
            return 0.2
        return 1.5 if fold(chunk) == fold(ch) else 4.0
    if not chunk:
        return 5.0
    return 4.5 if any(fold(x) == fold(ch) for x in chunk) else 6.0


def _align(clean, noisy, cost):
    n, m = len(clean), len(noisy)
    inf = float("inf")
    D = [[inf] * (m + 1) for _ in range(n + 1)]
    B = [[0] * (m + 1) for _ in range(n + 1)]
    D[0][0] = 0.0
    for i in range(1, n + 1):
        ch = clean[i - 1]
        for j in range(0, m + 1):
            best, arg = inf, 0
            for k in (0, 1, 2):
                if j - k < 0 or D[i - 1][j - k] == inf:
                    continue
                v = D[i - 1][j - k] + cost(ch, noisy[j - k : j])
                if v < best:
                    best, arg = v, k
            D[i][j], B[i][j] = best, arg
    if D[n][m] == inf:
        return None
    out, j = [], m
    for i in range(n, 0, -1):
        k = B[i][j]
        out.append((clean[i - 1], noisy[j - k : j]))
        j -= k
    return out[::-1]


def learn_confusions(token_pairs):
    """P(OCR'd chunk | clean character), by hard EM over the aligned token pairs."""
    weights = Counter(token_pairs)
    table = None
    for _ in range(EM_ROUNDS):
        if table is None:
            cost = _initial_cost
        else:

            def cost(ch, chunk, table=table):
                p = table.get(ch, {}).get(chunk)
                return -math.log(p) if p else 14.0

        counts = defaultdict(Counter)
        for (clean, noisy), w in sorted(weights.items()):
            path = _align(clean, noisy, cost)
            if path:
                for ch, chunk in path:
                    counts[ch][chunk] += w
        table = {}
        for ch, cnt in counts.items():
            total = sum(cnt.values()) + 1.0
            table[ch] = {chunk: n / total for chunk, n in cnt.items()}
    # every character reads as itself with some probability, even unseen in the pairs
    for ch, row in table.items():
        row.setdefault(ch, 0.5 / (sum(counts[ch].values()) + 1.0))
    return table


def ocr_forms(syllable, table):
    """The likely OCR'd forms of ``syllable`` with their log-probabilities (best path)."""
    beams = {"": 0.0}
    for ch in syllable:
        row = table.get(ch) or {ch: 1.0}
        opts = [(chunk, math.log(p)) for chunk, p in row.items() if p >= CHUNK_MIN_P]
        if not any(chunk == ch for chunk, _ in opts):
            opts.append((ch, math.log(row.get(ch, CHUNK_MIN_P))))
        nxt = {}
        for form, lp in beams.items():
            for chunk, clp in opts:
                f, v = form + chunk, lp + clp
                if v >= FORM_MIN_LOGP and v > nxt.get(f, -1e9):
                    nxt[f] = v
        beams = dict(sorted(nxt.items(), key=lambda kv: (-kv[1], kv[0]))[:FORM_BEAM])
    return beams


def build(corpus_files, pairs_file, out, exclude_sources=frozenset()):
    vocab, counts, p1, p2, p3 = count_lm(corpus_files)
    index = {t: i for i, t in enumerate(vocab)}
    syllables = [t for t in vocab[len(SPECIALS) :] if t.isalpha() and counts[t] >= MIN_SYLLABLE]
    marked = Counter()
    for t in syllables:
        if T.has_marks(t):
            marked[fold(t)] += counts[t]
    syllables = [
        t for t in syllables if T.has_marks(t) or counts[t] >= UNMARKED_SIBLING * marked[fold(t)]
    ]
    codes = count_codes(corpus_files)
    token_pairs = _token_pairs(pairs_file, exclude_sources)
    table = learn_confusions(token_pairs)
    forms = defaultdict(dict)
    for s in syllables:
        sid = index[s]
        for f, lp in ocr_forms(s, table).items():
            forms[f][sid] = max(lp, forms[f].get(sid, -1e9))
    # also what the pairs show directly, for confusions longer than one character
    for (clean, noisy), n in sorted(Counter(token_pairs).items()):
        sid = index.get(clean)
        if sid is None or counts.get(clean, 0) < MIN_SYLLABLE:
            continue
        lp = max(forms[noisy].get(sid, -1e9), -6.0 + math.log(n))
        forms[noisy][sid] = min(lp, -0.05)
    form_list = sorted(forms)
    offsets = [0]
    cand, cand_lp = [], []
    for f in form_list:
        items = sorted(forms[f].items(), key=lambda kv: (-kv[1], kv[0]))
        cand.extend(sid for sid, _ in items)
        cand_lp.extend(lp for _, lp in items)
        offsets.append(len(cand))
    chars = sorted(table)
    conf_rows = [(ch, chunk, p) for ch in chars for chunk, p in sorted(table[ch].items())]
    np.savez_compressed(
        out,
        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        syllable_ids=np.asarray([index[s] for s in syllables], dtype=np.int32),
        known_ids=np.asarray(
            [index[t] for t in vocab if t.isalpha() and counts[t] >= MIN_KNOWN], dtype=np.int32
        ),
        uni=p1.astype(np.float32),
        bi_keys=p2[0].astype(np.int64),
        bi_lp=p2[1].astype(np.float16),
        bi_gamma=p2[2].astype(np.float16),
        tri_keys=p3[0].astype(np.int64),
        tri_lp=p3[1].astype(np.float16),
        forms=np.frombuffer("\n".join(form_list).encode("utf-8"), dtype=np.uint8),
        form_offsets=np.asarray(offsets, dtype=np.int32),
        form_cand=np.asarray(cand, dtype=np.int32),
        form_lp=np.asarray(cand_lp, dtype=np.float16),
        codes=np.frombuffer(json.dumps(codes, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        confusions=np.frombuffer(
            json.dumps(conf_rows, ensure_ascii=False).encode("utf-8"), dtype=np.uint8
        ),
    )
    return {
        "vocab": len(vocab),
        "syllables": len(syllables),
        "bigrams": len(p2[0]),
        "trigrams": len(p3[0]),
        "forms": len(form_list),
        "codes": len(codes),
    }
