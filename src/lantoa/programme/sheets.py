"""The registers' .xlsx export and import, one helper for every register.

Export: :func:`export_xlsx` writes a header row and one row per object through
``core.sheets.append_row`` (text that looks like a formula is written as text, never evaluated).

Import: :func:`import_xlsx` reads the first sheet as a stream with ``core.sheets.sheet_rows``
(row and column caps applied while reading, an unsafe file refused), passes every row to the
register's ``parse`` (which returns the keyword arguments of its create service or raises
ValidationError), then calls the register's ``create`` service for each parsed row inside one
``transaction.atomic``. A row refused by its parser or by the service is reported by its number
with the service's (translated) message; if any row is bad nothing is saved, and every bad row is
named at once, not only the first.

A register uses it like::

    COLUMNS = [SheetColumn(_("Title"), "title"), SheetColumn(_("Unit code"), lambda o: o.unit.code)]

    def training_export(queryset) -> bytes:
        return export_xlsx(queryset, COLUMNS, title=_("Trainings"))

    def training_import(*, actor, data) -> list:
        return import_xlsx(
            data,
            columns=len(COLUMNS),
            parse=lambda values, number: {...},          # raises ValidationError
            create=lambda kwargs: programme_create(actor=actor, **kwargs),
        )
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from lantoa.core.sheets import append_row, sheet_rows
from lantoa.core.text import fold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A register's sheet is a few hundred rows; a province's training list a few thousand.
DEFAULT_MAX_ROWS = 5000
# The largest upload read for a register import (checked by the view before reading).
MAX_SHEET_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class SheetColumn:
    """One column: its header and how to read the value from an object (an attribute name,
    dotted for related objects, or a callable taking the object)."""

    header: str
    value: str | Callable[[Any], Any]
    width: int = 20

    def read(self, obj) -> Any:
        if callable(self.value):
            return self.value(obj)
        current = obj
        for part in self.value.split("."):
            current = getattr(current, part, None)
            if current is None:
                return None
        if callable(current):
            current = current()
        return current


def _cell(value):
    """A value as a cell holds it: dates as dates, numbers as numbers, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, decimal.Decimal, datetime.date)):
        return value
    return str(value)


def export_xlsx(objects: Iterable, columns: list[SheetColumn], *, title: str) -> bytes:
    """An .xlsx with a bold header row and one row per object (objects are iterated once, so a
    queryset may be ``.iterator()``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31] or "Sheet"
    append_row(sheet, [str(c.header) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for obj in objects:
        append_row(sheet, [_cell(c.read(obj)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(columns: list[SheetColumn], *, title: str, examples: Iterable = ()) -> bytes:
    """An empty sheet to fill in: the header row, then the example rows (lists of values)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31] or "Sheet"
    append_row(sheet, [str(c.header) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in examples:
        append_row(sheet, [_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


def row_error(number: int, messages: list[str]) -> str:
    return _("Row %(row)d: %(problems)s") % {"row": number, "problems": " ".join(messages)}


def import_xlsx(
    data: bytes,
    *,
    columns: int,
    parse: Callable[[tuple, int], dict],
    create: Callable[[dict], Any],
    max_rows: int = DEFAULT_MAX_ROWS,
    header_rows: int = 1,
) -> list:
    """Every row of the sheet through ``parse(values, row_number)`` then ``create(kwargs)``
    (each row checked by both, so a row the service refuses is named even when another row
    failed to parse), all or nothing; the created objects, in sheet order.

    ``values`` is the tuple of the row's first ``columns`` cells (None for empty cells). Raises
    ValidationError listing "Row N: …" for every bad row (parser or service refusal) and saves
    nothing; raises ValidationError too for an empty sheet, an unsafe file, or too many rows."""
    if len(data) > MAX_SHEET_BYTES:
        raise ValidationError(
            _("The file is larger than %(n)d MB.") % {"n": MAX_SHEET_BYTES // (1024 * 1024)},
            code="too_large",
        )
    # Read to the end (refused past max_rows) before anything touches the database.
    rows = list(sheet_rows(data, columns=columns, max_rows=max_rows, first_row=header_rows + 1))
    if not rows:
        raise ValidationError(_("The sheet has no rows to import."), code="empty")
    errors: list[str] = []
    created = []
    with transaction.atomic():
        for number, values in rows:
            try:
                kwargs = parse(values, number)
                with transaction.atomic():  # a savepoint: a refused row leaves the rest usable
                    obj = create(kwargs)
            except ValidationError as exc:
                errors.append(row_error(number, _messages(exc)))
                continue
            if not errors:
                created.append(obj)
        if errors:
            # Leaving the block by this exception rolls back every row already created.
            raise ValidationError(errors)
    return created


# Cell readers the registers' parsers share: each returns the value or raises ValidationError.


def cell_text(value, *, required: bool = False, label: str = "", max_length: int = 255) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    if required and not text:
        raise ValidationError(_("“%(field)s” is missing.") % {"field": label})
    if len(text) > max_length:
        raise ValidationError(
            _("“%(field)s” is longer than %(n)d characters.") % {"field": label, "n": max_length}
        )
    return text


def cell_date(value, *, required: bool = False, label: str = "") -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise ValidationError(_("“%(field)s” is missing.") % {"field": label})
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(field)s”: “%(value)s” is not a date (dd/mm/yyyy).") % {"field": label, "value": text}
    )


def cell_number(value, *, label: str = "", required: bool = False) -> decimal.Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError(_("“%(field)s” is missing.") % {"field": label})
        return None
    try:
        number = decimal.Decimal(str(value).strip().replace(",", "."))
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise ValidationError(
            _("“%(field)s”: “%(value)s” is not a number.") % {"field": label, "value": value}
        )
    return number


def cell_bool(value) -> bool:
    text = fold(str(value or ""))
    return text in ("1", "x", "yes", "y", "true", "co", "dung", "c")


def cell_choice(value, choices, *, label: str = "", required: bool = True):
    """A TextChoices value named by its code or its (Vietnamese or English) label, any accents."""
    text = fold(str(value or ""))
    if not text and not required:
        return ""
    for code, name in choices.choices:
        if text in (fold(code), fold(str(name))):
            return code
    raise ValidationError(
        _("“%(field)s”: unknown value “%(value)s”.") % {"field": label, "value": value or ""}
    )
