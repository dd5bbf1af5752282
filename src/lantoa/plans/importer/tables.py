"""Task tables: the appendix "Phụ lục" of many plans lists tasks as a table (TT, Tên nhiệm vụ,
Cơ quan chủ trì, Cơ quan phối hợp, Kết quả/sản phẩm, Thời gian hoàn thành).

Two shapes reach the importer. A Word table arrives as rows of cells ("a | b | c", one row a
line), so columns are known from the header row. An OCR'd table arrives with its columns
interleaved line by line; there each row is the text from one row number to the next, with the
timing read from the words a time column holds, and the whole row kept as the task's text so
that no words are lost (the reviewer trims it).
"""

from __future__ import annotations

import re

from lantoa.core.documents.layout import match_key
from lantoa.plans.choices import Timing

HEADER_WORDS = {
    "number": ("tt", "stt", "so tt"),
    "text": ("ten nhiem vu", "nhiem vu", "noi dung", "noi dung nhiem vu", "nhiem vu giai phap", "ten hoat dong", "hoat dong"),
    "lead": ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien", "don vi thuc hien"),
    "support": ("co quan phoi hop", "don vi phoi hop", "phoi hop"),
    "output": ("ket qua san pham", "san pham", "ket qua", "san pham dau ra"),
    "time": ("thoi gian hoan thanh", "thoi gian thuc hien", "thoi gian", "tien do", "thoi han"),
}  # fmt: skip
_ROMAN_ROW = re.compile(r"^\s*([IVX]{1,4}|[A-D])\s*[\.\)]?\s+(?=[A-ZĐÀ-Ỹ])")
_ROW_START = re.compile(r"^\s*(\d{1,3})\s*[\.\)]?\s+(?=\S)")


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", match_key(text)))


def cell_timing(text: str) -> tuple[str | None, int | None]:
    """Timing from what a "Thời gian" cell or an OCR'd row says."""
    words = _words(text)
    if re.search(r"\bth\w{1,4}ng xuy\w{0,3}n\b", words):
        return Timing.ONGOING, None
    if re.search(r"\bh\w{1,3}ng n\w{1,3}m\b", words):
        return Timing.ANNUAL, None
    span = re.search(r"\b(20[2-4]\d)\s+(20[2-4]\d)\b", words)
    if span and int(span.group(2)) > int(span.group(1)):
        return Timing.ONGOING, None
    years = re.findall(r"\b(20[2-4]\d)\b", words)
    if years:
        return Timing.ONCE, int(years[-1])
    return None, None


def _column_of(header: str) -> str | None:
    words = _words(header)
    for column, names in HEADER_WORDS.items():
        if any(words == n or words.startswith(n + " ") for n in names):
            return column
    return None


def pipe_table_rows(lines: list[str]) -> list[dict] | None:
    """Rows of the first task table written as "cell | cell" lines, or None."""
    for index, line in enumerate(lines):
        if line.count("|") < 2:
            continue
        cells = [c.strip() for c in line.split("|")]
        columns = [_column_of(c) for c in cells]
        if "text" not in columns or not ({"lead", "time", "output"} & set(columns)):
            continue
        rows, group, group_title = [], "", ""
        for row_line in lines[index + 1 :]:
            if row_line.count("|") < 2:
                if rows and row_line.strip():
                    break
                continue
            values = [c.strip() for c in row_line.split("|")]
            cell = {col: values[i] for i, col in enumerate(columns) if col and i < len(values)}
            distinct = {v for v in values if v}
            if len(distinct) == 1 or (
                cell.get("number") and _ROMAN_ROW.match(cell["number"] + " X")
            ):
                title = cell.get("text") or next(iter(distinct), "")
                group, group_title = (
                    (cell.get("number") or str(len({r["group"] for r in rows}) + 1)),
                    title,
                )
                continue
            if not cell.get("text"):
                continue
            timing, due = cell_timing(cell.get("time", ""))
            rows.append(
                {
                    "group": group,
                    "group_title": group_title,
                    "text": cell["text"],
                    "lead": [
                        n.strip()
                        for n in re.split(r";|\n|,\s*(?=[A-ZĐ])", cell.get("lead", ""))
                        if n.strip()
                    ],
                    "support": [
                        n.strip()
                        for n in re.split(r";|\n|,\s*(?=[A-ZĐ])", cell.get("support", ""))
                        if n.strip()
                    ],
                    "output": cell.get("output") or None,
                    "timing": timing,
                    "due_year": due,
                    "line": index,
                }
            )
        return rows
    return None


def ocr_table_rows(lines: list[str]) -> list[dict]:
    """Rows of an OCR'd task table: from the header row on, a row starts at the next row
    number (counting on through the table, or from 1 again in each group)."""
    start = None
    for index, line in enumerate(lines[:80]):
        words = _words(line)
        if re.search(r"\b(s?tt|chu tri)\b", words) and re.search(r"nhiem vu|noi dung", words):
            start = index + 1
            break
    if start is None:
        return []
    rows: list[dict] = []
    group, group_title = "", ""
    current: list[str] | None = None
    last_number = 0

    def flush():
        if current:
            text = " ".join(part.strip() for part in current if part.strip())
            timing, due = cell_timing(text)
            rows.append(
                {"group": group, "group_title": group_title, "text": text, "lead": [], "support": [],
                 "output": None, "timing": timing, "due_year": due}
            )  # fmt: skip

    for line in lines[start:]:
        if not line.strip():
            continue
        roman = _ROMAN_ROW.match(line)
        row = _ROW_START.match(line)
        if roman and not row:
            flush()
            current = None
            group, group_title = roman.group(1), line[roman.end() :].strip()
            continue
        if row:
            number = int(row.group(1))
            if number == last_number + 1 or (number == 1 and current is None):
                flush()
                current, last_number = [line[row.end() :]], number
                continue
        if current is not None:
            current.append(line)
    flush()
    return rows
