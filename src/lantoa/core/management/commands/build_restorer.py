"""``lantoa build-restorer --corpus ../shared/corpora/laws``: train the diacritics restorer and
write ``core/restore/data/restorer.npz``.

``--make-ocr-pairs N`` first renders N pages of training paragraphs and reads them with
Tesseract's English model (``training/ocr_pairs.jsonl.gz``; a few seconds a page). ``--exclude``
(a JSON-lines file of pairs with a "source") leaves those sources out of training, so that they
can be scored as unseen; held-out files (``corpus.is_held_out``) are left out unless
``--all-files``. The shipped model is built with ``--all-files``; bench/restore.py scores the
build without the held-out files.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantoa.core.restore import build, corpus, ocrpairs
from lantoa.core.restore.model import DATA

PAIRS = Path(build.__file__).resolve().parent / "training" / "ocr_pairs.jsonl.gz"
PAIRS_SEED = 1


class Command(BaseCommand):
    requires_system_checks = []
    help = "Train the diacritics restorer from a folder of clean Vietnamese .txt files."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True)
        parser.add_argument("--out", default=str(DATA))
        parser.add_argument("--pairs", default=str(PAIRS))
        parser.add_argument("--make-ocr-pairs", type=int, default=0, metavar="PAGES")
        parser.add_argument("--exclude", default="")
        parser.add_argument("--all-files", action="store_true")

    def handle(self, *args, **opts):
        folder = Path(opts["corpus"])
        if not folder.is_dir():
            raise CommandError(f"No such folder: {folder}")
        exclude = set()
        if opts["exclude"]:
            with open(opts["exclude"], encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        exclude.add(json.loads(line)["source"].split("/")[-1])
        train, held = corpus.split(folder, exclude)
        if opts["all_files"]:
            train, held = sorted(train + held), []
        started = time.perf_counter()
        pairs = Path(opts["pairs"])
        if opts["make_ocr_pairs"]:
            ocrpairs.make_pairs(train, opts["make_ocr_pairs"], PAIRS_SEED, pairs)
        stats = build.build(train, pairs, Path(opts["out"]), exclude_sources=exclude)
        size = Path(opts["out"]).stat().st_size
        self.stdout.write(
            f"{len(train)} training files ({len(held)} left out); "
            + ", ".join(f"{k} {v}" for k, v in stats.items())
            + f"; {size / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s → {opts['out']}"
        )
