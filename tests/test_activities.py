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
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, SMALL_PLAN)


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


# --- Evidence you can open --------------------------------------------------------------------


def _jpeg_size(data: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def _big_photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2400, 1600), (20, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def test_a_photo_and_a_pdf_show_as_thumbnails_open_as_previews_and_download_safely(
    tree, client, reporter, make_user
):
    from .documents import text_pdf_bytes

    _post(
        client,
        unit=tree.school.pk,
        files=[
            SimpleUploadedFile("Ảnh tập huấn ngày 3 tháng 10.jpg", _big_photo()),
            SimpleUploadedFile("biên bản.pdf", text_pdf_bytes(["Biên bản hội nghị"])),
        ],
    )
    activity = Activity.objects.get()
    photo = activity.evidence.get(content_type="image/jpeg")
    pdf = activity.evidence.get(content_type="application/pdf")

    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    for evidence in (photo, pdf):
        assert reverse("activities:evidence-thumbnail", args=[evidence.pk]) in page
        assert reverse("activities:evidence-download", args=[evidence.pk]) in page
    assert "/media/" not in page

    thumb = client.get(reverse("activities:evidence-thumbnail", args=[photo.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert max(_jpeg_size(thumb.content)) == 320
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in thumb["Content-Security-Policy"]
    preview = client.get(reverse("activities:evidence-preview", args=[photo.pk]))
    assert max(_jpeg_size(preview.content)) == 1280
    pdf_thumb = client.get(reverse("activities:evidence-thumbnail", args=[pdf.pk]))
    assert pdf_thumb.status_code == 200 and max(_jpeg_size(pdf_thumb.content)) == 320

    download = client.get(reverse("activities:evidence-download", args=[photo.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E1%BA%A2nh%20t%E1%BA%ADp%20hu%E1%BA%A5n" in disposition
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == photo.file.open("rb").read()
    # Made once, then served from disk.
    assert photo.file.storage.exists(f"renditions/evidence-{photo.pk}-thumb.jpg")

    # Another commune's focal point, or a stranger, sees nothing; the file has no public address.
    client.force_login(make_user(tree.xuanlap, Role.FOCAL_POINT))
    for name in ("evidence-thumbnail", "evidence-preview", "evidence-download"):
        assert client.get(reverse(f"activities:{name}", args=[photo.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("activities:evidence-download", args=[photo.pk])).status_code == 302
    assert client.get("/media/" + photo.file.name).status_code == 404


def test_a_pixel_bomb_or_a_broken_image_has_no_thumbnail_but_no_error(tree, client, reporter):
    import struct
    import zlib

    # A 30000 × 30000 PNG header: 900 megapixels declared in a few bytes.
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )
    _post(client, unit=tree.school.pk, files=[SimpleUploadedFile("bom.png", bomb)])
    evidence = Evidence.objects.get()
    response = client.get(reverse("activities:evidence-thumbnail", args=[evidence.pk]))
    assert response.status_code == 404
    assert (
        client.get(reverse("activities:evidence-download", args=[evidence.pk])).status_code == 200
    )


# --- Editing and withdrawing ------------------------------------------------------------------


@pytest.fixture
def reporting(tree):
    from lantoa.reports.periods import periods_ensure

    from .documents import REPORTING_PLAN

    source = read_document(REPORTING_PLAN.encode())
    extracted = extract_plan(source.text)
    extracted.tasks[2].lead = ["Trường Tiểu học Bom Bo"]  # the school's own task
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extracted, filename="k.txt"
    )
    return plan, periods_ensure(plan, 2025)[1]  # the year 2025


def _indicator(submission, code):
    return submission.indicator_rows.get(code=code).value


def test_editing_an_activity_is_checked_audited_and_refreshes_the_drafts(
    tree, client, reporter, reporting
):
    from auditlog.models import LogEntry

    from lantoa.reports import services as report_services

    plan, period = reporting
    task = plan.tasks.get(order=2)
    school_draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    _post(
        client, unit=tree.school.pk, date="2025-10-03", participants="30", officials="20",
        tasks=[task.pk], links="https://truong.edu.vn/tin/1",
    )  # fmt: skip
    activity = Activity.objects.get()
    assert _indicator(school_draft, "training_programs") == 1  # refreshed after recording

    page = client.get(reverse("activities:edit", args=[activity.pk]))
    form = page.context["form"]
    assert form["title"].value() == "Tập huấn kỹ năng số cho giáo viên"
    assert str(form["participants"].value()) == "30" and [
        str(t) for t in form["tasks"].value()
    ] == [str(task.pk)]

    # The same checks as recording: nothing half-saved.
    bad = client.post(
        reverse("activities:edit", args=[activity.pk]),
        {"unit": tree.school.pk, "kind": "training", "date": "2025-10-03", "title": "Tập huấn",
         "participants": "10", "officials": "12"},
    )  # fmt: skip
    assert bad.status_code == 200 and bad.context["form"].errors["officials"]
    activity.refresh_from_db()
    assert activity.participants == 30

    link = activity.evidence.get()
    done = client.post(
        reverse("activities:edit", args=[activity.pk]),
        {"unit": tree.school.pk, "kind": "meeting", "date": "2025-10-04",
         "title": "Hội nghị chuyển đổi số", "participants": "40", "officials": "25",
         "remove_evidence": [link.pk], "links": "https://truong.edu.vn/tin/2"},
    )  # fmt: skip
    assert done.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.participants, activity.title) == (
        "meeting",
        40,
        "Hội nghị chuyển đổi số",
    )
    assert [e.url for e in activity.evidence.all()] == ["https://truong.edu.vn/tin/2"]
    assert list(activity.tasks.all()) == []
    updates = LogEntry.objects.get_for_object(activity).filter(action=LogEntry.Action.UPDATE)
    assert {entry.actor for entry in updates} == {reporter}
    changes = {field: change for entry in updates for field, change in entry.changes_dict.items()}
    assert changes["participants"] == ["30", "40"] and changes["kind"] == ["training", "meeting"]
    assert changes["tasks"]["type"] == "m2m"
    # The school's draft and the commune's follow: no more training, one meeting.
    assert _indicator(school_draft, "training_programs") == 0
    rows = {row.task_id: row.activity_count for row in school_draft.task_rows.all()}
    assert rows[task.pk] == 0


def test_a_withdrawn_activity_counts_in_no_figure_list_or_draft(
    tree, client, reporter, reporting, make_user, api_client
):
    from auditlog.models import LogEntry

    from lantoa.analytics.computation import compute_all
    from lantoa.reports import services as report_services

    plan, period = reporting
    draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    _post(client, unit=tree.school.pk, date="2025-10-03", participants="30")
    _post(client, unit=tree.school.pk, date="2025-10-05", title="Tập huấn lần hai")
    first, second = Activity.objects.order_by("pk")
    assert _indicator(draft, "training_programs") == 2

    empty = client.post(reverse("activities:withdraw", args=[first.pk]), {"reason": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    response = client.post(
        reverse("activities:withdraw", args=[first.pk]), {"reason": "Ghi trùng với hoạt động khác"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.withdrawn_at and first.withdrawn_by == reporter

    assert _indicator(draft, "training_programs") == 1
    values = {v.code: v for v in compute_all(unit=tree.bombo, start=period.start, end=period.end)}
    assert values["training_programs"].value == 1
    listed = client.get(reverse("activities:list")).context["page"].object_list
    assert list(listed) == [second]
    withdrawn = client.get(reverse("activities:list") + "?withdrawn=1").context["page"]
    assert list(withdrawn.object_list) == [first]
    page = client.get(reverse("activities:detail", args=[first.pk])).content.decode()
    assert "Ghi trùng với hoạt động khác" in page
    assert reverse("activities:edit", args=[first.pk]) not in page
    assert client.get(reverse("activities:edit", args=[first.pk])).status_code == 302
    entry = LogEntry.objects.get_for_object(first).latest("timestamp")
    assert entry.actor == reporter and "withdrawn_reason" in entry.changes_dict

    api_client.force_authenticate(reporter)
    ids = [a["id"] for a in api_client.get("/api/v1/activities/").json()["results"]]
    assert ids == [second.pk]

    # A viewer of the commune may read but not change.
    client.force_login(make_user(tree.bombo, Role.VIEWER))
    assert client.get(reverse("activities:withdraw", args=[second.pk])).status_code == 403


def test_the_api_edits_and_withdraws_with_the_actor_on_record_and_drafts_refreshed(
    tree, api_client, make_user, reporting
):
    from auditlog.models import LogEntry

    from lantoa.reports import services as report_services

    from .conftest import PASSWORD

    plan, period = reporting
    make_user(tree.school, Role.REPORTER, username="gv.api")
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "gv.api", "password": PASSWORD}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    created = api_client.post(
        "/api/v1/activities/",
        {"unit_code": "25405-THBB", "kind": "training", "date": "2025-10-02", "title": "Tập huấn"},
        format="json",
    ).json()
    assert _indicator(draft, "training_programs") == 1  # the API refreshes the drafts too
    patched = api_client.patch(
        f"/api/v1/activities/{created['id']}/",
        {"kind": "meeting", "participants": 12},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["kind"] == "meeting" and patched.json()["participants"] == 12
    assert _indicator(draft, "training_programs") == 0
    bad = api_client.patch(
        f"/api/v1/activities/{created['id']}/", {"participants": -1}, format="json"
    )
    assert bad.status_code == 400 and "participants" in bad.json()
    withdrawn = api_client.post(
        f"/api/v1/activities/{created['id']}/withdraw/", {"reason": "Nhập nhầm"}, format="json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_reason"] == "Nhập nhầm"
    again = api_client.post(
        f"/api/v1/activities/{created['id']}/withdraw/", {"reason": "Lần nữa"}, format="json"
    )
    assert again.status_code == 400
    entries = LogEntry.objects.filter(object_pk=str(created["id"]), content_type__model="activity")
    assert {e.actor.username for e in entries} == {"gv.api"}
    assert entries.count() >= 3  # recorded, edited, withdrawn


# --- The form on a phone ----------------------------------------------------------------------


def test_the_task_picker_lists_the_units_own_tasks_first_in_full_and_searches(
    tree, client, reporter, reporting
):
    plan, _period = reporting
    page = client.get(reverse("activities:record")).content.decode()
    assert "Loại hoạt động" in page and "Loại đơn vị" not in page
    groups = client.get(reverse("activities:record")).context["form"].fields["tasks"].widget.groups
    own_label, own, _folded = groups[0]
    assert "Trường Tiểu học Bom Bo" in own_label
    assert [t.pk for t in own] == [plan.tasks.get(order=2).pk]
    assert len(groups) == 2 and groups[1][2]  # the others, folded
    long_task = max(plan.tasks.all(), key=lambda t: len(t.text))
    assert long_task.text in page  # whole titles, not cut at 90 characters

    target = plan.tasks.get(order=2)
    word = target.text.split()[-1]
    from lantoa.core.text import fold

    found = client.get(
        reverse("activities:task-options"),
        {"unit": tree.school.pk, "task_q": fold(word), "tasks": []},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'value="{target.pk}"' in found
    others = [
        t for t in plan.tasks.all() if fold(word) not in fold(f"{t.plan} {t.group_title} {t.text}")
    ]
    assert all(f'value="{t.pk}"' not in found for t in others)
    # A task already ticked stays in the list (and ticked) whatever the search.
    if others:
        kept = client.get(
            reverse("activities:task-options"),
            {"unit": tree.school.pk, "task_q": fold(word), "tasks": [others[0].pk]},
        ).content.decode()
        assert f'value="{others[0].pk}" checked' in kept
    # Another commune's unit gives no options.
    foreign = client.get(reverse("activities:task-options"), {"unit": tree.xl_school.pk})
    assert "value=" not in foreign.content.decode()


def test_the_navigation_is_a_menu_on_a_phone_without_javascript(tree, client, reporter):
    page = client.get(reverse("home")).content.decode()
    assert 'type="checkbox" id="navtoggle"' in page and 'for="navtoggle"' in page
    assert page.index('id="navtoggle"') < page.index('class="navpanel"') < page.index("mainnav")


def test_a_sheet_import_refreshes_the_drafts_it_feeds(tree, client, make_user, reporting):
    from lantoa.reports import services as report_services

    _plan, period = reporting
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    draft = report_services.submission_draft(actor=None, period=period, unit=tree.school)
    assert _indicator(draft, "training_programs") == 0
    row = ["25405-THBB", "training", "03/10/2025", "Tập huấn", 20, 15, 2, None, None, None, None]
    response = client.post(
        reverse("activities:import"), {"file": SimpleUploadedFile("a.xlsx", _sheet([row, row]))}
    )
    assert response.status_code == 302
    assert _indicator(draft, "training_programs") == 2


def test_a_long_vietnamese_file_name_is_kept_for_the_download_and_stored_short(
    tree, client, reporter
):
    name = "Ảnh " + "hội nghị triển khai Nghị quyết 57 " * 8 + ".png"
    response = _post(client, unit=tree.school.pk, files=[SimpleUploadedFile(name, png_bytes())])
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name.startswith("Ảnh hội nghị triển khai")
    assert len(evidence.original_name) <= 255 and evidence.original_name.endswith(".png")
    assert evidence.file.name.startswith("evidence/") and "anh-hoi-nghi" in evidence.file.name
    assert len(evidence.file.name) <= 100


def test_the_activity_page_shows_its_history_to_those_who_see_it(tree, client, reporter, make_user):
    _post(client, unit=tree.school.pk, participants="30", links="https://truong.edu.vn/tin/1")
    activity = Activity.objects.get()
    link = activity.evidence.get()
    client.post(
        reverse("activities:edit", args=[activity.pk]),
        {"unit": tree.school.pk, "kind": "meeting", "date": activity.date.isoformat(),
         "title": activity.title, "participants": "40", "remove_evidence": [link.pk]},
    )  # fmt: skip
    client.post(reverse("activities:withdraw", args=[activity.pk]), {"reason": "Ghi trùng"})
    client.force_login(make_user(tree.bombo, Role.VIEWER, full_name="Người Xem"))
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    history = page[page.index('class="history"') :]
    assert reporter.get_full_name() in history
    assert "Số người tham gia</strong>: 30 → 40" in history
    assert "Tập huấn, bồi dưỡng → Họp, hội nghị" in history
    assert "Rút hoạt động" in history or "Đã rút" in history
    assert "https://truong.edu.vn/tin/1" in history  # the link removed, still on record
    assert "Ghi trùng" in history


def test_attendance_of_a_withdrawn_activity_cannot_change(tree):
    from django.core.exceptions import ValidationError

    from lantoa.activities.attendance import attendance_set
    from lantoa.activities.services import activity_record, activity_withdraw
    from lantoa.orgs.models import Person

    Person.objects.create(unit=tree.school, full_name="Nguyễn Văn An")
    activity = activity_record(actor=None, unit=tree.school, kind="meeting",
                               date=datetime.date(2025, 3, 5), title="Họp")  # fmt: skip
    activity_withdraw(actor=None, activity=activity, reason="Nhầm")
    with pytest.raises(ValidationError) as refused:
        attendance_set(actor=None, activity=activity, whole_unit=True)
    assert "rút" in " ".join(refused.value.messages)
    assert not activity.attendance.exists()
