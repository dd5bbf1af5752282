"""Reading an uploaded .xlsx as a stream, with its row and column caps applied while reading.

A sheet's declared dimension (``A1:XFD6001``) is not believed: every row used to be padded to
16,384 cells and all rows kept before the row limit was checked (750 MB for 6,000 rows). Here
only the first ``columns`` cells of each row are kept, empty rows are skipped as they come,
and reading stops at the first row past ``max_rows``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import FORMULA_STARTS, printable
from .uploads import UploadRefused, check_office_package

# Every row the parser yields counts, even one whose cells all sit outside the columns read
# (and so is skipped as empty): the sheets Lantoa imports have a few thousand rows.
SHEET_MAX_SCANNED_ROWS = 50_000
# The unpacked XML of one worksheet: 6,000 rows of a template's columns are about 2 MB.
SHEET_MAX_PART_BYTES = 20 * 1024 * 1024


def _not_a_workbook() -> ValidationError:
    return ValidationError(_("This file is not an Excel (.xlsx) workbook."), code="not_xlsx")


def sheet_rows(
    data: bytes, *, columns: int, max_rows: int, first_row: int = 2
) -> Iterator[tuple[int, tuple]]:
    """(row number, the row's first ``columns`` values) for each non-empty row of the first
    sheet from ``first_row`` on. Raises ValidationError for a file that is not a safe .xlsx
    and, while reading, for a sheet with more than ``max_rows`` non-empty rows."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        archive = check_office_package(data)
    except UploadRefused as refused:
        if refused.code == "damaged":
            raise _not_a_workbook() from refused
        raise ValidationError(refused.message, code=refused.code) from refused
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.file_size > SHEET_MAX_PART_BYTES:
            raise ValidationError(
                _("The sheet is %(size)d MB unpacked; the largest read is %(limit)d MB.")
                % {
                    "size": info.file_size // (1024 * 1024),
                    "limit": SHEET_MAX_PART_BYTES // (1024 * 1024),
                },
                code="sheet_too_large",
            )
    broken = (
        InvalidFileException,
        zipfile.BadZipFile,
        ParseError,
        KeyError,
        IndexError,
        AttributeError,
        TypeError,
        ValueError,
        OSError,
    )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not book.worksheets:
            raise _not_a_workbook()
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared A1:XFD… is not believed
        count = 0
        for scanned, (number, row) in enumerate(
            enumerate(
                sheet.iter_rows(min_row=first_row, max_col=columns, values_only=True),
                start=first_row,
            ),
            start=1,
        ):
            if scanned > SHEET_MAX_SCANNED_ROWS:
                raise ValidationError(
                    _("The sheet has more than %(n)d rows.") % {"n": SHEET_MAX_SCANNED_ROWS},
                    code="too_many_rows",
                )
            if not any(value not in (None, "") for value in row):
                continue
            count += 1
            if count > max_rows:
                raise ValidationError(
                    _("The sheet has more than %(n)d rows.") % {"n": max_rows}, code="too_many_rows"
                )
            yield number, tuple(row) + (None,) * (columns - len(row))
    except ValidationError:
        raise
    except broken as exc:
        raise _not_a_workbook() from exc
    finally:
        if "book" in locals():
            book.close()


def sheet_value(value):
    """A value as it may go into a cell: text made printable; other values as they are."""
    if isinstance(value, str):
        return printable(value)
    return value


def append_row(sheet, values) -> None:
    """Append ``values`` to ``sheet`` (an openpyxl worksheet) as data, never as formulas: text
    starting with = + - @ is written as a text cell marked with Excel's own quote prefix (the
    "'" Excel shows in the formula bar), so no spreadsheet program evaluates it. Every .xlsx
    writer goes through here."""
    sheet.append([sheet_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
