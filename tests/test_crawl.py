"""The demo as every demo login sees it: no page answers 5xx, whatever the query string says,
and no form carries two fields of one name.

The demo is loaded once for the module inside a transaction rolled back at the end, so the rest
of the suite never sees it. For each login the crawl follows the links of the pages it is shown
(breadth first, same site, GET only, a bounded number of pages), then asks every page again
with malformed query parameters (``?unit=abc``, ``?period=abc``, ``?page=-1``, very long values,
"/" in a code ...). Report downloads (.docx, .xlsx, .pdf) are fetched once each. Every 5xx is
collected and listed, so one run shows all of them.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from lantoa.orgs.models import User

# Marked so that pytest-django sets the test database up; the demo itself is module-wide.
pytestmark = pytest.mark.django_db

MAX_PAGES_PER_LOGIN = 20
DOWNLOADS = (".docx", ".xlsx", ".pdf", ".csv")
SKIP = ("/accounts/logout", "/i18n/", "/admin/", "/api/docs/", "/api/schema/", "/static/")
# Pages every login is sent to even if no link leads there (the API reads query parameters).
SEEDS = (
    "/reports/",
    "/",
    "/dashboard/",
    "/audit/",
    "/activities/",
    "/plans/",
    "/plans/tasks/mine/",
    "/units/",
    "/api/v1/me/",
    "/api/v1/units/",
    "/api/v1/memberships/",
    "/api/v1/plans/",
    "/api/v1/tasks/",
    "/api/v1/activities/",
    "/api/v1/assets/",
    "/library/",
    "/library/collections/",
    "/library/pick/",
    "/desk/",
    "/desk/items/",
    "/desk/campaigns/",
    "/desk/settings/",
    "/desk/tasks/",
    "/api/v1/content-items/",
    "/api/v1/indicator-values/",
    "/assistant/25405/",
    "/assistant/25405%2FTO-1/",
    "/assistant/25405/TO-1/",
    # the public NQ57 sections, their feeds and the embeddable block
    "/u/",
    "/u/25405/",
    "/u/75/feed.atom",
    "/u/25405/embed/",
    "/sitemap.xml",
    # the other demo commune's section (publishing's demo items)
    "/u/26104/",
)
LONG = "9" * 400
MALFORMED = (
    {"unit": "abc"},
    {"period": "abc"},
    {"plan": "abc"},
    {"report": "abc"},
    {"page": "-1"},
    {"unit": "999999999", "period": "999999999", "plan": "999999999", "page": "999999999"},
    {"unit": LONG, "period": LONG, "plan": LONG, "report": LONG, "page": LONG},
    {"unit": "25405/THBB", "period": "1/2", "plan": "../1", "q": "a/b"},
    {"start": "abc", "end": "2025-13-45", "from": "x", "to": "-1", "indicator": "x" * 300},
    {"unit": "1.5", "period": "-3", "plan": "0x10", "status": "nope", "kind": "nope"},
    {"limit": "-1", "offset": "abc", "format": "csv"},
)


class _Links(HTMLParser):
    """The hrefs of a page's links and, per form, the names of its fields."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action", ""),
                    "method": attrs.get("method", "get"),
                    "names": [],
                }
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            kind = (attrs.get("type") or "").lower()
            if tag == "button" or kind in ("submit", "checkbox", "radio", "button", "reset"):
                return  # several submit buttons, checkboxes and radios share a name on purpose
            if tag == "select" and "multiple" in attrs:
                return
            self.forms[-1]["names"].append(attrs["name"])


def _parse(response) -> _Links:
    parser = _Links()
    if "text/html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode("utf-8", "replace"))
    return parser


def _internal(href: str, base: str) -> str | None:
    href = urldefrag(href)[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc not in ("testserver", ""):
            return None
        href = parts.path + (f"?{parts.query}" if parts.query else "")
    elif not href.startswith("/"):
        href = base.rsplit("/", 1)[0] + "/" + href if not href.startswith("?") else base + href
    if any(href.startswith(prefix) for prefix in SKIP):
        return None
    return href


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once, rolled back after the module."""
    from lantoa.portal.demo.content import load_demo_content
    from lantoa.portal.demo.plans import load_demo_plans
    from lantoa.portal.demo.reporting import load_demo_reporting
    from lantoa.portal.demo.units import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            logins = load_demo()
            load_demo_plans()
            load_demo_reporting()
            load_demo_content()
            from lantoa.portal.demo.programme_trainings import load_demo_programme_trainings

            load_demo_programme_trainings()
            from lantoa.portal.demo.programme_sttasks import load_demo_sttasks

            load_demo_sttasks()
            from lantoa.portal.demo.evaluation import load_demo_evaluation

            load_demo_evaluation()  # published runs: the run pages' nomination forms, scorecards
            _reports_in_every_state()
            # A unit named before codes were checked, with "/" in its code.
            from lantoa.orgs.choices import UnitKind
            from lantoa.orgs.models import OrgUnit

            OrgUnit.objects.add_child(
                OrgUnit.objects.get(code="25405"),
                create_kwargs={
                    "code": "25405/TO-1",
                    "name": "Tổ công nghệ số cộng đồng",
                    "kind": UnitKind.OTHER,
                },
            )
            yield [login.username for login in logins]
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|\.|$)", "/N", path)


def _reports_in_every_state() -> None:
    """The demo's reporters start their reports; the school's goes round the whole cycle
    (submitted, returned with a comment, submitted again, approved), the commune's is
    submitted, the others stay drafts."""
    from lantoa.reports import selectors, services

    drafts = []
    for username in ("reporter.truong-bombo", "reporter.bombo", "reporter.xuanlap"):
        user = User.objects.get(username=username)
        for row in selectors.owed_reports(user=user):
            drafts.append(
                services.submission_draft(actor=None, period=row["period"], unit=row["unit"])
            )
    assert drafts, "the demo owes no report"
    school = next(d for d in drafts if d.unit.code == "25405-THBB")
    school = services.submission_save(
        actor=None,
        submission=school,
        version=school.version,
        narrative="Đã tổ chức tập huấn",
        difficulties="",
        proposals="",
    )
    school = services.submission_submit(actor=None, submission=school, version=school.version)
    task_id = school.task_rows.values_list("task_id", flat=True).first()
    school = services.submission_return(
        actor=None,
        submission=school,
        comment="Bổ sung minh chứng",
        task_comments={task_id: "Thiếu ảnh"} if task_id else {},
    )
    school.refresh_from_db()
    school = services.submission_submit(actor=None, submission=school, version=school.version)
    services.submission_approve(actor=None, submission=school)
    commune = next((d for d in drafts if d.unit.code == "25405"), None)
    if commune is not None:
        services.submission_submit(actor=None, submission=commune, version=commune.version)


def _crawl(client: Client, username: str, state: dict) -> list[str]:
    """Breadth-first through what ``username`` is shown; returns the pages it was shown.

    An object's page another login of the same role already fetched is not fetched again (lists
    are, as they differ by login), and one login
    fetches at most two pages of one pattern (two units, two reports): the budget goes to
    breadth."""
    role = username.split(".")[0]
    queue = deque(SEEDS)
    seen = set(SEEDS)
    per_pattern: Counter = Counter()
    pages: list[str] = []
    while queue and len(pages) < MAX_PAGES_PER_LOGIN:
        url = queue.popleft()
        path = urlsplit(url).path
        pattern = _pattern(path)
        download = path.endswith(DOWNLOADS)
        if download:
            suffix = path.rsplit(".", 1)[-1]
            if suffix in state["downloaded"]:
                continue
            state["downloaded"].add(suffix)
        elif (role, url) in state["fetched"] or per_pattern[pattern] >= 2:
            continue  # an object's page is the same for every login of one role
        if pattern != path:  # lists and home pages differ by login; objects do not
            state["fetched"].add((role, url))
        per_pattern[pattern] += 1
        response = client.get(url)
        state["requests"] += 1
        if response.status_code >= 500:
            state["5xx"].append(f"{username}: GET {url} → {response.status_code}")
            continue
        if url in SEEDS and not download:
            pages.append(url)  # probed with malformed parameters whatever it answered
        if download or response.status_code != 200:
            continue
        if url not in SEEDS:
            pages.append(url)
        parsed = _parse(response)
        for form in parsed.forms:
            twice = [name for name, n in Counter(form["names"]).items() if n > 1]
            if twice:
                state["twice"].append(f"{username}: {url} form {form['action']!r}: {twice}")
        for href in parsed.links:
            link = _internal(href, path)
            if link and link not in seen:
                seen.add(link)
                # Report downloads and reports first: they are what the budget is for.
                if re.search(r"^/reports/\d+/", link):
                    queue.appendleft(link)
                else:
                    queue.append(link)
    return pages


def _probe(client: Client, username: str, pages: list[str], state: dict) -> None:
    """Each page again with every set of malformed query parameters: a list once per role, an
    object's page once."""
    for url in pages:
        path = urlsplit(url).path
        # Lists read the query string and differ by role: once per role; an object's page once.
        pattern = _pattern(path)
        key = (username.split(".")[0] if pattern == path else "", pattern)
        if key in state["probed"]:
            continue
        state["probed"].add(key)
        for params in MALFORMED:
            target = f"{path}?{urlencode(params)}"
            response = client.get(target)
            state["requests"] += 1
            if response.status_code >= 500:
                state["5xx"].append(f"{username}: GET {target[:160]} → {response.status_code}")


@pytest.fixture
def quiet_errors():
    """The crawl lists the 5xx itself; the tracebacks of the request logger are noise."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_every_demo_login_crawls_without_a_server_error(demo, quiet_errors):
    state = {
        "5xx": [],
        "twice": [],
        "downloaded": set(),
        "fetched": set(),
        "probed": set(),
        "requests": 0,
    }
    # The smallest scopes first: their pages are the quickest to probe.
    order = sorted(demo, key=lambda name: ("national" in name, name == "superadmin"))
    visited = 0
    for username in order:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        pages = _crawl(client, username, state)
        visited += len(pages)
        _probe(client, username, pages, state)
    problems = [f"{len(state['5xx'])} server errors:", *state["5xx"]] if state["5xx"] else []
    if state["twice"]:
        problems += ["forms with a field twice:", *state["twice"]]
    missing = {"docx", "xlsx", "pdf"} - state["downloaded"]
    if missing:
        problems.append(f"report downloads never reached: {sorted(missing)}")
    assert not problems, "\n".join(problems)
    assert visited > 100 and state["requests"] > 300, (visited, state["requests"])


def _first(pattern: str, client: Client, start: str) -> str | None:
    content = client.get(start).content.decode()
    match = re.search(pattern, content)
    return match.group(0) if match else None


def test_malformed_ids_posted_to_forms_are_refused_not_500(demo, quiet_errors):
    """The forms that take an id in their body: a malformed one is a 4xx or the form again."""
    from lantoa.reports.models import ReportingPeriod, Submission

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="focal.bombo"))
    period = ReportingPeriod.objects.order_by("pk").first()
    submission = Submission.objects.filter(unit__code="25405").order_by("pk").first()
    posts = [
        (f"/reports/periods/{period.pk}/start/", {"unit": value})
        for value in ("abc", "", LONG, "999999999", "1/2", "-1")
    ]
    if submission is not None:
        posts += [
            (f"/reports/{submission.pk}/", {"action": "save", "version": "abc"}),
            (f"/reports/{submission.pk}/", {"action": "save", "version": LONG}),
            (f"/reports/{submission.pk}/", {"action": "entry", "indicator": "x", "numerator": "a"}),
            (f"/reports/{submission.pk}/", {"action": "nope"}),
        ]
    posts += [
        ("/dashboard/?unit=abc", {"name": "x"}),
        ("/activities/new/", {"unit": "abc", "tasks": "abc", "date": "x"}),
        ("/activities/new/?report=abc", {"unit": LONG}),
        ("/plans/new/", {"unit": "abc"}),
        ("/units/memberships/999999999/revoke/", {}),
    ]
    # The review of an uploaded plan, its hidden fields tampered with.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lantoa.orgs.models import OrgUnit

    from .documents import REPORTING_PLAN

    upload = client.post(
        "/plans/upload/",
        {
            "unit": OrgUnit.objects.get(code="25405").pk,
            "file": SimpleUploadedFile("ke-hoach.txt", REPORTING_PLAN.encode()),
        },
    )
    assert upload.status_code == 302, upload.status_code
    review = upload["Location"]
    for tampered in ("abc", "-5", "9" * 40, "1e400", "nan"):
        posts.append(
            (
                review,
                {
                    "plan-number": "63/KH-UBND",
                    "plan-date": "2025-03-01",
                    "plan-title": "Kế hoạch",
                    "targets-TOTAL_FORMS": "1",
                    "targets-INITIAL_FORMS": "1",
                    "targets-0-text": "Mục tiêu",
                    "targets-0-span_start": tampered,
                    "targets-0-span_end": tampered,
                    "targets-0-confidence": tampered,
                    "tasks-TOTAL_FORMS": tampered,
                    "tasks-INITIAL_FORMS": "0",
                    "units-TOTAL_FORMS": "0",
                    "units-INITIAL_FORMS": "0",
                },
            )
        )
    errors = []
    for url, data in posts:
        response = client.post(url, data)
        if response.status_code >= 500:
            errors.append(f"POST {url} {data!r:.80} → {response.status_code}")
    assert not errors, "\n".join(errors)


def test_tampered_hidden_numbers_on_the_plan_review_are_dropped_not_500():
    from lantoa.plans.forms import TaskReviewForm

    form = TaskReviewForm(
        {"text": "Duy trì chuyên mục", "span_start": "abc", "span_end": "9" * 40,
         "confidence": "nan"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert [form.cleaned_data[k] for k in ("span_start", "span_end", "confidence")] == [None] * 3
    form = TaskReviewForm({"text": "x", "span_start": "12", "span_end": "40", "confidence": "0.5"})
    assert form.is_valid()
    assert (form.cleaned_data["span_start"], form.cleaned_data["confidence"]) == (12, 0.5)


def test_a_unit_code_with_a_slash_is_refused(demo):
    from django.core.exceptions import ValidationError

    from lantoa.orgs import services
    from lantoa.orgs.forms import UnitForm
    from lantoa.orgs.models import OrgUnit

    form = UnitForm({"code": "25405/TO", "name": "Tổ", "kind": "other"})
    assert not form.is_valid() and "“/”" in str(form.errors["code"])
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=None,
            parent=OrgUnit.objects.get(code="25405"),
            code="25405/TO",
            name="Tổ",
            kind="other",
        )


def test_a_unit_whose_code_holds_a_slash_keeps_working_pages(demo, quiet_errors):
    from lantoa.orgs.models import OrgUnit

    unit = OrgUnit.objects.get(code="25405/TO-1")
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="focal.bombo"))
    answers = {
        url: client.get(url).status_code
        for url in (
            f"/units/{unit.pk}/",
            f"/units/{unit.pk}/members/",
            f"/units/{unit.pk}/edit/",
            f"/units/{unit.pk}/figures/",
            f"/plans/cascade/{unit.pk}/",
            f"/dashboard/?unit={unit.pk}",
            f"/activities/?unit={unit.pk}",
            "/assistant/25405/TO-1/",
            "/assistant/25405/TO-1/widget.js",
        )
    }
    assert all(status < 500 for status in answers.values()), answers
    assert answers["/assistant/25405/TO-1/"] == 200 and answers[f"/units/{unit.pk}/"] == 200
