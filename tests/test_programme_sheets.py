"""programme.sheets: export writes formula-like text as text; import is all or nothing and
names every bad row by its number."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from lantoa.orgs.choices import PersonKind, Role
from lantoa.orgs.models import Person
from lantoa.orgs.people import person_save
from lantoa.programme.sheets import (
    SheetColumn,
    cell_choice,
    cell_text,
    export_xlsx,
    import_xlsx,
)


def _book(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(data, actor, unit):
    def parse(values, number):
        return {
            "full_name": cell_text(values[0], required=True, label="Họ và tên"),
            "kind": cell_choice(values[1], PersonKind, label="Loại"),
        }

    return import_xlsx(
        data,
        columns=2,
        parse=parse,
        create=lambda kw: person_save(actor=actor, unit=unit, **kw),
    )


def test_export_keeps_formula_text_as_text(tree):
    Person.objects.create(unit=tree.bombo, full_name='=HYPERLINK("x")', kind="official")
    data = export_xlsx(
        Person.objects.filter(unit=tree.bombo),
        [SheetColumn("Họ và tên", "full_name"), SheetColumn("Đơn vị", "unit.code")],
        title="Người",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Họ và tên"
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "25405"


def test_import_all_or_nothing(tree, make_user):
    user = make_user(tree.bombo, Role.REPORTER)
    bad = _book(
        [
            ["Họ và tên", "Loại"],
            ["Nguyễn Văn A", "Cán bộ truyền thông"],
            ["", "official"],
            ["Trần B", "không rõ"],
            ["Nguyễn Văn A", "communication"],
        ]
    )
    with pytest.raises(ValidationError) as exc:
        _import(bad, user, tree.bombo)
    messages = exc.value.messages
    assert any(m.split(":")[0].endswith(" 3") for m in messages)
    assert any(m.split(":")[0].endswith(" 4") for m in messages)
    assert not Person.objects.filter(unit=tree.bombo).exists()
    # A service refusal (the same person twice) names its row and rolls back the good rows.
    twice = _book(
        [
            ["Họ và tên", "Loại"],
            ["Nguyễn Văn A", "communication"],
            ["Nguyen Van A", "communication"],
        ]
    )
    with pytest.raises(ValidationError) as exc:
        _import(twice, user, tree.bombo)
    assert any(m.split(":")[0].endswith(" 3") for m in exc.value.messages)
    assert not Person.objects.filter(unit=tree.bombo).exists()
    good = _book([["Họ và tên", "Loại"], ["Nguyễn Văn A", "communication"], ["Trần B", "staff"]])
    created = _import(good, user, tree.bombo)
    assert [p.full_name for p in created] == ["Nguyễn Văn A", "Trần B"]
    assert created[0].kind == PersonKind.COMMUNICATION


def test_import_refuses_not_a_workbook(tree, make_user):
    user = make_user(tree.bombo, Role.REPORTER)
    with pytest.raises(ValidationError):
        _import(b"not a zip", user, tree.bombo)
