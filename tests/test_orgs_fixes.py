"""The org tree's trust holes: who wrote through the API, the people list, notices, the 400
page, the API docs under the CSP, the cache warning, the history's caching."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from lantoa.orgs import people, services
from lantoa.orgs.choices import Role
from lantoa.orgs.models import Notification, Person, User
from lantoa.plans.models import Plan, PlanImport


def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Chức vụ", "Loại"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# 1. API writes made with a token name the token holder.
def test_a_role_granted_with_a_token_names_the_token_holder(tree, api_client, make_user):
    from knox.models import get_token_model

    admin = make_user(tree.bombo, Role.ADMINISTRATOR)
    make_user(tree.school, Role.VIEWER, username="giaovien")
    _instance, token = get_token_model().objects.create(user=admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.post(
        reverse("v1:membership-list"),
        {"username": "giaovien", "unit_code": "25405-THBB", "role": Role.REPORTER},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_by_natural_key("orgs", "membership"),
        object_pk=str(response.json()["id"]),
        action=LogEntry.Action.CREATE,
    )
    assert entry.actor == admin


# 2. A plan of 120 tasks can be reviewed and saved in one form.
def test_the_review_of_a_plan_of_120_tasks_is_saved(tree, client, make_user):
    from .test_plans import _confirm_payload

    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    sections = []
    for s in range(1, 13):
        tasks = "\n".join(
            f"{letter}) Nhiệm vụ số {s}.{i} về chuyển đổi số (Hằng năm)."
            for i, letter in enumerate("abcdefghik", start=1)
        )
        sections.append(f"{s}. Nhóm nhiệm vụ {s}\n{tasks}")
    text = (
        "UỶ BAN NHÂN DÂN\nXÃ BOM BO\nSố: 99/KH-UBND\n\nKẾ HOẠCH\nTruyền thông Nghị quyết 57\n\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n" + "\n".join(sections) + "\n\nIII. TỔ CHỨC THỰC HIỆN\n"
    )
    response = client.post(
        reverse("plans:upload"),
        {"unit": tree.bombo.pk, "file": SimpleUploadedFile("k.txt", text.encode())},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    payload = _confirm_payload(page)
    assert len(page.context["tasks"].forms) == 120
    assert len(payload) > 1000
    done = client.post(response["Location"], payload)
    assert done.status_code == 302
    assert Plan.objects.get().tasks.count() == 120
    assert PlanImport.objects.get().status == "confirmed"


# 3. The people list takes each person once.
def test_the_same_person_is_not_added_twice(tree, client, make_user):
    user = make_user(tree.school, Role.REPORTER)
    people.person_save(
        actor=user, unit=tree.school, full_name="Nguyễn Văn An", position="Giáo viên"
    )
    with pytest.raises(ValidationError):
        people.person_save(
            actor=user, unit=tree.school, full_name="nguyen van an", position="GIÁO VIÊN"
        )
    client.force_login(user)
    response = client.post(
        reverse("orgs:people", args=[tree.school.pk]),
        {
            "action": "add",
            "full_name": "Nguyễn Văn  An",
            "position": "Giáo viên",
            "kind": "official",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "đã có trong danh sách" in response.content.decode()
    assert Person.objects.filter(unit=tree.school).count() == 1
    # Correcting the person themselves is not a duplicate; another unit may list the namesake.
    person = Person.objects.get()
    people.person_save(
        actor=user,
        unit=tree.school,
        person=person,
        full_name="Nguyễn Văn An",
        position="Giáo viên",
        kind="staff",
    )
    people.person_save(actor=None, unit=tree.vhxh, full_name="Nguyễn Văn An", position="Giáo viên")


# 4. A malformed notice id is a 400 and marks nothing read.
@pytest.mark.parametrize("value", ["abc", "²", "1.5", "-1"])
def test_a_malformed_notice_id_marks_nothing(tree, client, make_user, value):
    user = make_user(tree.school, Role.REPORTER)
    note = Notification.objects.create(user=user, text="Báo cáo bị trả lại")
    client.force_login(user)
    response = client.post(reverse("notifications-read"), {"id": value})
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_only_when_asked(tree, client, make_user):
    user = make_user(tree.school, Role.REPORTER)
    notes = [Notification.objects.create(user=user, text=f"Thông báo {i}") for i in range(2)]
    client.force_login(user)
    assert client.post(reverse("notifications-read"), {}).status_code == 400
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 2
    page = client.get(reverse("notifications")).content.decode()
    assert 'name="all"' in page
    response = client.post(reverse("notifications-read"), {"all": "1"})
    assert response.status_code == 302
    assert not Notification.objects.filter(pk__in=[n.pk for n in notes], read_at=None).exists()


# 5. The people edit form reads the person's id the shared way; the sheet's size is the setting's.
@pytest.mark.parametrize("value", ["abc", "1.5", "²"])
def test_a_malformed_person_id_is_a_400(tree, client, make_user, value):
    user = make_user(tree.school, Role.REPORTER)
    client.force_login(user)
    response = client.post(
        reverse("orgs:people", args=[tree.school.pk]),
        {"action": "edit", "person": value, "full_name": "Lê C", "kind": "official"},
    )
    assert response.status_code == 400
    assert "person" in response.content.decode()


def test_a_person_of_another_unit_is_not_found(tree, client, make_user):
    other = people.person_save(actor=None, unit=tree.vhxh, full_name="Trần B")
    client.force_login(make_user(tree.school, Role.REPORTER))
    response = client.post(
        reverse("orgs:people", args=[tree.school.pk]),
        {"action": "edit", "person": other.pk, "full_name": "Lê C", "kind": "official"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.full_name == "Trần B"


def test_the_people_sheet_limit_is_the_setting(tree, client, make_user, settings):
    data = _sheet([("Nguyễn Văn An", "Giáo viên", "Cán bộ")])
    settings.SHEET_MAX_BYTES = len(data) - 1
    client.force_login(make_user(tree.school, Role.REPORTER))
    response = client.post(
        reverse("orgs:people", args=[tree.school.pk]),
        {"action": "import", "file": SimpleUploadedFile("ds.xlsx", data)},
    )
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "5 MB" not in response.content.decode()


# 6. The API docs work under the Content-Security-Policy: no inline script.
def test_the_api_docs_have_no_inline_script(tree, client, make_user, settings):
    settings.LANTOA_CSP = True
    client.force_login(make_user(tree.school, Role.REPORTER))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    src = [re.search(r'src="([^"]+)"', a).group(1) for a, _b in scripts]
    local = [s for s in src if s.startswith("/api/docs/")]
    assert local and client.get(local[0].replace("&amp;", "&")).status_code == 200


# 7. The 400 page names only Lantoa's own messages.
def test_the_400_page_does_not_reflect_the_host(client, db):
    response = client.get("/", HTTP_HOST="evil-host.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "evil-host" not in html and "ALLOWED_HOSTS" not in html
    assert "Yêu cầu" in html or "yêu cầu" in html


def test_the_400_page_still_names_a_malformed_parameter(tree, client, make_user):
    user = make_user(tree.school, Role.REPORTER)
    client.force_login(user)
    response = client.post(reverse("notifications-read"), {"id": "abc"})
    assert response.status_code == 400
    assert "“id”" in response.content.decode()


# 8. A slow mail server cannot hang a decision.
def test_mail_has_a_timeout():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 10


# 9. A new account's creation is in its unit's audit log.
def test_a_new_accounts_creation_is_in_its_units_log(tree, make_user):
    admin = make_user(tree.bombo, Role.ADMINISTRATOR)
    user = services.user_create(
        actor=admin,
        username="moi",
        full_name="Người Mới",
        email="moi@example.vn",
        unit=tree.school,
        role=Role.VIEWER,
    )
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk),
        action=LogEntry.Action.CREATE,
    )
    assert entry.additional_data["unit_path"] == tree.school.path
    assert entry.actor == admin


# 10. Production warns when the rate limits live in one process's memory.
def test_a_locmem_cache_outside_debug_is_warned(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "lantoa.W001" in [m.id for m in checks.run_checks()]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://x",
        }
    }
    assert "lantoa.W001" not in [m.id for m in checks.run_checks()]


# 11. Re-importing the people list reads the unit once, not once per person.
def test_the_people_import_reads_the_unit_once(tree):
    def reimport(n):
        rows = [(f"Người số {i}", "Chuyên viên", "Cán bộ") for i in range(n)]
        people.people_import(actor=None, unit=tree.school, data=_sheet(rows))
        with CaptureQueriesContext(connection) as queries:
            people.people_import(actor=None, unit=tree.school, data=_sheet(rows))
        return sum('"orgs_orgunit"' in q["sql"] and "SELECT" in q["sql"] for q in queries)

    assert reimport(3) == reimport(9)


# 12. The history page and its fragment are cached apart.
def test_the_history_varies_on_htmx(tree, client, make_user):
    client.force_login(make_user(tree.school, Role.ADMINISTRATOR))
    response = client.get(reverse("history-orgunit", args=[tree.school.pk]))
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]


# 13. The unit list's parent and under filters read the ids the shared way.
def test_the_unit_filters_are_scoped(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.dongnai, Role.VIEWER))
    url = reverse("v1:unit-list")
    assert api_client.get(url, {"parent": tree.bombo.pk}).status_code == 200
    assert api_client.get(url, {"parent": "abc"}).status_code == 400
    assert api_client.get(url, {"parent": "1.5"}).status_code == 400
    assert api_client.get(url, {"parent": tree.langson.pk}).status_code == 404
    assert api_client.get(url, {"under": "20"}).status_code == 404
    codes = {u["code"] for u in api_client.get(url, {"under": "25405"}).json()["results"]}
    assert "25405-THBB" in codes


def test_notice_mail_is_sent_by_a_task_after_the_commit(
    tree, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    from lantoa.orgs import notifications

    user = make_user(tree.school, Role.REPORTER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify([user], kind="other", text="Báo cáo đã được duyệt")
    assert not mail.outbox
    for callback in callbacks:
        callback()
    (sent,) = mail.outbox
    assert sent.to == [user.email] and "Báo cáo đã được duyệt" in sent.body
