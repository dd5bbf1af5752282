"""The awards register: nominate, review, decide (an AWARD activity recorded), the register and
its sheet, the sheet import refusing everything for one bad row, scoping, the API, the audit."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lantoa.activities.choices import ActivityKind
from lantoa.activities.models import Activity
from lantoa.orgs.choices import Role
from lantoa.orgs.models import Person
from lantoa.programme import awards_services as services
from lantoa.programme.awards_sheets import import_nominations
from lantoa.programme.models.awards import (
    AwardDecision,
    AwardLevel,
    AwardNomination,
    NominationKind,
    NominationStatus,
)

PASSWORD = "Mat-khau-2025!"
TODAY = datetime.date.today()


@pytest.fixture
def people(tree):
    return [
        Person.objects.create(unit=tree.school, full_name="Điểu Thị Lan", position="Giáo viên"),
        Person.objects.create(unit=tree.xl_school, full_name="Trần Văn Minh", position="Giáo viên"),
    ]


def _nominate(actor, unit, **extra):
    values = {
        "kind": NominationKind.COLLECTIVE,
        "year": TODAY.year,
        "achievement": "Duy trì chuyên mục Nghị quyết 57",
        "proposed_level": AwardLevel.COMMUNE_CHAIR,
    }
    values.update(extra)
    return services.award_nominate(actor=actor, unit=unit, **values)


def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Loại", "Họ tên", "Năm", "Thành tích", "Mức"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_nominate_review_decide_records_award_activity_and_register(tree, make_user, people):
    reporter = make_user(tree.school, Role.REPORTER)
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    nomination = _nominate(reporter, tree.school, kind=NominationKind.INDIVIDUAL, person=people[0])
    assert nomination.status == NominationStatus.PROPOSED
    # The school's own reporter cannot review its nomination: the commune above does.
    with pytest.raises(PermissionDenied):
        services.award_review(actor=reporter, nomination=nomination, accept=True)
    with pytest.raises(ValidationError) as refused:
        services.award_review(actor=focal, nomination=nomination, accept=False)
    assert "review_note" in refused.value.message_dict
    services.award_review(actor=focal, nomination=nomination, accept=True)
    decision = services.award_decide(
        actor=focal,
        nomination=nomination,
        number="15/QĐ-UBND",
        date=TODAY,
        level=AwardLevel.COMMUNE_CHAIR,
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWARDED
    activity = Activity.objects.get(pk=decision.activity_id)
    assert activity.unit == tree.school and activity.kind == ActivityKind.AWARD
    assert "15/QĐ-UBND" in activity.title
    # A second decision for the same nomination is refused.
    with pytest.raises(ValidationError):
        services.award_decide(
            actor=focal, nomination=nomination, number="16", date=TODAY, level=AwardLevel.MINISTER
        )
    # The register page and its sheet, read back.
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(focal)
    page = client.get(reverse("awards:register")).content.decode()
    assert "15/QĐ-UBND" in page and "Điểu Thị Lan" in page
    sheet = client.get(reverse("awards:register-xlsx"))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert (
        rows[1][0] == "25405-THBB" and rows[1][3] == "Điểu Thị Lan" and rows[1][6] == "15/QĐ-UBND"
    )
    # Audit: who nominated, who decided.
    assert LogEntry.objects.get_for_object(nomination).filter(actor=reporter).exists()
    assert LogEntry.objects.get_for_object(decision).get().actor == focal


def test_bad_nominations_refused_with_nothing_saved(tree, make_user, people):
    reporter = make_user(tree.school, Role.REPORTER)
    with pytest.raises(ValidationError) as refused:
        _nominate(reporter, tree.school, kind=NominationKind.INDIVIDUAL, person=people[1])
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _nominate(reporter, tree.school, year=2019, achievement=" ", proposed_level="x")
    assert {"year", "achievement", "proposed_level"} <= set(refused.value.message_dict)
    with pytest.raises(PermissionDenied):
        _nominate(reporter, tree.xl_school)
    assert not AwardNomination.objects.exists()


def test_sheet_with_a_bad_row_saves_nothing_and_names_it(tree, make_user, people):
    reporter = make_user(tree.bombo, Role.REPORTER)
    good = ["25405-THBB", "Tập thể", None, TODAY.year, "Tổ chức tập huấn", "commune_chair"]
    person = ["25405-THBB", "Cá nhân", "điểu thị lan", TODAY.year, "Biên tập tin bài", "Bằng khen"]
    with pytest.raises(ValidationError) as refused:
        import_nominations(actor=reporter, data=_sheet([good, person, good]))
    messages = refused.value.messages
    assert len(messages) == 1 and messages[0].split(":")[0].endswith(" 3")
    assert not AwardNomination.objects.exists()
    named = ["25405-THBB", "collective", "Điểu Thị Lan", TODAY.year, "x", "commune_chair"]
    with pytest.raises(ValidationError) as refused:
        import_nominations(actor=reporter, data=_sheet([named]))
    assert refused.value.messages[0].split(":")[0].endswith(" 2")
    foreign = ["26104-THXL", "collective", None, TODAY.year, "x", "commune_chair"]
    with pytest.raises(ValidationError) as refused:
        import_nominations(actor=reporter, data=_sheet([good, foreign]))
    assert refused.value.messages[0].split(":")[0].endswith(" 3")
    person[5] = "Giấy khen của Chủ tịch UBND xã"
    created = import_nominations(actor=reporter, data=_sheet([good, person]))
    assert [n.kind for n in created] == [NominationKind.COLLECTIVE, NominationKind.INDIVIDUAL]
    assert AwardNomination.objects.get(kind="individual").person == people[0]
    summaries = [e.additional_data.get("summary", "") for e in LogEntry.objects.all()]
    assert any(s.startswith("2 ") for s in summaries if s)


def test_scoping_pages_and_api(tree, make_user, people, api_client):
    bombo_reporter = make_user(tree.bombo, Role.REPORTER)
    xuanlap_reporter = make_user(tree.xuanlap, Role.REPORTER)
    mine = _nominate(bombo_reporter, tree.school)
    from django.test import Client

    client = Client()
    client.force_login(xuanlap_reporter)
    assert client.get(reverse("awards:detail", args=[mine.pk])).status_code == 404
    assert "Trường Tiểu học Bom Bo" not in client.get(reverse("awards:list")).content.decode()
    api_client.force_authenticate(xuanlap_reporter)
    assert api_client.get("/api/v1/award-nominations/").json()["count"] == 0
    api_client.force_authenticate(bombo_reporter)
    assert api_client.get("/api/v1/award-nominations/").json()["count"] == 1
    made = api_client.post(
        "/api/v1/award-nominations/",
        {
            "unit_code": "25405-THBB",
            "kind": "individual",
            "person": people[0].pk,
            "year": TODAY.year,
            "achievement": "Biên tập tin bài",
            "proposed_level": "commune_chair",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["person_name"] == "Điểu Thị Lan"
    foreign = api_client.post(
        "/api/v1/award-nominations/",
        {
            "unit_code": "25405-THBB",
            "kind": "individual",
            "person": people[1].pk,
            "year": TODAY.year,
            "achievement": "x",
            "proposed_level": "commune_chair",
        },
        format="json",
    )
    assert foreign.status_code == 400


def test_nomination_pages_review_and_decision(tree, make_user, people):
    from django.test import Client

    reporter = make_user(tree.school, Role.REPORTER)
    focal = make_user(tree.bombo, Role.FOCAL_POINT)
    client = Client()
    client.force_login(reporter)
    response = client.post(
        reverse("awards:create"),
        {
            "unit": tree.school.pk,
            "kind": "individual",
            "person": people[0].pk,
            "year": TODAY.year,
            "achievement": "Biên tập tin bài",
            "proposed_level": "commune_chair",
        },
    )
    nomination = AwardNomination.objects.get()
    assert response.status_code == 302
    assert (
        "review-accept"
        not in client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    )
    client.force_login(focal)
    url = reverse("awards:detail", args=[nomination.pk])
    client.post(url, {"review-accept": "1", "review-review_note": "Đạt"})
    response = client.post(
        url,
        {
            "decision-number": "7/QĐ-UBND",
            "decision-date": TODAY.isoformat(),
            "decision-level": "commune_chair",
            "decision-record_activity": "on",
        },
    )
    assert response.status_code == 302
    assert AwardDecision.objects.get().number == "7/QĐ-UBND"
    assert "7/QĐ-UBND" in client.get(url).content.decode()
    # Found from the registers' page (the menu's "Sổ theo dõi").
    assert 'href="/awards/"' in client.get(reverse("programme:index")).content.decode()


def test_demo_awards_through_the_services(tree, make_user, people):
    from lantoa.portal.demo.awards import load_demo_awards

    make_user(tree.school, Role.REPORTER, username="reporter.truong-bombo")
    make_user(tree.bombo, Role.REPORTER, username="reporter.bombo")
    make_user(tree.bombo, Role.FOCAL_POINT, username="focal.bombo")
    make_user(tree.dongnai, Role.FOCAL_POINT, username="focal.dongnai")
    assert load_demo_awards() == 3
    decision = AwardDecision.objects.get()
    assert decision.nomination.unit == tree.school and decision.activity is not None
    assert AwardNomination.objects.filter(status=NominationStatus.ACCEPTED).count() == 1
    assert load_demo_awards() == 0  # safe to run again
