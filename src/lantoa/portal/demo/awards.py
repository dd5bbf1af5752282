"""Demo awards, through the services: the Bom Bo primary school nominates itself and one of its
teachers, the commune's focal point accepts and decides; Bom Bo's own nomination waits for the
province's decision. Safe to run again."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lantoa.orgs.models import OrgUnit, Person, User
from lantoa.programme.awards_services import award_decide, award_nominate, award_review
from lantoa.programme.models.awards import AwardLevel, AwardNomination, NominationKind


def load_demo_awards() -> int:
    """How many nominations the demo made (0 when already there or the demo units are not)."""
    school = OrgUnit.objects.filter(code="25405-THBB").first()
    commune = OrgUnit.objects.filter(code="25405").first()
    reporter = User.objects.filter(username="reporter.truong-bombo").first()
    commune_reporter = User.objects.filter(username="reporter.bombo").first()
    focal = User.objects.filter(username="focal.bombo").first()
    province_focal = User.objects.filter(username="focal.dongnai").first()
    if None in (school, commune, reporter, commune_reporter, focal, province_focal):
        return 0
    if AwardNomination.objects.filter(unit__in=[school, commune]).exists():
        return 0
    today = timezone.localdate()
    year = today.year if today.month > 1 else today.year - 1
    made = []
    collective = award_nominate(
        actor=reporter,
        unit=school,
        kind=NominationKind.COLLECTIVE,
        year=year,
        achievement=(
            "Duy trì chuyên mục Nghị quyết 57 trên trang thông tin của trường; tổ chức 4 buổi "
            "tập huấn kỹ năng số cho giáo viên và phụ huynh."
        ),
        proposed_level=AwardLevel.COMMUNE_CHAIR,
    )
    made.append(collective)
    teacher = Person.objects.current().filter(unit=school).order_by("pk").first()
    if teacher is not None:
        made.append(
            award_nominate(
                actor=reporter,
                unit=school,
                kind=NominationKind.INDIVIDUAL,
                person=teacher,
                year=year,
                achievement="Biên tập 24 tin bài tuyên truyền chuyển đổi số trong năm.",
                proposed_level=AwardLevel.COMMUNE_CHAIR,
            )
        )
    for nomination in made:
        award_review(actor=focal, nomination=nomination, accept=True, note="Đủ điều kiện.")
    award_decide(
        actor=focal,
        nomination=collective,
        number=f"15/QĐ-UBND-{year}",
        date=max(datetime.date(year, 12, 1), datetime.date(2024, 1, 1))
        if datetime.date(year, 12, 1) <= today
        else today,
        level=AwardLevel.COMMUNE_CHAIR,
    )
    made.append(
        award_nominate(
            actor=commune_reporter,
            unit=commune,
            kind=NominationKind.COLLECTIVE,
            year=year,
            achievement="Hoàn thành 100 % nhiệm vụ kế hoạch truyền thông Nghị quyết 57 năm.",
            proposed_level=AwardLevel.PROVINCE_CHAIR,
        )
    )
    return len(made)
