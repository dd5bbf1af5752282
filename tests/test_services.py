"""Org services: what they refuse, and that a refusal leaves nothing half-written."""

import hashlib
import io
import re
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from lantoa.activities.models import Activity
from lantoa.assistant import services as assistant_services
from lantoa.assistant.models import Document
from lantoa.orgs import services
from lantoa.orgs.choices import Role, UnitKind
from lantoa.orgs.models import Membership, OrgUnit, User
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.plans.models import Plan, PlanImport
from lantoa.reports import services as report_services
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN, SMALL_PLAN


def test_focal_point_adds_a_unit_under_its_commune(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    unit = services.unit_create(
        actor=focal,
        parent=tree.bombo,
        code="25405-kt",
        name="  Phòng   Kinh tế ",
        kind=UnitKind.OFFICE,
    )
    assert unit.code == "25405-KT" and unit.name == "Phòng Kinh tế"
    assert OrgUnit.objects.get_parent(unit) == tree.bombo
    assert unit.name_folded == "phong kinh te"


def test_duplicate_code_is_refused_with_the_unit_that_holds_it(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=focal,
            parent=tree.bombo,
            code="25405-thbb",
            name="Trường khác",
            kind=UnitKind.SCHOOL,
        )
    assert "Trường Tiểu học Bom Bo" in str(error.value.message_dict["code"])
    assert OrgUnit.objects.count() == before


def test_provinces_and_communes_cannot_be_added_by_hand(tree, make_user):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=make_user(tree.dongnai, Role.ADMINISTRATOR),
            parent=tree.dongnai,
            code="99999",
            name="Xã Mới",
            kind=UnitKind.COMMUNE,
        )


def test_move_under_own_descendant_is_refused_and_tree_unchanged(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    team = services.unit_create(
        actor=focal,
        parent=tree.vhxh,
        code="25405-TCNS",
        name="Tổ công nghệ số",
        kind=UnitKind.OTHER,
    )
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    for target in (tree.vhxh, team):
        with pytest.raises(ValidationError) as error:
            services.unit_move(actor=focal, unit=tree.vhxh, new_parent=target)
        assert error.value.code == "cycle"
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths


def test_move_carries_the_subtree(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    team = services.unit_create(
        actor=focal,
        parent=tree.vhxh,
        code="25405-TCNS",
        name="Tổ công nghệ số",
        kind=UnitKind.OTHER,
    )
    moved = services.unit_move(actor=focal, unit=tree.vhxh, new_parent=tree.school)
    team.refresh_from_db()
    assert moved.path.startswith(tree.school.path) and team.path.startswith(moved.path)
    assert OrgUnit.objects.get_parent(team) == moved


def test_move_out_of_scope_is_refused(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.unit_move(actor=focal, unit=tree.vhxh, new_parent=tree.xuanlap)


def test_communes_stay_where_the_national_list_puts_them(tree, make_user):
    with pytest.raises(ValidationError):
        services.unit_move(
            actor=make_user(tree.root, Role.ADMINISTRATOR), unit=tree.bombo, new_parent=tree.langson
        )


def test_reporter_cannot_manage_units(tree, make_user):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=make_user(tree.bombo, Role.REPORTER),
            parent=tree.bombo,
            code="X1",
            name="X",
            kind=UnitKind.OTHER,
        )


def test_no_privilege_escalation(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    colleague = make_user(tree.vhxh, Role.VIEWER)  # already in the commune's tree
    services.membership_grant(actor=focal, user=colleague, unit=tree.school, role=Role.REPORTER)
    # A focal point does not hold the administrator's or the editor's rights: cannot grant them.
    for role in (Role.ADMINISTRATOR, Role.EDITOR):
        with pytest.raises(PermissionDenied):
            services.membership_grant(actor=focal, user=colleague, unit=tree.bombo, role=role)
    # Nor any role outside its subtree.
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=focal, user=colleague, unit=tree.xuanlap, role=Role.VIEWER)
    assert list(
        Membership.objects.filter(user=colleague)
        .exclude(unit=tree.vhxh)
        .values_list("role", flat=True)
    ) == [Role.REPORTER]


def test_duplicate_role_and_own_revocation_are_refused(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, user=focal, unit=tree.bombo, role=Role.FOCAL_POINT)
    with pytest.raises(ValidationError):
        services.membership_revoke(actor=focal, membership=focal.memberships.get())
    assert focal.memberships.count() == 1


def test_user_create_is_all_or_nothing(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=focal,
            username="newbie",
            full_name="A",
            email="",
            unit=tree.bombo,
            role=Role.ADMINISTRATOR,
        )
    assert not User.objects.filter(username="newbie").exists()
    user = services.user_create(
        actor=focal,
        username="newbie",
        full_name="Nguyễn Văn A",
        email="a@x.vn",
        unit=tree.school,
        role=Role.REPORTER,
    )
    assert not user.has_usable_password()
    assert user.memberships.get().unit == tree.school


# Four eyes, duplicates refused, one definition of "in force" --------------------------------


def _import(unit, text, actor=None, name="k.txt"):
    source = read_document(text.encode(), filename=name)
    return plan_services.plan_import(
        actor=actor, unit=unit, source=source, extracted=extract_plan(source.text), filename=name
    )


def test_the_submitter_never_approves_their_own_report(tree, make_user):
    """A focal point of the commune may report for its school and approve the school's
    reports, but never both for one report."""
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    other = make_user(tree.bombo, Role.FOCAL_POINT)
    plan = _import(tree.bombo, REPORTING_PLAN)
    period = periods_ensure(plan, 2025)[1]
    draft = report_services.submission_draft(actor=focal, period=period, unit=tree.school)
    submitted = report_services.submission_submit(
        actor=focal, submission=draft, version=draft.version
    )
    with pytest.raises(ValidationError) as refused:
        report_services.submission_approve(actor=focal, submission=submitted)
    assert refused.value.code == "four_eyes"
    assert "không thể tự phê duyệt" in refused.value.messages[0]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    approved = report_services.submission_approve(actor=other, submission=submitted)
    assert approved.status == "approved" and approved.decided_by == other


def _staged(unit, text=SMALL_PLAN, name="k.txt"):
    source = read_document(text.encode(), filename=name)
    staged = PlanImport(unit=unit, filename=name, source_kind="txt", source_text=source.text)
    assert plan_services._stage(staged, source) is None
    staged.file.save(name, ContentFile(text.encode()), save=False)
    staged.save()
    return staged, extract_plan(source.text)


def test_the_same_upload_confirmed_twice_gives_one_plan(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    staged, reviewed = _staged(tree.bombo)
    twin = PlanImport.objects.get(pk=staged.pk)  # the second tab, read before the first click
    plan_services.plan_import_confirm(actor=focal, staged=staged, reviewed=reviewed, new_units=[])
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_import_confirm(actor=focal, staged=twin, reviewed=reviewed, new_units=[])
    assert "chỉ được lưu một lần" in refused.value.messages[0]
    assert Plan.objects.in_force().filter(number="12/KH-UBND").count() == 1


def test_the_same_document_uploaded_twice_and_both_confirmed_gives_one_plan(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    first, reviewed = _staged(tree.bombo)
    second, _reviewed = _staged(tree.bombo)
    assert first.replaces is None and second.replaces is None
    plan_services.plan_import_confirm(actor=focal, staged=first, reviewed=reviewed, new_units=[])
    with pytest.raises(ValidationError, match="12/KH-UBND"):
        plan_services.plan_import_confirm(
            actor=focal, staged=second, reviewed=reviewed, new_units=[]
        )
    assert Plan.objects.in_force().filter(number="12/KH-UBND").count() == 1


def test_a_revision_of_a_plan_already_replaced_is_refused(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    _import(tree.bombo, SMALL_PLAN)
    first, reviewed = _staged(tree.bombo)
    second, _reviewed = _staged(tree.bombo)
    assert first.replaces == second.replaces is not None
    plan_services.plan_import_confirm(actor=focal, staged=first, reviewed=reviewed, new_units=[])
    with pytest.raises(ValidationError, match="đã được thay thế"):
        plan_services.plan_import_confirm(
            actor=focal, staged=second, reviewed=reviewed, new_units=[]
        )
    assert Plan.objects.in_force().filter(number="12/KH-UBND").count() == 1


def _in_parallel(*calls):
    """Run the calls at once in threads, each on its own connection; their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the refusal is the result under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_the_same_confirmation_posted_twice_in_parallel_gives_one_plan(tree, make_user):
    """Two requests confirming one upload, or two uploads of one plan, at the same instant:
    on PostgreSQL in two threads (the row locks make the second wait and then refuse); on
    SQLite, whose writers queue for the database lock, one after the other."""
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    staged, reviewed = _staged(tree.bombo)
    other, _reviewed = _staged(tree.bombo)

    def confirm(upload):
        return lambda: plan_services.plan_import_confirm(
            actor=focal,
            staged=PlanImport.objects.get(pk=upload.pk),
            reviewed=reviewed,
            new_units=[],
        )

    calls = [confirm(staged), confirm(staged), confirm(other)]
    if connection.vendor == "postgresql":
        results = _in_parallel(*calls)
    else:
        results = []
        for call in calls:
            try:
                results.append(call())
            except ValidationError as error:
                results.append(error)
    saved = [r for r in results if isinstance(r, Plan)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1 and len(refused) == 2, results
    assert Plan.objects.in_force().filter(number="12/KH-UBND").count() == 1
    assert Plan.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_number_typed_twice_in_parallel_gives_one_plan(tree, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)

    def create():
        return plan_services.plan_create(
            actor=focal, unit=tree.bombo, number="63/KH-UBND", title="Kế hoạch"
        )

    if connection.vendor == "postgresql":
        results = _in_parallel(create, create, create, create)
    else:
        results = []
        for _attempt in range(4):
            try:
                results.append(create())
            except ValidationError as error:
                results.append(error)
    assert sum(isinstance(r, Plan) for r in results) == 1, results
    assert Plan.objects.filter(number="63/KH-UBND").count() == 1


def test_the_same_activity_form_posted_twice_records_one_activity(tree, client, make_user):
    client.force_login(make_user(tree.school, Role.REPORTER))
    page = client.get(reverse("activities:record")).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', page).group(1)
    data = {"unit": tree.school.pk, "kind": "meeting", "date": "2025-03-05",
            "title": "Họp triển khai", "participants": "20", "submission_key": key}  # fmt: skip
    first = client.post(reverse("activities:record"), data)
    activity = Activity.objects.get()
    assert first["Location"] == reverse("activities:detail", args=[activity.pk])
    again = client.post(reverse("activities:record"), data, follow=True)
    assert Activity.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("activities:detail", args=[activity.pk])
    notes = [str(m) for m in again.context["messages"]]
    assert any("đã được lưu" in n for n in notes)
    # A new form is a new key: the same activity typed again on purpose is recorded.
    fresh = client.get(reverse("activities:record")).content.decode()
    assert key not in fresh


def test_the_same_api_request_sent_twice_records_one_activity(tree, api_client, make_user):
    api_client.force_authenticate(make_user(tree.school, Role.REPORTER))
    body = {"unit_code": "25405-THBB", "kind": "meeting", "date": "2025-03-05", "title": "Họp"}
    url = reverse("v1:activity-list")
    first = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Activity.objects.count() == 1


def _activity_sheet(rows):
    from openpyxl import load_workbook

    from lantoa.activities.spreadsheets import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx()))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_same_sheet_imported_twice_does_not_double_the_figures(tree, client, make_user):
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    sheet = _activity_sheet([["25405-THBB", "training", "05/03/2025", "Tập huấn", 30, 30]] * 5)
    client.post(reverse("activities:import"), {"file": SimpleUploadedFile("a.xlsx", sheet)})
    again = client.post(
        reverse("activities:import"), {"file": SimpleUploadedFile("b.xlsx", sheet)}, follow=True
    )
    assert Activity.objects.count() == 5
    notes = [str(m) for m in again.context["messages"]]
    assert any("đã được nhập" in n for n in notes)
    # A failed import claims nothing: the corrected sheet goes in.
    bad = _activity_sheet([["25405-THBB", "training", "31/02/2025", "Tập huấn", 30, 30]])
    client.post(reverse("activities:import"), {"file": SimpleUploadedFile("c.xlsx", bad)})
    assert Activity.objects.count() == 5
    from lantoa.orgs.models import WriteKey

    assert not WriteKey.objects.filter(key__endswith=hashlib.sha256(bad).hexdigest()).exists()


def test_the_same_task_table_applied_twice_adds_its_tasks_once(tree, client, make_user):
    from openpyxl import load_workbook

    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    plan = _import(tree.bombo, SMALL_PLAN)
    book = load_workbook(
        io.BytesIO(client.get(reverse("plans:task-sheet", args=[plan.pk])).content)
    )
    book.active.append([None, "3", "Tổ chức ngày hội chuyển đổi số", "hang nam"])
    out = io.BytesIO()
    book.save(out)
    url = reverse("plans:task-sheet-upload", args=[plan.pk])
    client.post(url, {"file": SimpleUploadedFile("t.xlsx", out.getvalue())})
    again = client.post(url, {"file": SimpleUploadedFile("t.xlsx", out.getvalue())}, follow=True)
    assert plan.tasks.count() == 4
    assert any("đã được cập nhật" in str(m) for m in again.context["messages"])


def test_a_superseded_plan_leaves_the_assistant(
    tree, make_user, settings, django_capture_on_commit_callbacks
):
    """Indexing is an explicit step of the import and revision services: the revision takes
    the old version out of the corpus in the same transaction."""
    settings.ASSISTANT_INDEX_PLANS = True
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    source = read_document(SMALL_PLAN.encode(), filename="k.txt")
    with django_capture_on_commit_callbacks(execute=True):
        old = assistant_services.plan_import(
            actor=focal, unit=tree.bombo, source=source,
            extracted=extract_plan(source.text), filename="k.txt",
        )  # fmt: skip
    assert Document.objects.get(plan=old).status == "ready"
    staged, reviewed = _staged(tree.bombo, name="k-sua-doi.txt")
    assert staged.replaces == old
    with django_capture_on_commit_callbacks(execute=True):
        new = assistant_services.plan_import_confirm(
            actor=focal, staged=staged, reviewed=reviewed, new_units=[]
        )
    assert not Document.objects.filter(plan=old).exists()
    assert list(Document.objects.values_list("plan", flat=True)) == [new.pk]
    # Saving a plan no longer indexes it behind the services' back.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(tree.xuanlap, SMALL_PLAN)
    assert not callbacks and Document.objects.count() == 1


def test_plan_in_force_has_one_definition():
    """ "In force" is ``Plan.objects.in_force()`` (or ``in_force_q`` from a related model):
    no query spells the status by hand."""
    src = Path(__file__).resolve().parents[1] / "src" / "lantoa"
    by_hand = re.compile(r"""status\s*=\s*["']active["']|status=PlanStatus\.ACTIVE""")
    found = [
        f"{path.relative_to(src)}:{number}"
        for path in src.rglob("*.py")
        if "migrations" not in path.parts and path.name != "models.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []


def test_a_replaced_plan_is_not_in_force(tree):
    old = _import(tree.bombo, SMALL_PLAN)
    staged, reviewed = _staged(tree.bombo, name="k2.txt")
    new = plan_services.plan_import_confirm(
        actor=None, staged=staged, reviewed=reviewed, new_units=[]
    )
    assert list(Plan.objects.in_force()) == [new]
    assert old not in Plan.objects.in_force()


@pytest.mark.django_db(transaction=True)
def test_two_communes_first_imports_at_once_both_succeed(tree, make_user):
    """Each creates the indicator catalogue on first use: neither fails on the other's rows."""
    calls = [
        lambda unit=unit: _import(unit, SMALL_PLAN, name=f"{unit.code}.txt")
        for unit in (tree.bombo, tree.xuanlap, tree.langson)
    ]
    results = _in_parallel(*calls) if connection.vendor == "postgresql" else [c() for c in calls]
    assert all(isinstance(r, Plan) for r in results), results


def test_the_approve_button_refuses_the_submitter_with_a_message(tree, client, make_user):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    plan = _import(tree.bombo, REPORTING_PLAN)
    period = periods_ensure(plan, 2025)[1]
    draft = report_services.submission_draft(actor=focal, period=period, unit=tree.school)
    report_services.submission_submit(actor=focal, submission=draft, version=draft.version)
    client.force_login(focal)
    url = reverse("reports:submission", args=[draft.pk])
    page = client.post(url, {"action": "approve"}, follow=True)
    assert page.status_code == 200
    assert any("không thể tự phê duyệt" in str(m) for m in page.context["messages"])
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_same_plan_form_posted_twice_creates_one_plan(tree, client, make_user):
    """A plan typed without a number escapes the number check: the form's key catches it."""
    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    page = client.get(reverse("plans:create")).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', page).group(1)
    data = {"unit": tree.bombo.pk, "number": "", "title": "Kế hoạch truyền thông quý IV",
            "references": "", "submission_key": key}  # fmt: skip
    first = client.post(reverse("plans:create"), data)
    plan = Plan.objects.get()
    assert first["Location"] == reverse("plans:detail", args=[plan.pk])
    again = client.post(reverse("plans:create"), data, follow=True)
    assert Plan.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
    assert any("đã được lưu" in str(m) for m in again.context["messages"])


def test_an_idempotency_key_is_each_callers_own_and_binds_its_body(tree, api_client, make_user):
    body = {"unit_code": "25405-THBB", "kind": "meeting", "date": "2025-03-05", "title": "Họp"}
    url = reverse("v1:activity-list")
    api_client.force_authenticate(make_user(tree.school, Role.REPORTER))
    mine = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    api_client.force_authenticate(make_user(tree.school, Role.REPORTER))
    theirs = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"] and Activity.objects.count() == 2
    other = api_client.post(
        url, {**body, "title": "Họp khác"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in str(other.json()) and "khác" in str(other.json())
    assert Activity.objects.count() == 2


# --- readers failing unexpectedly: a message, never a 500 or a job stuck "reading" --------


def _boom(*args, **kwargs):
    raise RecursionError("maximum recursion depth exceeded")


def test_an_unexpected_reader_error_on_upload_is_a_clear_refusal(tree, make_user, monkeypatch):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    monkeypatch.setattr(plan_services, "read_document", _boom)
    with pytest.raises(ValidationError) as error:
        plan_services.plan_upload(
            actor=focal, unit=tree.bombo, data=SMALL_PLAN.encode(), filename="k.txt"
        )
    assert "Không đọc được" in error.value.messages[0]
    assert not PlanImport.objects.exists()


def test_an_unexpected_error_while_reading_a_scan_fails_the_job(tree, make_user, monkeypatch):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    staged = PlanImport.objects.create(
        unit=tree.bombo, uploaded_by=focal, filename="scan.pdf", status="reading"
    )
    staged.file.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    monkeypatch.setattr(plan_services, "read_document", _boom)
    plan_services.plan_upload_read_scan(staged=staged)
    staged.refresh_from_db()
    assert staged.status == "failed" and "Không đọc được" in staged.error


def test_an_unexpected_error_while_indexing_fails_the_document(tree, make_user, monkeypatch):
    document = Document.objects.create(unit=tree.bombo, name="k.txt", kind="text")
    document.file.save("k.txt", ContentFile(SMALL_PLAN.encode()), save=True)
    monkeypatch.setattr(assistant_services, "read_document", _boom)
    assistant_services.document_index_stored(document)
    document.refresh_from_db()
    assert document.status == "failed" and "Không đọc được" in document.error


# --- plan numbers compared as written, whatever the dash, spaces or case ------------------


@pytest.mark.parametrize("spelling", ["15/qđ-ubnd", "15/QĐ–UBND", "15 / QĐ - UBND", "15/QĐ--UBND"])
def test_a_plan_number_spelt_another_way_is_the_same_number(tree, make_user, spelling):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    plan_services.plan_create(actor=focal, unit=tree.bombo, number="15/QĐ-UBND", title="Kế hoạch")
    with pytest.raises(ValidationError) as error:
        plan_services.plan_create(actor=focal, unit=tree.bombo, number=spelling, title="Kế hoạch")
    assert "number" in error.value.message_dict
    assert Plan.objects.filter(unit=tree.bombo).count() == 1


def test_the_database_refuses_two_plans_in_force_with_one_number(tree):
    from django.db import IntegrityError, transaction

    Plan.objects.create(unit=tree.bombo, number="15/QĐ-UBND", title="Kế hoạch")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(unit=tree.bombo, number="15/qđ – ubnd", title="Kế hoạch")
    # Plans without a number, and a replaced plan's number, are not held to it.
    Plan.objects.create(unit=tree.bombo, number="", title="Một")
    Plan.objects.create(unit=tree.bombo, number="", title="Hai")
    Plan.objects.filter(unit=tree.bombo).update(status="replaced")
    Plan.objects.create(unit=tree.bombo, number="15/QĐ-UBND", title="Bản sửa đổi")


def test_the_migration_keys_existing_plans_and_leaves_a_duplicate_in_force_unkeyed(tree):
    import importlib

    from django.apps import apps

    first = Plan.objects.create(unit=tree.bombo, number="15/QĐ-UBND", title="Một")
    second = Plan.objects.create(unit=tree.bombo, number="16/KH-UBND", title="Hai")
    Plan.objects.filter(pk=second.pk).update(number="15/qđ – ubnd")  # the old check let it in
    Plan.objects.update(number_key="")
    migration = importlib.import_module("lantoa.plans.migrations.0005_plan_number_key_filled")
    migration.fill_number_keys(apps, None)
    keys = dict(Plan.objects.values_list("pk", "number_key"))
    assert keys == {first.pk: "15/QD-UBND", second.pk: ""}
