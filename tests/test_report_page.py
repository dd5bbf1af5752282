"""The report page as a reporter uses it: what is typed for a task is what is saved; the
unit's own tasks first, grouped and folded; the consolidation and an approved report say
what they mean."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lantoa.orgs.choices import Role
from lantoa.plans.models import TaskAssignment
from lantoa.reports import services
from lantoa.reports.models import Submission
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN


class _Form(HTMLParser):
    """The fields of the report's main form, in document order, as a browser sends them."""

    def __init__(self):
        super().__init__()
        self.fields: list[list] = []  # [name, value] in order
        self._in_form = False
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("class") == "review":
            self._in_form = True
        if not self._in_form or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox"):
            self.fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = [attrs["name"], None]
            self.fields.append(self._select)
        elif (
            tag == "option"
            and self._select is not None
            and (self._select[1] is None or "selected" in attrs)
        ):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def _browser_post(client, url, typed: dict, action: str):
    """Fill the page's form as a person does (typing in the first field of each name they
    see) and send every field the page holds, in order, as a browser would."""
    parser = _Form()
    parser.feed(client.get(url).content.decode())
    seen = set()
    data: dict[str, list] = {}
    for name, value in parser.fields:
        if name in typed and name not in seen:
            value = typed[name]
        seen.add(name)
        data.setdefault(name, []).append(value)
    data["action"] = [action]
    return client.post(url, data)


@pytest.fixture
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, REPORTING_PLAN)


@pytest.fixture
def school_report(tree, plan):
    period = periods_ensure(plan, 2025)[1]
    return services.submission_draft(actor=None, period=period, unit=tree.school)


def test_what_a_reporter_types_for_a_task_is_saved(tree, school_report, client, make_user):
    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("reports:submission", args=[school_report.pk])
    row = school_report.task_rows.order_by("task__order").first()
    response = _browser_post(
        client,
        url,
        {
            f"status_{row.task_id}": "done",
            f"narrative_{row.task_id}": "Đã lồng ghép vào 4 buổi ngoại khóa",
            "narrative": "Kết quả chung",
        },
        "save",
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.narrative) == ("done", "Đã lồng ghép vào 4 buổi ngoại khóa")
    page = client.get(url).content.decode()
    assert "Đã lồng ghép vào 4 buổi ngoại khóa" in page
    # Each field of the form exactly once.
    parser = _Form()
    parser.feed(page)
    names = [name for name, _value in parser.fields]
    assert len(names) == len(set(names))


def test_a_schools_report_shows_its_own_tasks_first_grouped_and_folded(
    tree, plan, school_report, client, make_user
):
    tasks = list(plan.tasks.order_by("order"))
    assert len(tasks) > 1
    TaskAssignment.objects.create(task=tasks[-1], unit=tree.school, name="Các trường", role="lead")
    client.force_login(make_user(tree.school, Role.REPORTER))
    page = client.get(reverse("reports:submission", args=[school_report.pk]))
    own = [item["row"].task_id for g in page.context["own_groups"] for item in g["rows"]]
    others = [item["row"].task_id for g in page.context["other_groups"] for item in g["rows"]]
    assert own == [tasks[-1].pk]
    assert sorted(others) == sorted(t.pk for t in tasks[:-1])  # still reachable, folded
    html = page.content.decode()
    assert html.count("<details") >= 2 and 'class="task-group others"' in html
    assert "nhiệm vụ khác của kế hoạch, không giao cho đơn vị này" in html


def test_consolidation_says_not_sent_and_approved_reports_drop_the_return_comment(
    tree, plan, school_report, client, make_user
):
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client.force_login(focal)
    period_url = reverse("reports:period", args=[school_report.period.pk])
    html = client.get(period_url).content.decode()
    assert "Chưa gửi" in html and "Chưa thực hiện" not in html

    report = services.submission_submit(
        actor=None, submission=school_report, version=school_report.version
    )
    services.submission_return(actor=None, submission=report, comment="Bổ sung minh chứng ảnh")
    report = Submission.objects.get(pk=report.pk)
    url = reverse("reports:submission", args=[report.pk])
    assert "Bổ sung minh chứng ảnh" in client.get(url).content.decode()
    report = services.submission_submit(actor=None, submission=report, version=report.version)
    services.submission_approve(actor=None, submission=report)
    assert "Bổ sung minh chứng ảnh" not in client.get(url).content.decode()


def test_tasks_the_units_activities_serve_are_its_own_too(
    tree, plan, school_report, client, make_user
):
    from lantoa.activities.services import activity_record

    task = plan.tasks.order_by("order")[1]
    activity_record(actor=None, unit=tree.school, kind="meeting", title="Sinh hoạt chuyên đề",
                    date=school_report.period.start, tasks=[task])  # fmt: skip
    services.drafts_refresh([(tree.school.path, school_report.period.start)])
    client.force_login(make_user(tree.school, Role.REPORTER))
    page = client.get(reverse("reports:submission", args=[school_report.pk]))
    own = [item["row"].task_id for g in page.context["own_groups"] for item in g["rows"]]
    assert own == [task.pk] and page.context["other_count"] == plan.tasks.count() - 1


def test_every_field_of_the_report_is_on_the_page_once_and_kept(
    tree, school_report, client, make_user
):
    """Each field the report's form holds is on the page exactly once: a field left out (the
    signer's name was) is posted empty and erases what was saved."""
    from lantoa.reports.forms import SubmissionForm

    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("reports:submission", args=[school_report.pk])
    rows = list(school_report.task_rows.all())
    parser = _Form()
    parser.feed(client.get(url).content.decode())
    names = [name for name, _value in parser.fields if name != "csrfmiddlewaretoken"]
    assert sorted(names) == sorted(SubmissionForm(task_rows=rows).fields)
    typed = {"signer_name": "Trần Văn Hiệu", "proposals": "Đề nghị hỗ trợ phòng máy"}
    assert _browser_post(client, url, typed, "save").status_code == 302
    assert _browser_post(client, url, {"narrative": "Kết quả"}, "save").status_code == 302
    school_report.refresh_from_db()
    assert school_report.signer_name == "Trần Văn Hiệu"
    assert school_report.proposals == "Đề nghị hỗ trợ phòng máy"


def test_a_colleagues_submit_while_typing_keeps_the_typed_text(
    tree, school_report, client, make_user
):
    """Saving after a colleague submitted: a message, not a 403, and what was typed is kept."""
    reporter, colleague = make_user(tree.school, Role.REPORTER), make_user(tree.school)
    client.force_login(reporter)
    url = reverse("reports:submission", args=[school_report.pk])
    row = school_report.task_rows.order_by("task__order").first()
    parser = _Form()
    parser.feed(client.get(url).content.decode())
    services.submission_submit(actor=colleague, submission=school_report, version=1)
    data: dict[str, list] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data.update(
        narrative=["Kết quả tôi vừa gõ"],
        **{f"narrative_{row.task_id}": ["Việc tôi vừa làm"], "action": ["save"]},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kết quả tôi vừa gõ" in page and "Việc tôi vừa làm" in page
    assert "không còn sửa được" in page


def test_an_invalid_typed_figure_leaves_the_report_form_as_it_was(
    tree, school_report, client, make_user
):
    client.force_login(make_user(tree.school, Role.REPORTER))
    url = reverse("reports:submission", args=[school_report.pk])
    response = client.post(url, {"action": "entry", "numerator": "-1"})
    assert response.status_code == 200
    parser = _Form()
    parser.feed(response.content.decode())
    fields = dict(parser.fields)
    assert fields["version"] == str(school_report.version)
    row = school_report.task_rows.order_by("task__order").first()
    assert fields[f"status_{row.task_id}"] == row.status
    page = response.content.decode()
    assert "Trường này là bắt buộc" not in page.split('class="review"', 2)[-1]


def test_opening_the_report_shows_the_figures_that_will_be_submitted(
    tree, school_report, client, make_user
):
    """A unit fact changed after the draft was made: opening the page recomputes the figures,
    so what the reporter reviews is what submitting sends."""
    import datetime

    from lantoa.activities.services import activity_record
    from lantoa.indicators.services import fact_set

    activity_record(actor=None, unit=tree.school, kind="meeting", date=datetime.date(2025, 10, 3),
                    title="Họp", counts={"participants": 10, "officials": 10})  # fmt: skip
    fact_set(actor=None, unit=tree.school, key="officials_total", value=40)
    client.force_login(make_user(tree.school, Role.REPORTER))
    client.get(reverse("reports:submission", args=[school_report.pk]))
    reviewed = school_report.indicator_rows.get(code="officials_informed").value
    assert reviewed == 25  # 10 of 40
    services.submission_submit(actor=None, submission=school_report, version=1)
    assert school_report.indicator_rows.get(code="officials_informed").value == reviewed
