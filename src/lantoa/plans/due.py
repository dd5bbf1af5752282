"""Due dates as plans write them ("Quý IV/2025", "tháng 6/2026") and the last day they name."""

from __future__ import annotations

import calendar
import datetime
import re

from lantoa.core.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def due_date_of(text: str) -> datetime.date | None:
    """The last day of the period a due date written in a plan names: "Quý IV/2025" →
    31/12/2025, "tháng 6/2026" or "6/2026" → 30/6/2026, "6 tháng đầu năm 2026" → 30/6/2026,
    "năm 2026" → 31/12/2026, "15/11/2025" → that day; None for anything else ("hằng năm",
    "thường xuyên"). Used when a due date is typed as text and its date left empty."""
    folded = " ".join(fold(text or "").lower().replace("-", "/").split())
    if not folded:
        return None
    try:
        if match := re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", folded):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := re.search(r"\bquy (i{1,3}|iv|[1-4])\s*(?:/|nam)\s*(\d{4})\b", folded):
            quarter, year = match.groups()
            month = 3 * (_ROMAN.get(quarter) or int(quarter))
            return datetime.date(int(year), month, calendar.monthrange(int(year), month)[1])
        if match := re.search(r"\b6 thang dau nam (\d{4})\b", folded):
            return datetime.date(int(match.group(1)), 6, 30)
        if match := re.search(r"\b(?:thang )?(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b", folded):
            month, year = int(match.group(1)), int(match.group(2))
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        if match := re.fullmatch(r"(?:(?:trong |den |truoc )?nam )?(\d{4})", folded):
            return datetime.date(int(match.group(1)), 12, 31)
    except ValueError:
        return None
    return None
