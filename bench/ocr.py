"""OCR of a scanned plan, per page, against ``tesseract`` alone on the same page image.

The scan: two A4 pages of the Xuân Lập seed drawn at 300 dpi, speckled and skewed
(tests/scans.py), in an image-only PDF. Printed:
- ``ocr-seconds-per-page``: ``read_document`` on the PDF (rasterise + read, pages in
  parallel), wall time divided by the pages; ``ocr-cpu-seconds-per-page``: the CPU its tools
  used (what a loaded machine makes you wait for);
- ``tesseract-alone-seconds-per-page``: ``tesseract IMAGE stdout -l vie --psm 4 tsv`` as
  installed (its default threads) on the page images, rasterised beforehand, one after the
  other, measured in the same run; ``ocr-ratio``: the first over this one;
- ``ocr-syllable-accuracy`` / ``ocr-character-accuracy``: what was read against the known text
  (and the same for tesseract alone);
- ``ocr-estimate-seconds-per-page``: what the upload page promises (reading.OCR_SECONDS_PER_PAGE).
Run alone with ``python bench/ocr.py`` or within ``make bench``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "lantoa" / "portal" / "demo" / "xuan-lap.txt"
PAGES = 2


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    from django.conf import settings

    sys.path.insert(0, str(ROOT))
    from lantoa.core.documents.reading import OCR_DPI, OCR_SECONDS_PER_PAGE, read_document
    from tests.scans import character_accuracy, page_lines, scanned_pdf, syllable_accuracy

    pages = page_lines(SEED.read_text(encoding="utf-8"))[:PAGES]
    truth = "\n".join("\n".join(lines) for lines in pages)
    pdf = scanned_pdf(pages)

    with tempfile.TemporaryDirectory(prefix="lantoa-bench-ocr-") as tmp:
        path = Path(tmp) / "scan.pdf"
        path.write_bytes(pdf)
        alone_text, alone_seconds = [], 0.0
        for number in range(1, PAGES + 1):
            prefix = Path(tmp) / f"p{number}"
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-r", str(OCR_DPI), "-gray", "-f", str(number), "-l", str(number)]
                + ["-singlefile", str(path), str(prefix)],
                check=True,
            )
            began = time.perf_counter()
            out = subprocess.run(  # noqa: S603
                ["tesseract", f"{prefix}.pgm", "stdout", "-l", settings.OCR_LANGUAGE]
                + ["--psm", "4"],
                check=True,
                capture_output=True,
                text=True,
            )
            alone_seconds += time.perf_counter() - began
            alone_text.append(out.stdout)

    cpu = _children_cpu()
    began = time.perf_counter()
    source = read_document(pdf, filename="scan.pdf")
    ours = (time.perf_counter() - began) / PAGES
    ours_cpu = (_children_cpu() - cpu) / PAGES
    alone = alone_seconds / PAGES
    read_alone = "\n".join(alone_text)
    print(f"# load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"ocr-seconds-per-page: {ours:.1f}")
    print(f"ocr-cpu-seconds-per-page: {ours_cpu:.1f}")
    print(f"tesseract-alone-seconds-per-page: {alone:.1f}")
    print(f"ocr-ratio: {ours / alone:.2f}  (read_document / tesseract alone, per page)")
    print(f"ocr-syllable-accuracy: {syllable_accuracy(truth, source.text):.3f}")
    print(f"ocr-character-accuracy: {character_accuracy(truth, source.text):.3f}")
    print(f"tesseract-alone-syllable-accuracy: {syllable_accuracy(truth, read_alone):.3f}")
    print(f"ocr-estimate-seconds-per-page: {OCR_SECONDS_PER_PAGE}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    os.environ.setdefault("LANTOA_TESTING", "1")
    import django

    django.setup()
    main()
