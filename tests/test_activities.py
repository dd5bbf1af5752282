"""Recording evidence: quick on a phone, checked before anything is written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lantoa.activities.models import Activity, Evidence
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document

from .documents import SMALL_PLAN, png_bytes


@pytest.fixture
def plan(tree):
    source = read_document(SMALL_PLAN.encode())
    return plan_services.plan_import(
        actor=None,
        unit=tree.bombo,
        source=source,
        extracted=extract_plan(source.text),
        filename="k.txt",
    )


@pytest.fixture
def reporter(tree, client, make_user):
    user = make_user(tree.school, Role.REPORTER)
    client.force_login(user)
    return user


def _post(client, **fields):
    data = {
        "kind": "training",
        "date": timezone.localdate().isoformat(),
        "title": "Tập huấn kỹ năng số cho giáo viên",
        **fields,
    }
    return client.post(reverse("activities:record"), data)


def test_school_reporter_records_a_training_for_its_communes_task(tree, client, reporter, plan):
    task = plan.tasks.get(order=2)
    page = client.get(reverse("activities:record"))
    assert (
        task in page.context["form"].fields["tasks"].queryset
    )  # the commune's plan binds the school
    response = _post(
        client, unit=tree.school.pk, tasks=[task.pk], participants="35", officials="30", staff_trained="4",
        links="https://truong.edu.vn/tin/tap-huan", files=[SimpleUploadedFile("anh.jpg", png_bytes())],
    )  # fmt: skip
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.unit == tree.school and list(activity.tasks.all()) == [task]
    assert (activity.participants, activity.officials, activity.staff_trained) == (35, 30, 4)
    assert {e.content_type for e in Evidence.objects.all()} == {
        "",
        "image/png",
    }  # checked by content, not name


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"participants": "-3"}, "participants"),
        ({"participants": "10", "officials": "12"}, "officials"),
        ({"date": "2099-01-01"}, "date"),
        ({"title": "   "}, "title"),
        ({"links": "not a link"}, "links"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(tree, client, reporter, fields, field):
    response = _post(client, unit=tree.school.pk, **fields)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not Activity.objects.exists()


def test_a_file_that_is_not_a_photo_or_document_is_refused(tree, client, reporter):
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 this is an executable")
    response = _post(client, unit=tree.school.pk, files=[fake])
    assert response.status_code == 200 and response.context["form"].errors["files"]
    assert not Activity.objects.exists() and not Evidence.objects.exists()


def test_another_communes_task_or_unit_is_refused(tree, client, reporter, plan):
    other = plan_services.plan_create(
        actor=None, unit=tree.xuanlap, number="9/KH-UBND", title="Kế hoạch phường"
    )
    from lantoa.plans.models import Task

    foreign = Task.objects.create(plan=other, text="Nhiệm vụ của phường", order=0)
    response = _post(client, unit=tree.school.pk, tasks=[foreign.pk])
    assert response.status_code == 200 and response.context["form"].errors["tasks"]
    response = _post(client, unit=tree.xl_school.pk)
    assert response.context["form"].errors["unit"]
    assert not Activity.objects.exists()


def test_activities_api(tree, api_client, make_user, plan):
    api_client.force_authenticate(make_user(tree.school, Role.REPORTER))
    created = api_client.post(
        "/api/v1/activities/",
        {
            "unit_code": "25405-THBB",
            "kind": "article",
            "date": "2025-10-02",
            "title": "Bài viết về chuyển đổi số",
            "items": 1,
            "audience": 1200,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    negative = api_client.post(
        "/api/v1/activities/",
        {
            "unit_code": "25405-THBB",
            "kind": "article",
            "date": "2025-10-02",
            "title": "X",
            "items": -1,
        },
        format="json",
    )
    assert negative.status_code == 400 and "items" in negative.json()
    assert [a["title"] for a in api_client.get("/api/v1/activities/").json()["results"]] == [
        "Bài viết về chuyển đổi số"
    ]
    assert Activity.objects.get().date == datetime.date(2025, 10, 2)


def _sheet(rows):
    import io

    from openpyxl import load_workbook

    from lantoa.activities.spreadsheets import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx()))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_10000_row_sheet_with_bad_rows_saves_nothing_and_names_them(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    good = [
        "25405-THBB",
        "meeting",
        "05/03/2025",
        "Sinh hoạt chuyên đề",
        20,
        15,
        None,
        None,
        None,
        None,
        None,
    ]
    rows = [list(good) for _ in range(10_000)]
    rows[99][4] = -5  # row 101
    rows[4999][0] = "26104"  # row 5001: a ward the user does not cover
    rows[9998][2] = "31/02/2025"  # row 10000
    response = client.post(
        reverse("activities:import"), {"file": SimpleUploadedFile("a.xlsx", _sheet(rows))}
    )
    errors = response.context["errors"]
    assert [e.split(":")[0] for e in errors] == ["Dòng 101", "Dòng 5001", "Dòng 10000"]
    assert "không âm" in errors[0] and "26104" in errors[1] and "31/02/2025" in errors[2]
    assert not Activity.objects.exists()

    rows[99][4], rows[4999][0], rows[9998][2] = 20, "25405-THBB", "05/03/2025"
    response = client.post(
        reverse("activities:import"), {"file": SimpleUploadedFile("a.xlsx", _sheet(rows))}
    )
    assert response.status_code == 302
    assert Activity.objects.filter(unit=tree.school, origin="imported").count() == 10_000
