"""Importing a plan late in the year: reports are owed from the plan's adoption, and the periods
already past are opened only when the importer asks; nobody below is late at once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lantoa.orgs.choices import Role
from lantoa.plans import services
from lantoa.plans.models import Plan
from lantoa.plans.review import extraction_from_dict
from lantoa.reports.models import Reminder
from lantoa.reports.reminders import reminders_send
from lantoa.reports.selectors import owed_reports, periods_to_review

from .documents import REPORTING_PLAN  # 12/KH-UBND of 05/9/2025, reports before 15/6 and 15/12


def _import(tree, focal, monkeypatch, on: datetime.date, **choice) -> Plan:
    monkeypatch.setattr(timezone, "localdate", lambda *args: on)
    staged = services.plan_upload(
        actor=focal, unit=tree.bombo, data=REPORTING_PLAN.encode(), filename="12-KH-UBND.txt"
    )
    return services.plan_import_confirm(
        actor=focal,
        staged=staged,
        reviewed=extraction_from_dict(staged.extracted),
        new_units=[],
        **choice,
    )


@pytest.fixture
def people(tree, make_user):
    return (
        make_user(tree.bombo, Role.FOCAL_POINT),
        make_user(tree.school, Role.REPORTER),
    )


def test_a_plan_imported_in_december_makes_no_unit_late(tree, people, monkeypatch):
    focal, reporter = people
    december = datetime.date(2025, 12, 20)  # both deadlines of 2025 have passed
    plan = _import(tree, focal, monkeypatch, december)
    assert plan.reports_from == december

    assert owed_reports(user=reporter, today=december) == []
    assert periods_to_review(user=focal, today=december) == []
    assert reminders_send(today=december) == 0 and not Reminder.objects.exists()
    # The next periods open as usual, from their start.
    owed = owed_reports(user=reporter, today=datetime.date(2026, 1, 5))
    assert [(row["period"].deadline, row["late"]) for row in owed] == [
        (datetime.date(2026, 12, 15), False),
        (datetime.date(2026, 6, 15), False),
    ]


def test_a_plan_imported_before_a_deadline_opens_that_period_on_time(tree, people, monkeypatch):
    focal, reporter = people
    day = datetime.date(2025, 12, 1)
    _import(tree, focal, monkeypatch, day)
    owed = owed_reports(user=reporter, today=day)
    # The annual report falls due after the import; June's was before the plan was adopted.
    assert [(row["period"].kind, row["late"]) for row in owed] == [("annual", False)]


def test_the_importer_may_open_the_past_periods_from_the_plans_adoption(tree, people, monkeypatch):
    focal, reporter = people
    december = datetime.date(2025, 12, 20)
    plan = _import(tree, focal, monkeypatch, december, open_past_periods=True)
    assert plan.reports_from is None  # owed from the issue date, 05/9/2025

    owed = owed_reports(user=reporter, today=december)
    # The annual report is opened (and late); June's came before the plan was adopted: never.
    assert [(row["period"].deadline, row["late"]) for row in owed] == [
        (datetime.date(2025, 12, 15), True)
    ]
    assert reminders_send(today=december) == 2  # the school and the office named in it


def test_the_choice_on_the_review_page(tree, client, people, monkeypatch):
    focal, _reporter = people
    client.force_login(focal)
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2025, 12, 20))
    upload = client.post(
        reverse("plans:upload"),
        {"unit": tree.bombo.pk, "file": SimpleUploadedFile("k.txt", REPORTING_PLAN.encode())},
    )
    page = client.get(upload["Location"])
    html = page.content.decode()
    assert 'name="reporting-open_past_periods"' in html
    assert "checked" not in html.split('name="reporting-open_past_periods"')[1].split(">")[0]

    from .test_plans import _confirm_payload

    payload = _confirm_payload(page)
    payload["reporting-open_past_periods"] = "on"
    done = client.post(upload["Location"], payload)
    assert done.status_code == 302
    plan = Plan.objects.get()
    assert plan.reports_from is None
    detail = client.get(done["Location"]).content.decode()
    assert "Kế hoạch số 12/KH-UBND" in detail


@pytest.mark.parametrize(("flags", "owed_from"), [([], "today"), (["--open-past-periods"], None)])
def test_the_command_line_import_asks_the_same(tree, tmp_path, monkeypatch, flags, owed_from):
    import io

    from django.core.management import call_command

    december = datetime.date(2025, 12, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args: december)
    path = tmp_path / "12-KH-UBND.txt"
    path.write_text(REPORTING_PLAN)
    call_command("import_plan", str(path), "--unit", tree.bombo.code, *flags, stdout=io.StringIO())
    plan = Plan.objects.get(number="12/KH-UBND")
    assert plan.reports_from == (december if owed_from == "today" else None)
