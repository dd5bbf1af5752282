"""Bounded inputs (issue 9): time and peak memory of the hostile uploads after the fix.

Each case runs in a fresh process so its peak resident memory (``ru_maxrss``) is its own:
- ``text-40000-lines``: 40,000 lines of one run-on paragraph (227 s in the web request before):
  refused by the line cap before parsing;
- ``text-29000-lines``: the same just under the cap, read and understood in one pass;
- ``docx-zip-bomb``: a .docx of ~100 KB whose document.xml unpacks to 60 MB: refused from
  the zip directory's sizes;
- ``xlsx-6000-rows-XFD``: 6,000 activity rows in a sheet declaring ``A1:XFD6001`` (750 MB and
  18 s before), read as a stream with the column cap.
Run with ``python bench/bounds.py`` (no database needed); ``make bench`` runs it last.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

CASES = ("text-40000-lines", "text-29000-lines", "docx-zip-bomb", "xlsx-6000-rows-XFD")
RUN_ON = "Thực hiện nhiệm vụ báo cáo trước ngày 15/12\n\n"


def _setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    os.environ.setdefault("LANTOA_TESTING", "1")
    import django

    django.setup()


def _replace(package: bytes, name: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def _input(case: str) -> bytes:
    if case.startswith("text-"):
        lines = int(case.split("-")[1])
        return (RUN_ON * (lines // 2)).encode()
    if case == "docx-zip-bomb":
        import docx

        out = io.BytesIO()
        docx.Document().save(out)
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        body = "<w:p><w:r><w:t>Nhiệm vụ</w:t></w:r></w:p>" * 1_500_000
        xml = f"<w:document {w}><w:body>{body}</w:body></w:document>".encode()
        return _replace(out.getvalue(), "word/document.xml", xml)
    from openpyxl import load_workbook

    from lantoa.activities.spreadsheets import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx()))
    for _ in range(6000):
        book.active.append(["25405-THBB", "meeting", "05/03/2025", "Sinh hoạt chuyên đề", 20, 15])
    out = io.BytesIO()
    book.save(out)
    sheet = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    sheet = sheet[:start] + "A1:XFD6001" + sheet[sheet.index('"', start) :]
    return _replace(out.getvalue(), "xl/worksheets/sheet1.xml", sheet.encode())


def run(case: str) -> None:
    _setup()
    from lantoa.plans.importer import ImportProblem, extract_plan, read_document

    data = _input(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if case.startswith("xlsx"):
        from lantoa.activities.spreadsheets import COLUMNS
        from lantoa.core.sheets import sheet_rows

        outcome = f"{len(list(sheet_rows(data, columns=len(COLUMNS), max_rows=20_000)))} rows"
    else:
        try:
            plan = extract_plan(read_document(data, filename="bench").text)
            outcome = f"read, {len(plan.report_deadlines)} deadline(s)"
        except ImportProblem as problem:
            outcome = f"refused ({problem.code})"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"bounds-{case}: {seconds:.2f} s, peak RSS {peak / 1024:.0f} MB "
        f"(+{(peak - before) / 1024:.0f} MB over the input), "
        f"input {len(data) / 1024:.0f} KB: {outcome}",
        flush=True,
    )


def main() -> None:
    for case in CASES:
        subprocess.run([sys.executable, __file__, case], check=True)  # noqa: S603


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(sys.argv[1])
    else:
        main()
