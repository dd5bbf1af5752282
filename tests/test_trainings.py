"""The trainings register: programmes, sessions, trainees from the people lists; the indicators
count each person once; a session records one activity; the sheet is all or nothing."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lantoa.activities.choices import ActivityKind
from lantoa.activities.services import activity_record
from lantoa.analytics.computation import compute
from lantoa.orgs.choices import PersonKind, Role
from lantoa.orgs.models import Person
from lantoa.programme import trainings_services as services
from lantoa.programme.models import Trainee, TrainingProgramme
from lantoa.programme.trainings_sheets import import_programmes

D = datetime.date
MARCH = D(2025, 3, 1)
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def _programme(unit, title="Bồi dưỡng kỹ năng truyền thông số", actor=None, start=MARCH):
    return services.programme_save(
        actor=actor, unit=unit, title=title, topic="NQ57", for_communication_staff=True,
        starts_on=start, ends_on=start + datetime.timedelta(days=30), format="in_person", hours=16,
    )  # fmt: skip


@pytest.fixture
def people(tree):
    staff = [
        Person.objects.create(unit=tree.bombo, full_name=f"Cán bộ {i}", kind=PersonKind.COMMUNICATION)
        for i in range(4)
    ]  # fmt: skip
    official = Person.objects.create(
        unit=tree.bombo, full_name="Chủ tịch", kind=PersonKind.OFFICIAL
    )
    return staff, official


def test_distinct_people_across_sessions_and_programmes(tree, people):
    staff, official = people
    first = _programme(tree.bombo)
    second = _programme(tree.bombo, "Lớp thứ hai", start=D(2025, 6, 1))
    s1 = services.session_save(actor=None, programme=first, date=D(2025, 3, 2), place="Hội trường")
    s2 = services.session_save(actor=None, programme=first, date=D(2025, 3, 9))
    s3 = services.session_save(actor=None, programme=second, date=D(2025, 6, 2))
    services.trainees_set(
        actor=None, session=s1, person_ids=[staff[0].pk, staff[1].pk, official.pk]
    )
    services.trainees_set(actor=None, session=s2, person_ids=[staff[0].pk, staff[1].pk])
    services.trainees_set(actor=None, session=s3, person_ids=[staff[1].pk, staff[2].pk],
                          absent_ids=[staff[2].pk])  # fmt: skip
    trained = compute("staff_trained", unit=tree.bombo, start=YEAR[0], end=YEAR[1])
    # staff 0 and 1 (each once, over three sessions and two programmes); 2 did not attend.
    assert (trained.numerator, trained.denominator) == (2, 4)
    programmes = compute("training_programs", unit=tree.bombo, start=YEAR[0], end=YEAR[1])
    assert programmes.numerator == 2


def test_session_activity_is_not_counted_twice(tree, people, make_user):
    staff, _official = people
    user = make_user(tree.bombo, Role.REPORTER)
    programme = _programme(tree.bombo, actor=user)
    session = services.session_save(actor=user, programme=programme, date=D(2025, 3, 2))
    services.trainees_set(actor=user, session=session, person_ids=[staff[0].pk, staff[1].pk],
                          completed_ids=[staff[0].pk])  # fmt: skip
    activity = services.session_record_activity(actor=user, session=session)
    assert activity.kind == ActivityKind.TRAINING and activity.staff_trained == 2
    assert activity.attendance.count() == 2
    with pytest.raises(ValidationError, match="đã được ghi nhận|already recorded"):
        services.session_record_activity(actor=user, session=session)
    # Another training recorded by hand is one more programme, its people join once.
    other = activity_record(actor=user, unit=tree.bombo, kind=ActivityKind.TRAINING,
                            date=D(2025, 4, 1), title="Tập huấn khác", counts={})  # fmt: skip
    from lantoa.activities.attendance import attendance_set

    attendance_set(actor=user, activity=other, person_ids=[staff[1].pk, staff[3].pk])
    programmes = compute("training_programs", unit=tree.bombo, start=YEAR[0], end=YEAR[1])
    assert programmes.numerator == 2  # the register's programme + the hand-recorded training
    trained = compute("staff_trained", unit=tree.bombo, start=YEAR[0], end=YEAR[1])
    assert (trained.numerator, trained.denominator) == (3, 4)


def test_a_trainee_twice_is_refused(tree, people):
    staff, _official = people
    programme = _programme(tree.bombo)
    session = services.session_save(actor=None, programme=programme, date=D(2025, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.trainees_set(actor=None, session=session, person_ids=[staff[0].pk, staff[0].pk])
    assert "Cán bộ 0" in exc.value.messages[0] and (
        "hai lần" in exc.value.messages[0] or "twice" in exc.value.messages[0]
    )
    assert not Trainee.objects.exists()
    services.trainee_add(actor=None, session=session, person=staff[0])
    with pytest.raises(ValidationError, match="đã là học viên|already a trainee"):
        services.trainee_add(actor=None, session=session, person=staff[0])
    assert Trainee.objects.count() == 1


def test_bad_programme_and_session_and_scope(tree, people, make_user):
    with pytest.raises(ValidationError) as exc:
        services.programme_save(actor=None, unit=tree.bombo, title="", starts_on=D(2025, 3, 5),
                                ends_on=D(2025, 3, 1), hours=-1)  # fmt: skip
    assert set(exc.value.message_dict) == {"title", "ends_on", "hours"}
    programme = _programme(tree.bombo)
    with pytest.raises(ValidationError, match="nằm ngoài|outside the programme"):
        services.session_save(actor=None, programme=programme, date=D(2026, 1, 1))
    foreign = Person.objects.create(unit=tree.xuanlap, full_name="Người ngoài")
    session = services.session_save(actor=None, programme=programme, date=D(2025, 3, 2))
    with pytest.raises(ValidationError, match="không có trong danh sách|not on the people lists"):
        services.trainees_set(actor=None, session=session, person_ids=[foreign.pk])
    outsider = make_user(tree.xuanlap, Role.REPORTER)
    with pytest.raises(PermissionDenied):
        _programme(tree.bombo, actor=outsider)


def _sheet(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_import_all_or_nothing_and_export(tree, make_user, client):
    user = make_user(tree.bombo, Role.REPORTER)
    header = [
        "Mã đơn vị",
        "Tên",
        "Chủ đề",
        "Cho cán bộ truyền thông",
        "Từ",
        "Đến",
        "Hình thức",
        "Giờ",
    ]
    bad = _sheet([header,
                  ["25405", "Lớp A", "", "x", "01/03/2025", "05/03/2025", "in_person", 8],
                  ["26104", "Lớp B", "", "", "01/03/2025", "05/03/2025", "online", 8],
                  ["25405", "", "", "", "ngày", "05/03/2025", "in_person", "abc"],
                  ["25405", "Lớp D", "", "", "09/03/2025", "05/03/2025", "in_person", 8]])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        import_programmes(actor=user, data=bad)
    rows = [m.split(":")[0].split()[-1] for m in exc.value.messages]
    assert rows == ["3", "4", "5"]
    assert not TrainingProgramme.objects.exists()
    good = _sheet(
        [header, ["25405", "-Lớp đặc biệt", "", "x", "01/03/2025", "05/03/2025", "online", 8]]
    )
    assert len(import_programmes(actor=user, data=good)) == 1
    client.force_login(user)
    response = client.get(reverse("programme:training-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "-Lớp đặc biệt" and sheet["B2"].data_type == "s"


def test_pages_search_without_diacritics_and_scope(tree, people, make_user, client):
    staff, _official = people
    user = make_user(tree.bombo, Role.REPORTER)
    programme = _programme(tree.bombo, "Bồi dưỡng chuyển đổi số")
    _programme(tree.xuanlap, "Lớp Xuân Lập")
    client.force_login(user)
    page = client.get(reverse("programme:trainings"), {"q": "chuyen doi so"}).content.decode()
    assert "Bồi dưỡng chuyển đổi số" in page and "Lớp Xuân Lập" not in page
    response = client.post(
        reverse("programme:training", args=[programme.pk]),
        {"action": "session", "date": "2025-03-02", "place": "Nhà văn hóa", "trainer": "TS. An"},
    )
    assert response.status_code == 302
    session = programme.sessions.get()
    response = client.post(
        reverse("programme:training", args=[programme.pk]),
        {"action": "trainees", "session": session.pk, "person": [staff[0].pk, staff[1].pk],
         "completed": [staff[0].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("programme:training", args=[programme.pk])).content.decode()
    assert "Nhà văn hóa" in page and "TS. An" in page
    other = TrainingProgramme.objects.get(unit=tree.xuanlap)
    assert client.get(reverse("programme:training", args=[other.pk])).status_code == 404
    assert client.get(reverse("programme:training", args=["x"])).status_code == 400


def test_api_scoped(tree, make_user, api_client):
    user = make_user(tree.bombo, Role.REPORTER)
    _programme(tree.xuanlap, "Lớp Xuân Lập")
    api_client.force_authenticate(user)
    body = {"unit": tree.bombo.pk, "title": "Lớp API", "starts_on": "2025-03-01",
            "ends_on": "2025-03-02", "hours": "4"}  # fmt: skip
    response = api_client.post("/api/v1/training-programmes/", body, format="json")
    assert response.status_code == 201, response.content
    listed = api_client.get("/api/v1/training-programmes/").json()
    titles = [p["title"] for p in listed.get("results", listed)]
    assert titles == ["Lớp API"]
    body["unit"] = tree.xuanlap.pk
    assert api_client.post("/api/v1/training-programmes/", body, format="json").status_code == 404


def test_demo_registers_through_the_services(db):
    from lantoa.portal.demo.programme_trainings import load_demo_programme_trainings
    from lantoa.portal.demo.reporting import load_demo_reporting
    from lantoa.portal.demo.units import load_demo
    from lantoa.programme.models import NetworkMember

    load_demo()
    load_demo_reporting()
    assert load_demo_programme_trainings() == 5
    assert load_demo_programme_trainings() == 0  # safe to run again
    programme = TrainingProgramme.objects.get()
    assert programme.sessions.filter(activity__isnull=False).count() == 2
    assert Trainee.objects.filter(session__programme=programme).exists()
    assert NetworkMember.objects.filter(phone="").count() == 1  # no consent, no contact
