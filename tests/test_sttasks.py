"""The register of state-funded S&T tasks: recording, bad input refused with nothing saved, the
sheet (all or nothing, bad rows by number), accent-blind search, scoping, a state secret kept off
every public surface, and the "registered" and "communicated" indicators computed from it."""

from __future__ import annotations

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lantoa.activities import services as activity_services
from lantoa.analytics.computation import compute_all
from lantoa.content.choices import ContentStatus
from lantoa.orgs.choices import Role
from lantoa.programme import sttasks_selectors as selectors
from lantoa.programme import sttasks_services as services
from lantoa.programme import sttasks_sheets as sheets
from lantoa.programme.models import STTask
from lantoa.programme.sttasks_choices import MAX_AMOUNT, STTaskLevel, STTaskStatus
from tests.test_public_section import publish

SECRET_TITLE = "Nghiên cứu mật mã quốc phòng bí mật"


def values(**changes) -> dict:
    base = {
        "code": "ĐTCS.2025.01",
        "title": "Ứng dụng IoT trong tưới tiêu cà phê",
        "level": STTaskLevel.PROVINCIAL,
        "host_organisation": "Viện Khoa học Kỹ thuật Nông lâm nghiệp Tây Nguyên",
        "lead_researcher": "Nguyễn Văn An",
        "budget": 850_000_000,
        "start_year": 2025,
        "end_year": 2026,
        "status": STTaskStatus.IN_PROGRESS,
        "registered": True,
        "registration_number": "2025-64-001",
        "registration_date": datetime.date(2025, 3, 15),
        "secret": False,
    }
    return base | changes


@pytest.fixture
def secret_and_public(tree):
    public = services.sttask_create(actor=None, unit=tree.skhcn, values=values())
    secret = services.sttask_create(
        actor=None,
        unit=tree.skhcn,
        values=values(code="MAT.01", title=SECRET_TITLE, secret=True, registered=False),
    )
    return public, secret


def test_a_task_is_recorded_with_every_field_and_audited(tree, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    task = services.sttask_create(actor=reporter, unit=tree.skhcn, values=values())
    task.refresh_from_db()
    assert task.title == "Ứng dụng IoT trong tưới tiêu cà phê"
    assert task.budget == 850_000_000 and task.level == STTaskLevel.PROVINCIAL
    assert task.registration_number == "2025-64-001" and task.recorded_by == reporter
    entry = LogEntry.objects.get_for_object(task).get()
    assert entry.actor == reporter


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_year": 2024}, "end_year"),
        ({"budget": -1}, "budget"),
        ({"budget": MAX_AMOUNT + 1}, "budget"),
        ({"budget": "mười tỷ"}, "budget"),
        ({"start_year": 1890}, "start_year"),
        ({"registered": True, "registration_number": ""}, "registration_number"),
        ({"level": "galactic"}, "level"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(tree, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.sttask_create(actor=None, unit=tree.skhcn, values=values(**changes))
    assert field in refused.value.message_dict
    assert not STTask.objects.exists()


def test_the_end_year_message_is_in_vietnamese(tree, client, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    client.force_login(reporter)
    data = values(end_year=2020, registration_date="2025-03-15")
    data = {k: v for k, v in data.items() if v not in (False, None)}
    response = client.post(
        reverse("programme:sttask-create"),
        {**data, "unit": tree.skhcn.pk},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "Năm kết thúc trước năm bắt đầu" in response.content.decode()
    assert not STTask.objects.exists()


def test_a_unit_without_the_right_to_record_cannot_add_a_task(tree, make_user):
    viewer = make_user(tree.skhcn, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.sttask_create(actor=viewer, unit=tree.skhcn, values=values())
    assert not STTask.objects.exists()


def test_search_ignores_accents(tree, make_user):
    services.sttask_create(actor=None, unit=tree.skhcn, values=values())
    services.sttask_create(
        actor=None, unit=tree.skhcn, values=values(code="B2", title="Giống lúa chịu hạn")
    )
    viewer = make_user(tree.skhcn, Role.VIEWER)
    found = selectors.sttask_list(viewer=viewer, q="ung dung iot")
    assert [t.title for t in found] == ["Ứng dụng IoT trong tưới tiêu cà phê"]
    assert [t.code for t in selectors.sttask_list(viewer=viewer, q="dtcs")] == ["ĐTCS.2025.01"]


def test_a_secret_task_is_never_in_a_public_list(secret_and_public, tree):
    public, secret = secret_and_public
    assert list(selectors.public_tasks()) == [public]
    assert list(STTask.objects.public()) == [public]
    with pytest.raises(Exception) as missing:
        selectors.public_check(secret)
    assert missing.type.__name__ == "Http404"
    assert selectors.public_check(public) is public


def test_a_secret_task_is_seen_only_by_those_who_record_for_its_host(
    secret_and_public, tree, make_user
):
    public, secret = secret_and_public
    viewer = make_user(tree.skhcn, Role.VIEWER)
    reporter = make_user(tree.skhcn, Role.REPORTER)
    other_reporter = make_user(tree.dongnai, Role.REPORTER)
    assert set(STTask.objects.restrict(viewer)) == {public}
    assert set(STTask.objects.restrict(reporter)) == {public, secret}
    assert set(STTask.objects.restrict(other_reporter)) == set()


def test_public_surfaces_never_show_a_secret_task_nor_its_links(
    secret_and_public, tree, client, api_client, make_user
):
    public, secret = secret_and_public
    author = make_user(tree.skhcn, Role.EDITOR)
    told = publish(tree.skhcn, author, "Bài giới thiệu đề tài IoT cà phê")
    hidden = publish(tree.skhcn, author, "Bài về đề tài mật")
    services.sttask_edit(actor=None, task=public, values={}, content_items=[told])
    services.sttask_edit(actor=None, task=secret, values={}, content_items=[hidden])

    page = client.get(reverse("programme:sttask-public", args=[tree.skhcn.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert public.title in text and told.title in text
    assert SECRET_TITLE not in text and "MAT.01" not in text and hidden.title not in text

    # The public section, its feeds, the national feeds and the sitemap (content's surfaces).
    for url in (
        f"/u/{tree.skhcn.code}/",
        f"/u/{tree.skhcn.code}/feed.atom",
        f"/u/{tree.skhcn.code}/feed.rss",
        "/u/feed.atom",
        "/u/",
        "/sitemap.xml",
        reverse("programme:sttask-public", args=[tree.langson.code]),
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET_TITLE.encode() not in body, url

    # The assistant answers from published documents only: nothing of the secret task.
    asked = api_client.post(
        "/api/v1/assistant/ask/",
        {"question": "nghien cuu mat ma quoc phong", "unit": tree.skhcn.code},
        format="json",
    )
    assert asked.status_code == 200 and SECRET_TITLE not in asked.content.decode()

    # The API: anonymous callers get nothing; a viewer of the host unit no secret.
    assert api_client.get("/api/v1/st-tasks/").status_code in (401, 403)
    assert api_client.get(f"/api/v1/st-tasks/{secret.pk}/").status_code in (401, 403)
    api_client.force_authenticate(make_user(tree.skhcn, Role.VIEWER))
    listed = api_client.get("/api/v1/st-tasks/").json()["results"]
    assert [row["code"] for row in listed] == [public.code]
    assert api_client.get(f"/api/v1/st-tasks/{secret.pk}/").status_code == 404

    # The register's own pages: a viewer neither lists nor opens the secret.
    client.force_login(make_user(tree.skhcn, Role.VIEWER))
    assert SECRET_TITLE not in client.get(reverse("programme:sttask-list")).content.decode()
    assert client.get(reverse("programme:sttask-detail", args=[secret.pk])).status_code == 404


def test_the_reporter_of_the_host_sees_the_secret_through_the_api(
    secret_and_public, tree, api_client, make_user
):
    public, secret = secret_and_public
    api_client.force_authenticate(make_user(tree.skhcn, Role.REPORTER))
    codes = {row["code"] for row in api_client.get("/api/v1/st-tasks/").json()["results"]}
    assert codes == {public.code, secret.code}


def test_the_api_records_a_task_and_refuses_a_bad_one(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.skhcn, Role.REPORTER))
    body = values(registration_date="2025-03-15") | {"unit_code": tree.skhcn.code}
    created = api_client.post("/api/v1/st-tasks/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["budget"] == 850_000_000
    bad = api_client.post(
        "/api/v1/st-tasks/", body | {"code": "X2", "end_year": 2020}, format="json"
    )
    assert bad.status_code == 400 and "end_year" in bad.json()
    negative = api_client.post(
        "/api/v1/st-tasks/", body | {"code": "X3", "budget": -5}, format="json"
    )
    assert negative.status_code == 400
    assert STTask.objects.count() == 1


def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([str(c.header) for c in sheets.COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = ["A1", "Đề tài A", "Cấp tỉnh", "Viện A", "Trần B", 100_000_000, 2025, 2026,
        "Đang thực hiện", "x", "2025-1", "15/03/2025", ""]  # fmt: skip


def test_a_sheet_is_imported_whole(tree, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    rows = [
        GOOD,
        ["A2", "Đề tài B", "provincial", "Viện B", "", "", 2024, 2027, "", "", "", "", "x"],
    ]
    created = sheets.sttasks_import(actor=reporter, unit=tree.skhcn, data=_sheet(rows))
    assert [t.code for t in created] == ["A1", "A2"]
    second = STTask.objects.get(code="A2")
    assert second.secret and second.status == STTaskStatus.PROPOSED and second.budget is None
    assert STTask.objects.get(code="A1").registration_date == datetime.date(2025, 3, 15)


def test_bad_sheet_rows_are_reported_by_number_and_nothing_is_saved(tree, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    rows = [
        GOOD,
        ["A2", "Đề tài B", "Cấp tỉnh", "Viện B", "", 5, 2026, 2024, "", "", "", "", ""],
        ["A3", "Đề tài C", "Cấp tỉnh", "Viện C", "", -100, 2025, 2025, "", "", "", "", ""],
        ["A1", "Trùng mã", "Cấp tỉnh", "Viện D", "", 1, 2025, 2025, "", "", "", "", ""],
    ]
    with pytest.raises(ValidationError) as refused:
        sheets.sttasks_import(actor=reporter, unit=tree.skhcn, data=_sheet(rows))
    messages = refused.value.messages
    assert any(m.startswith("Dòng 3") for m in messages)
    assert any(m.startswith("Dòng 4") for m in messages)
    assert not STTask.objects.exists()


def test_duplicate_codes_in_one_sheet_are_refused_whole(tree, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    with pytest.raises(ValidationError) as refused:
        sheets.sttasks_import(actor=reporter, unit=tree.skhcn, data=_sheet([GOOD, GOOD]))
    assert any(m.startswith("Dòng 3") for m in refused.value.messages)
    assert not STTask.objects.exists()


def test_export_then_import_gives_the_same_tasks(tree, make_user, client):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    services.sttask_create(actor=None, unit=tree.skhcn, values=values())
    client.force_login(reporter)
    response = client.get(reverse("programme:sttask-export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.cell(2, 2).value == "Ứng dụng IoT trong tưới tiêu cà phê"
    other = make_user(tree.langson, Role.REPORTER)
    imported = sheets.sttasks_import(actor=other, unit=tree.langson, data=response.content)
    assert imported[0].title == "Ứng dụng IoT trong tưới tiêu cà phê"
    assert imported[0].budget == 850_000_000 and imported[0].registration_number == "2025-64-001"


def test_the_pages_record_edit_and_show_a_task(tree, client, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    client.force_login(reporter)
    data = values(registration_date="2025-03-15", lead_researcher="Lê Thị Hoa")
    form = {k: v for k, v in data.items() if v is not False} | {"unit": tree.skhcn.pk}
    response = client.post(reverse("programme:sttask-create"), form)
    task = STTask.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{task.pk}/")
    edit = client.post(
        reverse("programme:sttask-edit", args=[task.pk]),
        form | {"status": STTaskStatus.ACCEPTED, "budget": "900000000"},
    )
    assert edit.status_code == 302
    page = client.get(reverse("programme:sttask-detail", args=[task.pk])).content.decode()
    assert "Lê Thị Hoa" in page and "900.000.000" in page
    assert (
        client.get(reverse("programme:sttask-list"), {"q": "tuoi tieu"})
        .content.decode()
        .count("Ứng dụng IoT")
        == 1
    )


def test_the_indicators_count_registered_and_communicated_tasks_without_secrets(tree, make_user):
    author = make_user(tree.skhcn, Role.EDITOR)
    told = publish(tree.skhcn, author, "Giới thiệu kết quả đề tài")
    draft = publish(tree.skhcn, author, "Bản nháp", status=ContentStatus.DRAFT)
    registered_told = services.sttask_create(actor=None, unit=tree.skhcn, values=values(code="R1"))
    services.sttask_edit(actor=None, task=registered_told, values={}, content_items=[told])
    event_only = services.sttask_create(
        actor=None, unit=tree.skhcn, values=values(code="R2", registered=False)
    )
    activity = activity_services.activity_record(
        actor=None,
        unit=tree.skhcn,
        kind="event",
        date=datetime.date(2025, 6, 1),
        title="Hội thảo giới thiệu đề tài",
    )
    services.sttask_edit(actor=None, task=event_only, values={}, activities=[activity])
    draft_only = services.sttask_create(
        actor=None, unit=tree.skhcn, values=values(code="R3", registered=False)
    )
    services.sttask_edit(actor=None, task=draft_only, values={}, content_items=[draft])
    # Neither a proposal nor a secret counts, on either side.
    services.sttask_create(
        actor=None, unit=tree.skhcn, values=values(code="P1", status=STTaskStatus.PROPOSED)
    )
    services.sttask_create(
        actor=None, unit=tree.skhcn, values=values(code="S1", secret=True, registered=False)
    )
    found = {
        v.code: v
        for v in compute_all(
            unit=tree.langson,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            codes=["st_tasks_registered", "st_tasks_communicated"],
        )
    }
    registered, communicated = found["st_tasks_registered"], found["st_tasks_communicated"]
    assert (registered.numerator, registered.denominator) == (1, 3)
    assert (communicated.numerator, communicated.denominator) == (2, 3)
    assert communicated.display == "66,7%"
    # A unit without a task has no share at all, not 0 %.
    empty = compute_all(
        unit=tree.dongnai,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        codes=["st_tasks_registered"],
    )[0]
    assert empty.display == "—"


def test_linking_content_outside_the_scope_is_refused(tree, make_user):
    reporter = make_user(tree.skhcn, Role.REPORTER)
    outsider = publish(tree.bombo, make_user(tree.bombo, Role.EDITOR), "Tin của xã khác")
    with pytest.raises(ValidationError):
        services.sttask_create(
            actor=reporter, unit=tree.skhcn, values=values(), content_items=[outsider]
        )
    assert not STTask.objects.exists()


def test_the_demo_fills_the_register_through_the_services_once(tree):
    from lantoa.portal.demo.programme_sttasks import load_demo_sttasks

    assert load_demo_sttasks() == 3  # Lạng Sơn's department is in the test tree
    assert load_demo_sttasks() == 0
    assert STTask.objects.filter(secret=True).count() == 1
    assert not selectors.public_tasks().filter(secret=True).exists()
