"""When a task is due, read as the plan writes it.

A plan says a task's timing in words: "(nhiệm vụ thường xuyên)", "Thời gian: hằng năm",
"Thời gian hoàn thành: Quý IV/2025", "hoàn thành trong tháng 6/2026", "trước ngày 30/9/2025",
or a table cell "2025-2030". Three timings come out of it: ongoing, annual, or once by a due
date. A due date keeps the words it was written in (``text``) and the last day of the period
they name (``date``, ISO): Quý IV/2025 → 2025-12-31, tháng 6/2026 → 2026-06-30, năm 2027 →
2027-12-31, trước ngày 30/9/2025 → 2025-09-30.

Everything is matched on the layout's key (one character for one, lower case, no diacritics,
OCR confusions undone), so offsets in the key are offsets in the source.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from lantoa.core.documents.layout import match_key
from lantoa.plans.choices import Timing

YEAR = r"(20[2-4]\d)"
_SEP = r"\s*(?:/|-|\.|\s+n\w{1,3}m)\s*"  # "6/2026", "6 năm 2026"
_QUARTER = re.compile(r"\bqu\w?\s+(iv|i{1,3}|[1-4])\b" + _SEP + YEAR)
# "tháng 6/2026", and "6/2026" written without the word (not the tail of a date "15/6/2026").
_MONTH = re.compile(r"(?:\bth\w{1,3}ng\s+|(?<![\d/.])\b(?=\d{1,2}\s*/))(\d{1,2})" + _SEP + YEAR)
_DAY = re.compile(
    r"\b(?:ng\w{0,2}y\s+)?(\d{1,2})\s*(?:/|-|\.|\s+th\w{1,3}ng\s+)\s*(\d{1,2})" + _SEP + YEAR
)
# A year on its own: not the end of a month or a date ("13/2026", "6/2026").
_YEAR = re.compile(r"(?<![/\d])(?<!/\s)\b(?:n\w{1,3}m\s+)?" + YEAR + r"\b(?!\s*[-–/]\s*\d)")
_RANGE = re.compile(YEAR + r"\s*[-–]\s*" + YEAR)
_HALF = re.compile(r"\b6\s+th\w{1,3}ng\s+(\w{1,3}u|cu\w{1,3}i)\s+n\w{1,3}m\s*(?:/\s*)?" + YEAR)
_FROM_TO = re.compile(
    r"\bt\w\s+(?:n\w{1,3}m\s+)?" + YEAR + r"\s+\w{1,3}n\s+(?:h\w{1,2}t\s+)?(?:n\w{1,3}m\s+)?" + YEAR
)
_ONWARDS = re.compile(r"(?:c\w{1,2}c|nh\w{1,3}ng)\s+n\w{1,3}m\s+ti\w{1,3}p\s+theo")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Words of a repeating timing (on the key).
ONGOING_WORDS = (
    r"\b(?:th\w{1,5}ng\s+xuy\w{0,3}n|li\w{0,2}n\s+t\w{0,2}c|h\w{1,3}ng\s+ng\w{0,2}y|"
    r"h\w{1,3}ng\s+tu\w{0,2}n|h\w{1,3}ng\s+th\w{1,3}ng|h\w{1,3}ng\s+qu\w)"
)
ANNUAL_WORDS = r"(?:\b\w{1,2}nh\s+k\w\s+)?\bh\w{1,3}ng\s+n\w{1,3}m"
# Closing a sentence without a marker ("..., cập nhật tin bài hằng ngày."), only the words that
# say the task itself never ends; "Chuyên mục hằng tuần;" describes an item, not the task.
_TAIL_ONGOING = r"\b(?:th\w{1,5}ng\s+xuy\w{0,3}n|li\w{0,2}n\s+t\w{0,2}c|h\w{1,3}ng\s+ng\w{0,2}y)"


@dataclass
class Due:
    timing: str
    year: int | None = None
    text: str | None = None  # as written: "Quý IV/2025"
    date: str | None = None  # ISO, the period's last day

    def as_tuple(self) -> tuple[str, int | None]:
        return self.timing, self.year


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def period_at(text: str, key: str, at: int = 0, *, anchored: bool = True) -> Due | None:
    """The period written at ``key[at:]`` (at its very start when ``anchored``): a date, a
    month, a quarter or a year, as a "once" due date."""
    best: tuple[int, Due] | None = None
    for pattern, kind in ((_DAY, "day"), (_MONTH, "month"), (_QUARTER, "quarter"), (_YEAR, "year")):
        m = pattern.search(key, at)
        if not m or (anchored and key[at : m.start()].strip(" ,:(")):
            continue
        due = _due_of(kind, m)
        if due is None:
            continue
        due.text = text[m.start() : m.end()].strip()
        if best is None or m.start() < best[0]:
            best = (m.start(), due)
    return best[1] if best else None


def _due_of(kind: str, m: re.Match) -> Due | None:
    if kind == "day":
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
            return None
        return Due(Timing.ONCE, year, date=f"{year:04d}-{month:02d}-{day:02d}")
    if kind == "month":
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return Due(Timing.ONCE, year, date=_last_day(year, month))
    if kind == "quarter":
        quarter, year = _QUARTERS[m.group(1)], int(m.group(2))
        return Due(Timing.ONCE, year, date=_last_day(year, quarter * 3))
    year = int(m.group(1))
    return Due(Timing.ONCE, year, date=f"{year:04d}-12-31")


def cell_due(text: str) -> Due | None:
    """What a table's time cell says ("Quý IV/2025", "Thường xuyên", "Hằng năm", "2025-2030")."""
    key = match_key(text)
    if _ONWARDS.search(key):
        return Due(Timing.ONGOING)  # "2025 và các năm tiếp theo"
    if re.search(ANNUAL_WORDS, key):
        return Due(Timing.ANNUAL)
    if re.search(ONGOING_WORDS, key):
        return Due(Timing.ONGOING)
    span = _RANGE.search(key) or _FROM_TO.search(key)
    if (span and int(span.group(2)) > int(span.group(1))) or _ONWARDS.search(key):
        return Due(
            Timing.ONGOING
        )  # "2025-2030", "từ năm 2025 đến năm 2030", "2025 và các năm tiếp theo"
    half = _HALF.search(key)
    if half:  # "6 tháng đầu năm 2026" → 30/6, "6 tháng cuối năm 2026" → 31/12
        year = int(half.group(2))
        month = 6 if half.group(1).endswith("u") and not half.group(1).startswith("cu") else 12
        return Due(Timing.ONCE, year, text[half.start() : half.end()], _last_day(year, month))
    return period_at(text, key, anchored=False)


# Markers inside a task's text. The last marker in the text wins.
_WHEN = (
    r"(?:th\w{1,3}i\s+gian(?:\s+th\w{1,3}c\s+hi\w{1,3}n|\s+ho\w{1,2}n\s+th\w{1,3}nh)?"
    r"|ti\w{1,3}n\s+\w{1,2}\s*|th\w{1,3}i\s+h\w{1,2}n)\s*:\s*"
)
_REPEAT = re.compile(
    # "(nhiệm vụ thường xuyên)", "(hằng năm)", "Thời gian: thường xuyên", "..., thường xuyên."
    rf"(?:\(\s*(?:\w{{0,3}}i\w{{0,2}}m\s+v\w{{0,2}}\s+)?|\w{{0,3}}i\w{{0,2}}m\s+v\w{{0,2}}\s+|{_WHEN})"
    rf"(?P<word>{ANNUAL_WORDS}|{ONGOING_WORDS})"
    rf"|\s(?P<tail>{ANNUAL_WORDS}|{_TAIL_ONGOING})\s*(?=[\.;\)]|$)"
)
_ONCE_LEAD = re.compile(
    rf"ho\w{{0,2}}n\s+th\w{{1,3}}nh\s*(?:trong\s+|tr\w{{1,3}}c\s+|v\w{{1,2}}o\s+|t\w{{0,2}}\s+)?|{_WHEN}"
    r"|\(\s*(?=(?:qu\w|th\w{1,3}ng|n\w{1,3}m)\s)"
)
_CLOSING_PERIOD = re.compile(
    r"(?:[,;:\(]|\s[-–]|\btrong)\s*(?=(?:qu\w|th\w{1,3}ng|n\w{1,3}m)\s+[\divx])"
)
_BEFORE_DATE = re.compile(r"tr\w{1,3}c\s+ng\w{0,2}y\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*20[2-4]\d")


def task_due(text: str) -> Due | None:
    """The timing a task's own words give it, or None."""
    key = match_key(text)
    found: list[tuple[int, Due]] = []
    for m in _REPEAT.finditer(key):
        word = m.group("word") or m.group("tail")
        kind = Timing.ANNUAL if re.match(ANNUAL_WORDS, word) else Timing.ONGOING
        found.append((m.start(), Due(kind)))
    for m in re.finditer(_WHEN, key):
        end = re.compile(r"[;\n(]|\.\s|\.$").search(key, m.end())
        stop = end.start() if end else len(key)
        due = cell_due(text[m.end() : stop]) if stop - m.end() <= 60 else None
        if due is not None:
            if due.text:
                due.text = due.text.strip()
            found.append((m.start(), due))
    for m in _ONCE_LEAD.finditer(key):
        due = period_at(text, key, m.end())
        if due is not None:
            found.append((m.start(), due))
    for m in _CLOSING_PERIOD.finditer(key):
        # "Tổ chức hội nghị, Quý IV/2025.", "... trong tháng 6/2026."
        due = period_at(text, key, m.end())
        if due is not None and re.match(r"\s*(?:[\.;\)]|$)", key[m.end() + len(due.text or "") :]):
            found.append((m.start(), due))
    for m in _BEFORE_DATE.finditer(key):
        due = period_at(text, key, m.start() + len(re.match(r"tr\w{1,3}c\s+", key[m.start() :])[0]))
        if due is not None:
            due.text = text[m.start() : m.end()]
            found.append((m.start(), due))
    if not found:
        return None
    return max(found, key=lambda pair: pair[0])[1]


def due_date_of(text: str) -> datetime.date | None:
    """The last day of the period a due date written in a plan names ("Quý IV/2025" →
    31/12/2025, "tháng 6/2026" or "6/2026" → 30/6/2026, "6 tháng đầu năm 2026" → 30/6/2026,
    "năm 2026" → 31/12/2026, "15/11/2025" → that day); None for anything else ("hằng năm",
    "thường xuyên"). The importer's reading of a time cell, used when a due date is typed as
    text on the plan page or in the task sheet and its date left empty."""
    due = cell_due(text or "")
    return datetime.date.fromisoformat(due.date) if due is not None and due.date else None
