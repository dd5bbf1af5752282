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

from .due import cell_due

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
_LABEL = re.compile(r"^\s*(?P<label>[IVX]{1,4}|[A-D]|\d{1,3}(?:\.\d{1,2}){0,2})\s*[\.\)]?(?:\s+|$)")
_SUB_ROW = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s+(?=\S)")
_SEPARATOR = re.compile(r"^\s*\|[\s|:\-–]*$")


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", match_key(text)))


def cell_timing(text: str) -> tuple[str | None, int | None]:
    """Timing from what a "Thời gian" cell or an OCR'd row says."""
    due = cell_due(text)
    return due.as_tuple() if due else (None, None)


def _due_fields(text: str) -> dict:
    due = cell_due(text)
    if due is None:
        return {"timing": None, "due_year": None, "due_text": None, "due_date": None}
    return {"timing": due.timing, "due_year": due.year, "due_text": due.text, "due_date": due.date}


_ITEM = re.compile(r"(?:^|\s)[-–+•]\s+(?=\S)")


def cell_items(text: str) -> list[str]:
    """The tasks of one row's "nội dung" cell: each "- " item when the cell is a list of them
    (one Word cell with several paragraphs, or several lines of a text table), else the cell."""
    text = text.strip()
    if not re.match(r"[-–+•]\s", text):
        return [text] if text else []
    return [part.strip(" ;") for part in _ITEM.split(text) if part.strip(" ;")]


def _unit_list(text: str) -> list[str]:
    from .extract import split_units

    return split_units(text or "")


def _row(group: str, group_title: str, text: str, cell: dict, line: int = 0) -> dict:
    return {
        "group": group,
        "group_title": group_title,
        "text": text,
        "lead": _unit_list(cell.get("lead", "")),
        "support": _unit_list(cell.get("support", "")),
        "output": cell.get("output") or None,
        **_due_fields(cell.get("time", "")),
        "line": line,
    }


# Words that name a column wherever they stand in its header ("Cơ quan, đơn vị chủ trì", "Dự
# kiến sản phẩm", "Nội dung công việc"), looked for in this order.
_COLUMN_WORDS = [
    ("lead", r"\bchu tri\b|\b(?:co quan|don vi) thuc hien\b"),
    ("support", r"\bphoi hop\b"),
    ("time", r"\bthoi (?:gian|han)\b|\btien do\b"),
    ("output", r"\bsan pham\b|\bket qua\b"),
    ("text", r"\bnhiem vu\b|\bnoi dung\b|\bhoat dong\b|\bcong viec\b|\bgiai phap\b"),
]


# The longest header cell seen in the dev tables is 5 words ("Cơ quan, đơn vị chủ trì").
HEADER_CELL_MAX_WORDS = 8


def _column_of(header: str) -> str | None:
    words = _words(header)
    if not words or len(words) > 60:
        return None
    for column, names in HEADER_WORDS.items():
        if any(words == n or words.startswith(n + " ") for n in names):
            return column
    if words in ("tt", "stt", "so tt", "so thu tu"):
        return "number"
    if len(words.split()) > HEADER_CELL_MAX_WORDS:
        return None  # a row's text that happens to say "nhiệm vụ", not a header
    return next((column for column, pattern in _COLUMN_WORDS if re.search(pattern, words)), None)


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
        body = lines[index + 1 :]
        # A header of two rows ("Đơn vị thực hiện" over "Chủ trì" | "Phối hợp"): the lower
        # row names the columns it splits.
        while body and body[0].count("|") >= 2:
            lower = [_column_of(c) for c in body[0].split("|")]
            named = [c for c in lower if c]
            if len(named) * 2 < len([c for c in body[0].split("|") if c.strip()]) or not named:
                break
            columns = [low or high for low, high in zip(lower, columns, strict=False)]
            body = body[1:]
        for row_line in body:
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
            for item in cell_items(cell["text"]):
                rows.append(_row(group, group_title, item, cell, index))
        return rows
    return None


def ocr_table_rows(lines: list[str]) -> list[dict]:
    """Rows of an OCR'd task table: from the header row on, a row starts at the next row
    number (counting on through the table, or from 1 again in each group)."""
    start = None
    for index in range(min(80, len(lines))):
        # The header on one line, or wrapped over up to three.
        for span in (1, 2, 3):
            words = _words(" ".join(lines[index : index + span]))
            if re.search(r"\b(s?tt|chu tri)\b", words) and re.search(r"nhiem vu|noi dung", words):
                start = index + span
                break
        if start is not None:
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
            rows.append(
                {"group": group, "group_title": group_title, "text": text, "lead": [], "support": [],
                 "output": None, **_due_fields(text)}
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
        sub = _SUB_ROW.match(line)
        if sub and int(sub.group(1)) in (last_number, last_number + 1):
            # "1.1", "1.2", "2.1": rows numbered under their group's number
            flush()
            current, last_number = [line[sub.end() :]], int(sub.group(1))
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


def line_table_rows(lines: list[str]) -> list[dict]:
    """Rows of a task table written one cell a line: the header's cells each on a line (with
    or without "|" lines between them), then rows separated by "|" lines (or blank lines), each
    starting with its number ("1", "1.1", "I"). Cells are read from the header's columns; a
    cell that wrapped onto several lines is the task's text, and a "- " list in it is several
    tasks, each with the row's units, product and time."""
    columns: list[str] = []
    start = None
    for index, line in enumerate(lines[:200]):
        if _SEPARATOR.match(line) or not line.strip():
            continue
        column = _column_of(line) if len(line) <= 60 else None
        if column and column not in columns:
            columns.append(column)
            start = index + 1
            continue
        if len(columns) >= 3:
            break
        columns, start = [], None
    if start is None or "text" not in columns or not ({"lead", "time", "output"} & set(columns)):
        return []
    body = lines[start:]
    use_bars = any(_SEPARATOR.match(line) for line in body)
    blocks: list[list[str]] = [[]]
    one_line: list[list[str]] = []  # rows written on one line, "| 1 | ... |": cells by position
    for line in body:
        if _SEPARATOR.match(line) if use_bars else not line.strip():
            blocks.append([])
        elif line.count("|") >= 2:
            one_line.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif line.strip():
            blocks[-1].append(line.strip())
    after_text = columns[columns.index("text") + 1 :]
    rows: list[dict] = []
    group, group_title = "", ""
    for block in blocks:
        if not block:
            continue
        label = _LABEL.match(block[0])
        rest = block[0][label.end() :].strip() if label else block[0]
        cells = ([rest] if rest else []) + block[1:]
        if label and re.fullmatch(r"[IVX]{1,4}|[A-D]", label.group("label")):
            group, group_title = label.group("label"), " ".join(cells)
            continue
        if not cells:
            continue
        if re.match(r"[-–+•]\s", cells[0]):
            items = [c for c in cells if re.match(r"[-–+•]\s", c)]
            others = cells[len(items) :]
        else:
            wrapped = max(1, len(cells) - len(after_text))
            items, others = [" ".join(cells[:wrapped])], cells[wrapped:]
        cell = dict(zip(after_text[-len(others) :] if others else [], others, strict=False))
        if others and len(others) < len(after_text) and "time" in after_text:
            # Empty cells left no line: the time is the cell that reads as one.
            cell = dict(zip(after_text, others, strict=False))
            if cell_due(others[-1]) is not None:
                cell = {k: v for k, v in cell.items() if v != others[-1] or k == "time"}
                cell["time"] = others[-1]
        for item in items:
            text = " ".join(cell_items(item)) if len(items) == 1 else cell_items(item)[0]
            rows.append(_row(group, group_title, text, cell))
    for cells in one_line:
        cell = dict(zip(columns, cells, strict=False))
        label = cell.get("number", "")
        if re.fullmatch(r"[IVX]{1,4}|[A-D]", label) or len({c for c in cells if c}) == 1:
            group, group_title = label, cell.get("text") or next((c for c in cells if c), "")
            continue
        for item in cell_items(cell.get("text", "")):
            rows.append(_row(group, group_title, item, cell))
    return rows
