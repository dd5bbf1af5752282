"""A unit's people list (officials and staff): imported from the unit's Excel list and kept
current, edited one person at a time. Reach indicators count these people, once each."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.sheets import sheet_rows
from lantoa.core.text import fold

from .audit import audited
from .choices import Action, PersonKind
from .models import OrgUnit, Person, User
from .scoping import require

MAX_PEOPLE_ROWS = 5000
MAX_COLUMNS = 10
NAME_MAX = 150


def _require_people(actor, unit) -> None:
    require(
        actor,
        Action.RECORD,
        unit,
        _("You cannot change the people list of %(unit)s.") % {"unit": unit},
    )


def person_kind(text) -> str | None:
    """The kind a list's "Loại" cell names, whatever its accents: None when unrecognised."""
    folded = fold(str(text or ""))
    if not folded:
        return PersonKind.OFFICIAL
    if "truyen thong" in folded:
        return PersonKind.COMMUNICATION
    if any(w in folded for w in ("vien chuc", "lao dong", "hop dong", "nhan vien", "giao vien")):
        return PersonKind.STAFF
    if any(w in folded for w in ("can bo", "cong chuc", "lanh dao")):
        return PersonKind.OFFICIAL
    if folded in PersonKind.values:
        return folded
    return None


def _lock(unit: OrgUnit) -> OrgUnit:
    """The unit's row, locked until the transaction ends: two saves of its list (two tabs, a
    double submit) run one after the other, so the second sees the first's people."""
    return OrgUnit.objects.select_for_update().get(pk=unit.pk)


def _clean_name(value) -> str:
    return " ".join(str(value or "").split())


def read_rows(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> list[tuple]:
    """(row number, values) of the non-empty rows of the first sheet of an .xlsx, read as a
    stream with the caps applied while reading (core.sheets: a declared A1:XFD… is not
    believed, a DOCTYPE or a non-zip file is refused with a message)."""
    return list(sheet_rows(data, columns=max_columns, max_rows=max_rows, first_row=1))


def people_template_xlsx() -> bytes:
    """An empty list to fill in: the header row and one example."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(["Họ và tên", "Chức vụ", "Loại"])
    sheet.append(["Nguyễn Văn A", "Chuyên viên", "Cán bộ, công chức"])
    sheet.append(["Trần Thị B", "Giáo viên", "Viên chức, người lao động"])
    sheet.append(["Lê Văn C", "Cán bộ văn hóa - thông tin", "Cán bộ truyền thông"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABC", (32, 32, 28), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_header(row: tuple) -> bool:
    first = fold(" ".join(str(c) for c in row if c is not None))
    return "ho va ten" in first or "ho ten" in first or first.startswith("stt")


@audited
@transaction.atomic
def people_import(*, actor: User | None, unit: OrgUnit, data: bytes) -> dict:
    """Replace the unit's current list with the sheet (columns: full name, position, kind).

    A person already on the list (same name and position, whatever the accents) is updated, a
    new one added, one no longer on the sheet kept as having left. Every bad row is reported by
    its number and nothing is saved unless every row is right."""
    _require_people(actor, unit)
    unit = _lock(unit)
    rows = read_rows(data, max_rows=MAX_PEOPLE_ROWS + 1)
    errors: list[str] = []
    wanted: dict[tuple[str, str], tuple[int, str, str, str]] = {}
    for number, row in rows:
        cells = list(row) + [None] * 3
        if number == 1 and _is_header(row):
            continue
        name, position, kind_text = (_clean_name(c) for c in cells[:3])
        if not any((name, position, kind_text)):
            continue
        problems = []
        if not name:
            problems.append(_("the full name is missing"))
        elif len(name) > NAME_MAX:
            problems.append(_("the full name is too long"))
        if len(position) > NAME_MAX:
            problems.append(_("the position is too long"))
        kind = person_kind(kind_text)
        if kind is None:
            problems.append(
                _("unknown kind “%(value)s” (official, public employee or communication staff)")
                % {"value": kind_text}
            )
        key = (fold(name), fold(position))
        if name and key in wanted:
            problems.append(_("repeats row %(row)d") % {"row": wanted[key][0]})
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
            continue
        wanted[key] = (number, name, position, kind)
    if errors:
        raise ValidationError(errors)
    if not wanted:
        raise ValidationError(_("The sheet lists nobody."))
    existing: dict[tuple[str, str], Person] = {}
    for person in Person.objects.filter(unit=unit).order_by("-is_active", "pk"):
        person.unit = unit  # each person's audit entry names the unit without reading it again
        existing.setdefault((person.name_folded, fold(person.position)), person)
    added = updated = 0
    for key, (_row, name, position, kind) in wanted.items():
        person = existing.pop(key, None)
        if person is None:
            Person.objects.create(unit=unit, full_name=name, position=position, kind=kind)
            added += 1
            continue
        if fold(name) == name.lower() and fold(person.full_name) != person.full_name.lower():
            name = person.full_name  # typed without accents: keep the spelling on the list
        if fold(position) == position.lower() and fold(person.position) != person.position.lower():
            position = person.position
        updated += 1  # "kept" on the page's message, changed or not
        new = (name, position, kind, True)
        if (person.full_name, person.position, person.kind, person.is_active) == new:
            continue  # unchanged: no write, no audit entry
        person.full_name, person.position, person.kind, person.is_active = new
        person.save()
    left = [p for p in existing.values() if p.is_active]
    for person in left:  # one by one: each leaver is on the audit trail
        person.is_active = False
        person.save(update_fields=["is_active", "updated_at"])
    return {"added": added, "updated": updated, "left": len(left)}


@audited
@transaction.atomic
def person_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    person: Person | None = None,
    full_name: str,
    position: str = "",
    kind: str = PersonKind.OFFICIAL,
    is_active: bool = True,
) -> Person:
    """Add a person to the unit's list, or correct one already on it."""
    _require_people(actor, unit)
    unit = _lock(unit)
    if person is not None and person.unit_id != unit.pk:
        raise ValidationError(_("This person is not on the list of %(unit)s.") % {"unit": unit})
    errors = {}
    name, position = _clean_name(full_name), _clean_name(position)
    if not name:
        errors["full_name"] = _("Enter the full name.")
    elif len(name) > NAME_MAX:
        errors["full_name"] = _("The full name is too long.")
    if len(position) > NAME_MAX:
        errors["position"] = _("The position is too long.")
    if kind not in PersonKind.values:
        errors["kind"] = _("Choose a kind.")
    if not errors and is_active:
        # The same person (name and position, whatever the accents and case) once on the list.
        namesakes = Person.objects.current().filter(unit=unit, name_folded=fold(name))
        if person is not None:
            namesakes = namesakes.exclude(pk=person.pk)
        if any(fold(other.position) == fold(position) for other in namesakes):
            errors["full_name"] = _(
                "%(name)s (%(position)s) is already on the list of %(unit)s: correct that entry "
                "instead of adding it again."
            ) % {"name": name, "position": position or "—", "unit": unit}
    if errors:
        raise ValidationError(errors)
    person = person or Person(unit=unit)
    person.full_name, person.position, person.kind, person.is_active = (
        name,
        position,
        kind,
        is_active,
    )
    person.save()
    return person
