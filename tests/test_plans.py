"""Plans as a focal point uses them: upload, review, confirm, revise, sheets, cascade, tasks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.core.text import fold
from lantoa.orgs.choices import Role
from lantoa.orgs.models import OrgUnit
from lantoa.plans import services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.models import Plan, PlanImport, Task

from .documents import SMALL_PLAN, seed_text


@pytest.fixture
def focal(tree, client, make_user):
    user = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(user)
    return user


def _upload(client, unit, name, data):
    return client.post(
        reverse("plans:upload"), {"unit": unit.pk, "file": SimpleUploadedFile(name, data)}
    )


def _confirm_payload(page) -> dict:
    """The review form as the browser would submit it, unchanged."""
    data = {}
    for form in (page.context["header"],):
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    for formset in (page.context["targets"], page.context["tasks"], page.context["proposals"]):
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset:
            for field in form:
                value = field.value()
                if isinstance(value, bool):
                    if value:
                        data[field.html_name] = "on"
                    continue
                data[field.html_name] = "" if value is None else value
    data["confirm"] = "1"
    return data


def test_upload_review_confirm(tree, client, focal):
    response = _upload(client, tree.bombo, "bombo.txt", seed_text("bom-bo-63-KH-UBND.txt").encode())
    assert response.status_code == 302
    staged = PlanImport.objects.get()
    assert not Plan.objects.exists()  # nothing saved before confirmation
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "63/KH-UBND" in html and "Nhiém vu thwong" in html  # the source beside the extraction
    # The seed is a scan read by an English OCR model: it is understood with its diacritics
    # restored, and the text as read is kept and shown beside the restored one.
    assert staged.original_text == seed_text("bom-bo-63-KH-UBND.txt")
    assert "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị" in staged.source_text
    assert "Diacritics restored" in html or "Đã khôi phục dấu" in html
    assert "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị" in html
    # Units of "Tổ chức thực hiện" that the tree lacks are proposed, never created silently.
    proposed = [f["name"].value() for f in page.context["proposals"]]
    assert any("truong hoc" in fold(name) for name in proposed)
    assert OrgUnit.objects.filter(code__startswith="25405-").count() == 2

    payload = _confirm_payload(page)
    payload["tasks-0-keep"] = ""  # the reviewer drops one task
    payload["units-0-create"] = "on"
    payload["units-0-code"] = "25405-TRUONG"
    payload["units-0-kind"] = "school"
    done = client.post(response["Location"], payload)
    assert done.status_code == 302, done.context and [f.errors for f in done.context["tasks"]]
    plan = Plan.objects.get()
    assert done["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (
        plan.number == "63/KH-UBND"
        and plan.tasks.count() == 23
        and plan.targets.filter(value__isnull=False).count() == 4
    )
    assert OrgUnit.objects.filter(code="25405-TRUONG").exists()
    assert plan.responsible_units.filter(unit__code="25405-TRUONG").exists()
    staged.refresh_from_db()
    assert staged.status == "confirmed"
    detail = client.get(done["Location"]).content.decode()
    assert "Chuyên mục NQ57" in detail or "Cán bộ" in detail or "targets" in detail


def test_review_rejects_bad_values_and_saves_nothing(tree, client, focal):
    response = _upload(client, tree.bombo, "k.txt", SMALL_PLAN.encode())
    page = client.get(response["Location"])
    payload = _confirm_payload(page)
    payload["targets-0-value"] = "250"
    payload["tasks-1-due_year"] = ""
    again = client.post(response["Location"], payload)
    assert again.status_code == 200
    assert again.context["targets"].forms[0].errors and again.context["tasks"].forms[1].errors
    assert not Plan.objects.exists()


def test_discard(tree, client, focal):
    response = _upload(client, tree.bombo, "k.txt", SMALL_PLAN.encode())
    client.post(response["Location"], {"discard": "1"})
    assert PlanImport.objects.get().status == "discarded" and not Plan.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        (
            "english.txt",
            ("This plan is about the communication of science and technology. " * 20).encode(),
        ),
        (
            "no-plan.txt",
            ("Ủy ban nhân dân xã thông báo lịch tiếp công dân trong tháng. " * 10).encode(),
        ),
    ],
)
def test_documents_that_are_not_plans_are_refused(tree, client, focal, name, data):
    response = _upload(client, tree.bombo, name, data)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not PlanImport.objects.exists()


def test_reporter_cannot_import(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    response = _upload(client, tree.bombo, "k.txt", SMALL_PLAN.encode())
    assert response.status_code == 200 and response.context["form"].errors["unit"]


def _import(unit, text, name="k.txt"):
    source = read_document(text.encode(), filename=name)
    return services.plan_import(
        actor=None, unit=unit, source=source, extracted=extract_plan(source.text), filename=name
    )


def test_revision_shows_changes_and_keeps_progress(tree, client, focal):
    plan = _import(tree.bombo, SMALL_PLAN)
    first = plan.tasks.get(order=0)
    first.status = "done"
    first.save()
    revised = SMALL_PLAN.replace(
        "a) Cử cán bộ tham gia lớp tập huấn kỹ năng truyền thông số do tỉnh tổ chức (Hằng năm).",
        "a) Cử cán bộ tham gia lớp tập huấn kỹ năng truyền thông số do tỉnh tổ chức (Hằng năm).\n"
        "b) Tổ chức hội thi tìm hiểu về chuyển đổi số cho đoàn viên thanh niên (Hằng năm).",
    )
    response = _upload(client, tree.bombo, "k2.txt", revised.encode())
    page = client.get(response["Location"])
    kinds = [c.kind for c in page.context["changes"]]
    assert kinds.count("added") == 1 and kinds.count("removed") == 0
    client.post(response["Location"], _confirm_payload(page))
    plan.refresh_from_db()
    new = Plan.objects.get(status="active")
    assert plan.status == "replaced" and new.tasks.count() == 4
    assert new.tasks.get(order=0).status == "done"


def test_duplicate_number_without_revision_is_refused(tree):
    _import(tree.bombo, SMALL_PLAN)
    with pytest.raises(Exception, match="12/KH-UBND"):
        _import(tree.bombo, SMALL_PLAN)


def test_cascade_links_both_ways(tree, client, focal):
    province = services.plan_create(
        actor=None, unit=tree.dongnai, number="45/KH-UBND", title="Kế hoạch tỉnh"
    )
    commune = _import(tree.bombo, SMALL_PLAN)
    assert commune.legal_bases.get(reference="45/KH-UBND").parent == province
    client.force_login(
        __import__("lantoa.orgs.models", fromlist=["User"]).User.objects.create_superuser(
            "root", "r@x.vn", "x"
        )
    )
    page = client.get(reverse("plans:detail", args=[province.pk])).content.decode()
    assert reverse("plans:detail", args=[commune.pk]) in page


def test_cascade_links_a_reference_however_its_number_is_spelt(tree):
    """The province's plan typed as "45/KH–UBND" (an en dash) is the one a commune's plan
    citing 45/KH-UBND names; a replaced version is not linked."""
    old = services.plan_create(actor=None, unit=tree.dongnai, number="45/KH-UBND", title="Cũ")
    Plan.objects.filter(pk=old.pk).update(status="replaced")
    province = services.plan_create(
        actor=None, unit=tree.dongnai, number="45/KH–UBND", title="Kế hoạch tỉnh"
    )
    commune = _import(tree.bombo, SMALL_PLAN)
    assert commune.legal_bases.get(reference="45/KH-UBND").parent == province


def test_cascade_page_measures_plans_issued(tree, client, make_user):
    _import(tree.bombo, SMALL_PLAN)
    client.force_login(make_user(tree.dongnai, Role.FOCAL_POINT))
    page = client.get(reverse("plans:cascade", args=[tree.dongnai.pk]))
    assert page.context["issued"] == 1 and page.context["share"] == 50


def test_task_sheet_round_trip_and_bad_rows(tree, client, focal):
    plan = _import(tree.bombo, SMALL_PLAN)
    sheet = client.get(reverse("plans:task-sheet", args=[plan.pk]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][3] == "Nhiệm vụ thường xuyên"
    book.active.cell(row=2, column=9, value="Đang thực hiện")
    book.active.append(
        [None, "3", "Tổ chức ngày hội chuyển đổi số", "hang nam", None, None, None, None, None]
    )
    good = io.BytesIO()
    book.save(good)
    response = client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("t.xlsx", good.getvalue())},
    )
    assert response.status_code == 302
    assert plan.tasks.count() == 4 and plan.tasks.get(order=0).status == "in_progress"
    assert plan.tasks.get(text="Tổ chức ngày hội chuyển đổi số").timing == "annual"

    book.active.append([999999, "3", "X", None, None, None, None, None, None])
    book.active.append([None, "3", "", "mãi mãi", "năm sau", None, None, None, None])
    bad = io.BytesIO()
    book.save(bad)
    response = client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("t.xlsx", bad.getvalue())},
        follow=True,
    )
    notes = [str(m) for m in response.context["messages"]]
    assert any("6" in n and "999999" in n for n in notes) and any("7" in n for n in notes)
    # 3 tasks + the one the good upload added; the bad upload changed nothing.
    assert Task.objects.filter(plan=plan).count() == 4


def test_my_tasks_and_home(tree, client, make_user):
    _import(tree.bombo, SMALL_PLAN)
    client.force_login(make_user(tree.bombo, Role.REPORTER))
    page = client.get(reverse("plans:my-tasks")).content.decode()
    assert "Duy trì chuyên mục" in page
    home = client.get(reverse("home"))
    assert home.context["task_count"] == 3
    assert [(d["date"].day, d["date"].month) for d in home.context["deadlines"]][:1] in (
        [(15, 6)],
        [(15, 12)],
    )
    client.force_login(make_user(tree.xuanlap, Role.REPORTER))
    assert "Duy trì chuyên mục" not in client.get(reverse("plans:my-tasks")).content.decode()


def test_plan_by_hand(tree, client, focal):
    response = client.post(
        reverse("plans:create"),
        {"unit": tree.bombo.pk, "number": "7/KH-UBND", "title": "", "references": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["title"]
    response = client.post(
        reverse("plans:create"),
        {
            "unit": tree.bombo.pk,
            "number": "7/KH-UBND",
            "title": "Kế hoạch tuyên truyền",
            "references": "1169/QĐ-TTg",
        },
    )
    assert response.status_code == 302
    assert Plan.objects.get().legal_bases.get().reference == "1169/QĐ-TTg"


def test_plans_api(tree, api_client, make_user):
    plan = _import(tree.bombo, SMALL_PLAN)
    _import(tree.xuanlap, SMALL_PLAN.replace("12/KH-UBND", "13/KH-UBND"))
    api_client.force_authenticate(make_user(tree.bombo, Role.VIEWER))
    listed = api_client.get("/api/v1/plans/").json()["results"]
    assert [p["number"] for p in listed] == ["12/KH-UBND"]
    detail = api_client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert [t["value"] for t in detail["targets"]] == ["100.00", "80.00"]
    assert detail["targets"][0]["indicator"] == "officials_informed"
    assert [t["timing"] for t in detail["tasks"]] == ["ongoing", "once", "annual"]
    assert detail["report_deadlines"] == [{"day": 15, "month": 6}, {"day": 15, "month": 12}]
    tasks = api_client.get("/api/v1/tasks/", {"timing": "once"}).json()["results"]
    assert [t["due_year"] for t in tasks] == [2025]


def test_plan_edited_by_hand(tree, client, focal):
    plan = _import(tree.bombo, SMALL_PLAN)
    page = client.get(reverse("plans:edit", args=[plan.pk]))
    data = {"plan-number": "12/KH-UBND", "plan-date": "2025-09-05", "plan-title": "Kế hoạch sửa"}
    formset = page.context["tasks"]
    for key, value in formset.management_form.initial.items():
        data[f"tasks-{key}"] = value
    for index, form in enumerate(formset.forms):
        for name in ("id", "group", "text", "timing", "due_year", "output", "status"):
            value = form.initial.get(name)
            data[f"tasks-{index}-{name}"] = "" if value is None else value
    data["tasks-0-status"] = "done"
    data["tasks-2-DELETE"] = "on"
    data["tasks-3-text"] = "Tổ chức ngày hội chuyển đổi số"
    data["tasks-3-timing"] = "once"
    data["tasks-3-status"] = "not_started"
    missing_year = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert missing_year.status_code == 200 and missing_year.context["tasks"].forms[3].errors
    data["tasks-3-due_year"] = "2026"
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch sửa"
    assert list(plan.tasks.values_list("status", flat=True)) == [
        "done",
        "not_started",
        "not_started",
    ]
    assert plan.tasks.last().due_year == 2026


def test_oversized_upload_is_refused_before_reading(tree, client, focal, settings):
    settings.PLAN_MAX_BYTES = 1024 * 1024
    response = _upload(client, tree.bombo, "big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 200 and "2.0" in str(response.context["form"].errors["file"])
    assert not PlanImport.objects.exists()


def test_scanned_pdf_is_read_in_the_background_with_progress(
    tree, client, focal, django_capture_on_commit_callbacks
):
    from .documents import scanned_pdf_bytes

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(client, tree.bombo, "scan.pdf", scanned_pdf_bytes(SMALL_PLAN, pages=2))
    staged = PlanImport.objects.get()
    assert staged.status == "reading" and staged.pages_total == 2
    waiting = client.get(response["Location"])
    assert b'http-equiv="refresh"' in waiting.content and b"<progress" in waiting.content
    for callback in callbacks:  # the worker's turn (in-process backend in the tests)
        callback()
    staged.refresh_from_db()
    assert staged.status == "pending" and staged.pages_done == 2 and staged.source_kind == "pdf-ocr"
    page = client.get(response["Location"])
    assert page.context["extracted"].number == "12/KH-UBND"


def test_unreadable_scan_fails_with_a_reason(
    tree, client, focal, django_capture_on_commit_callbacks
):
    from PIL import Image

    blank = io.BytesIO()
    Image.new("L", (600, 800), 255).save(blank, format="PDF")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, tree.bombo, "blank.pdf", blank.getvalue())
    page = client.get(response["Location"])
    assert PlanImport.objects.get().status == "failed"
    assert b'class="errors"' in page.content and not Plan.objects.exists()


def test_a_school_sees_its_communes_plan_and_its_tasks(tree, client, make_user):
    text = SMALL_PLAN.replace(
        "a) Cử cán bộ tham gia", "a) Chủ trì: Trường Tiểu học Bom Bo. Cử giáo viên tham gia"
    )
    plan = _import(tree.bombo, text)
    client.force_login(make_user(tree.school, Role.REPORTER))
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    mine = client.get(reverse("plans:my-tasks")).content.decode()
    assert "Cử giáo viên tham gia" in mine and "Duy trì chuyên mục" not in mine
    # Reaching upward is for reading: the school cannot edit the commune's plan.
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 403
    # A sibling commune's plan stays out of reach.
    other = _import(tree.xuanlap, SMALL_PLAN.replace("12/KH-UBND", "14/KH-UBND"))
    assert client.get(reverse("plans:detail", args=[other.pk])).status_code == 404


def test_task_sheet_applies_the_lead_and_coordinating_units(tree, client, focal):
    """The sheet's "Lead unit" and "Coordinating units" columns are applied, not dropped: the
    names typed are linked to units of the tree where they match; a row naming the same units
    as before keeps them as they are; an emptied cell removes them."""
    plan = _import(tree.bombo, SMALL_PLAN)
    first, second, third = plan.tasks.order_by("order")
    kept = list(third.assignments.values_list("pk", flat=True))
    book = load_workbook(
        io.BytesIO(client.get(reverse("plans:task-sheet", args=[plan.pk])).content)
    )
    by_id = {row[0].value: row for row in book.active.iter_rows(min_row=2)}
    by_id[first.pk][5].value = "Phòng Văn hóa - Xã hội"
    by_id[first.pk][6].value = "Trường Tiểu học Bom Bo; Hội Cựu chiến binh xã"
    by_id[second.pk][5].value = None
    by_id[second.pk][6].value = None
    sheet = io.BytesIO()
    book.save(sheet)
    response = client.post(
        reverse("plans:task-sheet-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("t.xlsx", sheet.getvalue())},
    )
    assert response.status_code == 302
    assert [(a.role, a.name, a.unit) for a in first.assignments.order_by("role", "pk")] == [
        ("lead", "Phòng Văn hóa - Xã hội", tree.vhxh),
        ("support", "Trường Tiểu học Bom Bo", tree.school),
        ("support", "Hội Cựu chiến binh xã", None),
    ]
    assert not second.assignments.exists()
    assert list(third.assignments.values_list("pk", flat=True)) == kept


def test_plan_edit_saves_without_typing_in_the_empty_rows_for_new_tasks(tree, client, focal):
    """As a browser posts the edit page: the two empty rows for new tasks carry the status
    their select shows; left untouched, they are no new tasks and no error."""
    plan = _import(tree.bombo, SMALL_PLAN)
    tasks = list(plan.tasks.order_by("order"))
    data = {
        "plan-number": plan.number, "plan-title": "Kế hoạch đã sửa", "plan-issuer": "UBND xã",
        "tasks-TOTAL_FORMS": str(len(tasks) + 2), "tasks-INITIAL_FORMS": str(len(tasks)),
    }  # fmt: skip
    for i, task in enumerate(tasks):
        data |= {f"tasks-{i}-id": str(task.pk), f"tasks-{i}-text": task.text,
                 f"tasks-{i}-timing": task.timing, f"tasks-{i}-status": task.status,
                 f"tasks-{i}-due_year": task.due_year or ""}  # fmt: skip
    for i in (len(tasks), len(tasks) + 1):
        data[f"tasks-{i}-status"] = "not_started"  # the select's first option
    data[f"tasks-{len(tasks) - 1}-DELETE"] = "on"
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch đã sửa" and plan.tasks.count() == len(tasks) - 1
