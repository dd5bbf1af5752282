"""Demo registers: a training programme of Bom Bo with two sessions and trainees from the
school's people list, and a few communication network members, all through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lantoa.orgs.models import OrgUnit, Person
from lantoa.programme import network_services, trainings_services
from lantoa.programme.models import MemberKind, NetworkMember, TrainingProgramme

MEMBERS = [
    (MemberKind.EXPERT, "TS. Điểu Văn Khánh", "Trường Đại học Nông Lâm", "Nông nghiệp số", True),
    (MemberKind.PRESS, "Phóng viên Lê Thị Hà", "Báo Đồng Nai", "Khoa học - công nghệ", True),
    (MemberKind.COMMUNITY_TEAM, "Tổ công nghệ số cộng đồng ấp 3", "Ấp 3, xã Bom Bo", "Chuyển đổi số", False),
    (MemberKind.ENTERPRISE, "Công ty TNHH Điều Bình Phước", "Doanh nghiệp chế biến điều", "Truy xuất nguồn gốc", True),
]  # fmt: skip


def load_demo_programme_trainings() -> int:
    """The demo registers (safe to run again: nothing is added twice). Returns what was added."""
    bombo = OrgUnit.objects.filter(code="25405").first()
    if bombo is None:
        return 0
    added = 0
    today = timezone.localdate()
    if not TrainingProgramme.objects.filter(unit=bombo).exists():
        start = today - datetime.timedelta(days=40)
        programme = trainings_services.programme_save(
            actor=None,
            unit=bombo,
            title="Bồi dưỡng kỹ năng truyền thông về khoa học, công nghệ và chuyển đổi số",
            topic="Truyền thông Nghị quyết 57-NQ/TW",
            for_communication_staff=True,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=30),
            format="blended",
            hours=16,
        )
        people = list(
            Person.objects.filter(unit__path__startswith=bombo.path, is_active=True).order_by(
                "-kind", "pk"
            )[:6]
        )
        for offset, place in ((2, "Hội trường UBND xã Bom Bo"), (9, "Trường Tiểu học Bom Bo")):
            session = trainings_services.session_save(
                actor=None,
                programme=programme,
                date=start + datetime.timedelta(days=offset),
                place=place,
                trainer="ThS. Nguyễn Văn Minh (Sở KH&CN)",
            )
            if people:
                ids = [p.pk for p in people]
                trainings_services.trainees_set(
                    actor=None, session=session, person_ids=ids, completed_ids=ids[:3]
                )
            trainings_services.session_record_activity(actor=None, session=session)
        added += 1
    if not NetworkMember.objects.filter(unit=bombo).exists():
        for kind, name, organisation, field, consented in MEMBERS:
            network_services.member_save(
                actor=None,
                unit=bombo,
                kind=kind,
                name=name,
                organisation=organisation,
                field=field,
                phone="0912000" + str(100 + added) if consented else "",
                email="",
                consent_on=today - datetime.timedelta(days=60) if consented else None,
            )
            added += 1
    return added
