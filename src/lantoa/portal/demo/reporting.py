"""Demo evidence: a few activities and figures in Bom Bo, so reports have something to draft from."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lantoa.activities.attendance import attendance_set
from lantoa.activities.choices import ActivityKind
from lantoa.activities.models import Activity
from lantoa.activities.services import activity_record, tasks_for_unit
from lantoa.indicators.services import fact_set
from lantoa.orgs.choices import PersonKind
from lantoa.orgs.models import OrgUnit, Person
from lantoa.orgs.people import person_save

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Điểu", "Thị", "Hoàng", "Vũ"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc",
         "Quyên", "Sơn", "Thảo", "Uyên", "Vinh", "Xuân"]  # fmt: skip


def _demo_people(school: OrgUnit) -> list[Person]:
    """The school's people list: 34 teachers and staff, 3 of them doing communication."""
    if not Person.objects.filter(unit=school).exists():
        for i in range(34):
            person_save(
                actor=None,
                unit=school,
                full_name=f"{SURNAMES[i % len(SURNAMES)]} Văn {GIVEN[i % len(GIVEN)]} {i + 1}",
                position="Giáo viên" if i else "Hiệu trưởng",
                kind=PersonKind.COMMUNICATION if i < 3 else PersonKind.STAFF,
            )
    return list(Person.objects.filter(unit=school).order_by("pk"))


FACTS = [
    ("25405", "officials_total", 62),
    ("25405", "population", 9800),
    ("25405", "website_section", 1),
    ("25405-THBB", "officials_total", 34),
    ("25405-THBB", "communication_staff_total", 3),
]


def load_demo_reporting() -> int:
    units = {
        u.code: u for u in OrgUnit.objects.filter(code__in={"25405", "25405-THBB", "25405-TTDV"})
    }
    for code, key, value in FACTS:
        if code in units:
            fact_set(actor=None, unit=units[code], key=key, value=value, source="Số liệu demo")
    if (
        Activity.objects.filter(origin_ref__startswith="demo-").exists()
        or "25405-THBB" not in units
    ):
        return 0
    today = timezone.localdate()
    school, centre = units["25405-THBB"], units.get("25405-TTDV")
    school_tasks = list(tasks_for_unit(school)[:3])
    recorded = [
        (
            school,
            ActivityKind.TRAINING,
            20,
            "Tập huấn kỹ năng số cho giáo viên",
            {"participants": 30, "officials": 28, "staff_trained": 2},
        ),
        (
            school,
            ActivityKind.MEETING,
            35,
            "Sinh hoạt chuyên đề về Nghị quyết 57-NQ/TW",
            {"participants": 40, "officials": 34},
        ),
    ]
    if centre is not None:
        recorded.append(
            (
                centre,
                ActivityKind.BROADCAST,
                10,
                "Bản tin truyền thanh về chuyển đổi số",
                {"items": 4, "minutes": 40, "audience": 3500},
            )
        )
    people = _demo_people(school)
    for index, (unit, kind, days_ago, title, counts) in enumerate(recorded):
        activity = activity_record(
            actor=None,
            unit=unit,
            kind=kind,
            date=today - datetime.timedelta(days=days_ago),
            title=title,
            counts=counts,
            tasks=school_tasks[index : index + 1] if unit == school else [],
            origin_ref=f"demo-{index}",
        )
        if (
            unit == school and kind == ActivityKind.TRAINING
        ):  # the sign-in sheet: 28 people, 2 of them
            attendance_set(  # communication staff
                actor=None, activity=activity, names=[p.full_name for p in people[1:29]]
            )
        elif unit == school:  # the whole school sat the meeting on Resolution 57
            attendance_set(actor=None, activity=activity, whole_unit=True)
    return len(recorded)
