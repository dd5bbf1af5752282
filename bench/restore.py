"""The diacritics restorer: held-out scores and speed.

Scores (syllable accuracy, as ``../shared/tools/score_restore.py`` counts it) on corpus files
held out of training (``corpus.is_held_out``, ~10 %): the shipped model is trained on every
file, so the scores are those of the same build without the held-out files, rebuilt here
(``restore-rebuild-s``). Pairs: real English-model OCR of held-out paragraphs
(``core/restore/training/heldout_pairs.jsonl.gz``, made like the training pairs), the same kind
of paragraphs folded, each cut into a "dev" half (the constants were tuned on it) and a "test"
half (never looked at while tuning); and how many clean held-out paragraphs ``restore_text``
changes (should be none). Speed, with the shipped model: a 30-page plan of OCR'd text (~57,000
characters) restored cold, in seconds (wall and CPU: the machine is shared) and as a ratio
against the floor of splitting the same text into words (``str.split``).

Run alone with ``python bench/restore.py [--data build.npz] [--pairs other.jsonl.gz] [--show N]``;
``make bench`` runs it at the end (bench/run.py).
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import os
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "laws"
TRAINING = Path(__file__).resolve().parents[1] / "src/lantoa/core/restore/training"
PAGES_30 = 60_000  # characters in a 30-page plan (~2,000 a page)


def syls(text):
    return unicodedata.normalize("NFC", text).lower().split()


def accuracy(hyps, refs):
    n = ok = 0
    for h, r in zip(hyps, refs, strict=True):
        a, b = syls(r), syls(h)
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        ok += sum(i2 - i1 for op, i1, i2, _, _ in sm.get_opcodes() if op == "equal")
        n += len(a)
    return ok / max(n, 1)


def half(source: str) -> str:
    """Held-out pairs are cut in two by their source file: "dev" (constants were tuned on
    it) and "test" (never looked at while tuning)."""
    return "dev" if hashlib.sha1(source.encode()).digest()[1] % 2 == 0 else "test"  # noqa: S324


def folded(text):
    out = []
    for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")):
        if not unicodedata.combining(ch):
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def held_out_paragraphs(limit=400):
    from lantoa.core.restore import corpus

    _, held = corpus.split(CORPUS)
    out = []
    for path in held:
        paras = [
            p for p in corpus.paragraphs(path) if 40 <= len(p) <= 600 and not p.startswith("|")
        ]
        out.extend((p, path.name) for p in paras[:: max(1, len(paras) // 12)][:12])
    return out[:limit]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", help="score this build of the model instead of a held-out build")
    ap.add_argument("--pairs", default=str(TRAINING / "heldout_pairs.jsonl.gz"))
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--no-speed", action="store_true")
    a = ap.parse_args(argv)
    from lantoa.core import restore

    started = time.perf_counter()
    restore.loaded_model()  # the shipped model: speed is measured with it
    print(f"restore-load-s: {time.perf_counter() - started:.2f}")
    with tempfile.TemporaryDirectory(prefix="lantoa-restore-bench-") as tmp:
        if a.data:
            held_model = a.data
        else:
            # The shipped model is trained on every corpus file: the scores are those of the
            # same build without the held-out files, made here (the rebuild's time is printed).
            from lantoa.core.restore import build, corpus

            train, _ = corpus.split(CORPUS)
            held_model = str(Path(tmp) / "heldout.npz")
            started = time.perf_counter()
            build.build(train, TRAINING / "ocr_pairs.jsonl.gz", Path(held_model))
            print(f"restore-rebuild-s: {time.perf_counter() - started:.1f}  ({len(train)} files)")
        _run(a, restore, held_model)


def _run(a, restore, held_model):
    with gzip.open(a.pairs, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    ocr = [r["ocr"] for r in rows]
    refs = [r["clean"] for r in rows]
    halves = [half(r["source"]) for r in rows]
    if not a.no_speed:
        text = ""
        for r in rows:
            if len(text) >= PAGES_30:
                break
            text += r["ocr"] + "\n"
        started = time.perf_counter()
        text.split()
        floor = time.perf_counter() - started
        restore.loaded_model().candidates.cache_clear()
        started, cpu = time.perf_counter(), time.process_time()
        restore.restore_text(text)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        restore.restore_text(text)
        warm = time.perf_counter() - started
        print(f"restore-30p-chars: {len(text)}")
        print(f"restore-30p-s: {took:.2f}  (cold: every word's candidates looked up afresh)")
        print(f"restore-30p-cpu-s: {cpu:.2f}  (CPU time of this process: the machine is shared)")
        print(f"restore-30p-warm-s: {warm:.2f}  (the same text again: candidates cached)")
        print(f"restore-chars-per-s: {len(text) / took:.0f}")
        print(
            f"restore-30p-ratio: {took / max(floor, 1e-9):.0f}  (against str.split, {floor * 1000:.2f} ms)"
        )
    os.environ["LANTOA_RESTORER_DATA"] = held_model
    restore.loaded_model.cache_clear()
    hyps = [restore.restore_text(t) for t in ocr]
    print(
        f"restore-heldout-ocr-acc: {accuracy(hyps, refs):.3f}  (unchanged {accuracy(ocr, refs):.3f}, {len(rows)} pairs)"
    )
    for name in ("dev", "test"):
        pick = [i for i, h in enumerate(halves) if h == name]
        got = accuracy([hyps[i] for i in pick], [refs[i] for i in pick])
        print(f"restore-heldout-ocr-{name}-acc: {got:.3f}  ({len(pick)} pairs)")
    sources = held_out_paragraphs()
    paras = [p for p, _ in sources]
    fold_in = [folded(p) for p in paras]
    fold_out = [restore.restore_text(t) for t in fold_in]
    print(
        f"restore-heldout-folded-acc: {accuracy(fold_out, paras):.3f}  (unchanged {accuracy(fold_in, paras):.3f}, {len(paras)} paragraphs)"
    )
    for name in ("dev", "test"):
        pick = [i for i, (_, src) in enumerate(sources) if half(src) == name]
        got = accuracy([fold_out[i] for i in pick], [paras[i] for i in pick])
        print(f"restore-heldout-folded-{name}-acc: {got:.3f}  ({len(pick)} paragraphs)")
    changed = [p for p in paras if restore.restore_text(p) != p]
    print(f"restore-heldout-clean-changed: {len(changed)}/{len(paras)}")
    if a.show:
        worst = sorted(range(len(rows)), key=lambda i: accuracy([hyps[i]], [refs[i]]))[: a.show]
        for i in worst:
            print(f"--- ocr: {ocr[i]}\n    out: {hyps[i]}\n    ref: {refs[i]}")
        for p in changed[: a.show]:
            print(f"--- clean changed: {p}\n    to: {restore.restore_text(p)}")


if __name__ == "__main__":
    main()
