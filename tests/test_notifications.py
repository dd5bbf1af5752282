"""No one is left untold: returned and approved reports, overdue reports, deadlines near and
tasks assigned reach people in their inbox, and by e-mail if they chose so."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from lantoa.activities.services import activity_record
from lantoa.orgs.choices import NotificationKind, Role
from lantoa.orgs.models import Notification
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from lantoa.reports import services
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN


@pytest.fixture
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, REPORTING_PLAN)


def _submitted(tree, plan, reporter):
    period = periods_ensure(plan, 2025)[1]
    activity_record(actor=reporter, unit=tree.school, kind="meeting", date=datetime.date(2025, 10, 3), title="Họp")  # fmt: skip
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    return services.submission_submit(actor=reporter, submission=draft, version=draft.version)


def test_a_returned_report_reaches_its_reporter_in_the_app_and_by_email(
    tree, plan, make_user, client, django_capture_on_commit_callbacks
):
    reporter = make_user(tree.school, Role.REPORTER, username="gv.baocao")
    quiet = make_user(tree.school, Role.REPORTER, username="gv.khongthu")
    quiet.email_notifications = False
    quiet.save()
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    submitted = _submitted(tree, plan, reporter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            actor=focal, submission=submitted, comment="Bổ sung số liệu tập huấn"
        )
    note = Notification.objects.get(user=reporter)
    assert note.kind == NotificationKind.REPORT_RETURNED
    assert "Bổ sung số liệu tập huấn" in note.text and "Trường Tiểu học Bom Bo" in note.text
    assert note.url == reverse("reports:submission", args=[submitted.pk])
    assert [m.to for m in mail.outbox] == [["gv.baocao@example.vn"]]  # not the one who said no
    assert "Bổ sung số liệu tập huấn" in mail.outbox[0].body
    assert Notification.objects.filter(user=quiet).exists()  # the inbox always
    assert not Notification.objects.filter(user=focal).exists()

    # On the home page, in the navigation's badge; marked read, it leaves the home page.
    client.force_login(reporter)
    home = client.get(reverse("home")).content.decode()
    assert "Bổ sung số liệu tập huấn" in home and 'class="badge">1<' in home
    client.post(reverse("notifications-read"), {"id": note.pk, "next": reverse("home")})
    home = client.get(reverse("home")).content.decode()
    assert "Bổ sung số liệu tập huấn" not in home and 'class="badge"' not in home
    listed = client.get(reverse("notifications")).content.decode()
    assert "Bổ sung số liệu tập huấn" in listed  # still in the list, read


def test_an_approved_report_is_told_too(tree, plan, make_user, django_capture_on_commit_callbacks):
    reporter = make_user(tree.school, Role.REPORTER)
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    submitted = _submitted(tree, plan, reporter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(actor=focal, submission=submitted)
    assert Notification.objects.get(user=reporter).kind == NotificationKind.REPORT_APPROVED
    assert len(mail.outbox) == 1 and "phê duyệt" in mail.outbox[0].subject


def test_a_task_assigned_to_a_unit_reaches_its_reporters(tree, make_user):
    reporter = make_user(tree.vhxh, Role.REPORTER)
    viewer = make_user(tree.vhxh, Role.VIEWER)
    source = read_document(REPORTING_PLAN.encode())
    extracted = extract_plan(source.text)
    extracted.tasks[0].lead = ["Phòng Văn hóa - Xã hội"]
    extracted.tasks[2].support = ["Phòng Văn hóa - Xã hội", "Trường Tiểu học Bom Bo"]
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extracted, filename="k.txt"
    )
    assigned = plan.tasks.filter(assignments__unit=tree.vhxh).distinct().count()
    assert assigned == 2
    note = Notification.objects.get(user=reporter)
    assert note.kind == NotificationKind.TASK_ASSIGNED and plan.number in note.text
    assert f"{assigned} nhiệm vụ" in note.text
    assert not Notification.objects.filter(user=viewer).exists()


def test_reminders_use_the_kinds_and_the_preference(
    tree, plan, make_user, django_capture_on_commit_callbacks
):
    from lantoa.reports.reminders import reminders_send

    periods_ensure(plan, 2025)
    reporter = make_user(tree.school, Role.REPORTER)
    reporter.email_notifications = False
    reporter.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=datetime.date(2025, 12, 10))
        reminders_send(today=datetime.date(2025, 12, 20))
    kinds = set(Notification.objects.filter(user=reporter).values_list("kind", flat=True))
    assert kinds == {NotificationKind.DEADLINE_NEAR, NotificationKind.REPORT_OVERDUE}
    assert all(reporter.email not in m.to for m in mail.outbox)


def test_the_inbox_is_each_persons_own(tree, make_user, client):
    mine = make_user(tree.school, Role.REPORTER)
    theirs = make_user(tree.school, Role.REPORTER)
    other = Notification.objects.create(user=theirs, text="Thư của người khác", url="/")
    client.force_login(mine)
    assert "Thư của người khác" not in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications-read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    # An outside "next" never redirects off the site.
    response = client.post(
        reverse("notifications-read"), {"all": "1", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("notifications")


def test_the_email_preference_is_saved_and_shown_again(tree, make_user, client):
    user = make_user(tree.school, Role.REPORTER)
    client.force_login(user)
    page = client.get(reverse("profile"))
    assert page.context["form"]["email_notifications"].value() is True
    client.post(reverse("profile"), {})  # the box unticked
    user.refresh_from_db()
    assert user.email_notifications is False
    assert client.get(reverse("profile")).context["form"]["email_notifications"].value() is False
    client.post(reverse("profile"), {"email_notifications": "on"})
    user.refresh_from_db()
    assert user.email_notifications is True


def test_whoever_submitted_hears_even_from_the_unit_above(
    tree, plan, make_user, django_capture_on_commit_callbacks
):
    commune_reporter = make_user(tree.bombo, Role.REPORTER)  # covers the school, not a member
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    submitted = _submitted(tree, plan, commune_reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(actor=focal, submission=submitted, comment="Thiếu minh chứng")
    assert Notification.objects.filter(
        user=commune_reporter, kind=NotificationKind.REPORT_RETURNED
    ).exists()
