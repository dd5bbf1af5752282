"""Demo plans: the national program (Quyết định 1169/QĐ-TTg of the Prime Minister, followed
by Bộ KH&CN) and a province plan typed by hand, and the three seed plans imported through the
importer, as a user would."""

from __future__ import annotations

import datetime
from pathlib import Path

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.national import ROOT_CODE
from lantoa.plans.importer import read_document, understand
from lantoa.plans.models import Plan, ReportDeadline
from lantoa.plans.services import plan_create, plan_import

HERE = Path(__file__).resolve().parent
# (file, issuing unit code)
SEED_PLANS = [
    ("lang-son-211-KH-UBND.txt", "20"),
    ("bom-bo-63-KH-UBND.txt", "25405"),
    ("xuan-lap.txt", "26104"),
]


def load_demo_plans() -> list[Plan]:
    root = OrgUnit.objects.get(code=ROOT_CODE)
    plans = []
    if not Plan.objects.filter(unit=root, number="1169/QĐ-TTg").exists():
        plans.append(
            plan_create(
                actor=None,
                unit=root,
                number="1169/QĐ-TTg",
                issuer="Thủ tướng Chính phủ",
                issued_on=datetime.date(2025, 6, 16),
                title="Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
                "của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
                "quốc gia đến năm 2030”",
                references=["57-NQ/TW"],
            )
        )
        # The national program asks for reports twice a year; plans below follow it.
        for day, month in ((10, 6), (10, 12)):
            ReportDeadline.objects.get_or_create(plan=plans[-1], day=day, month=month)
    dongnai = OrgUnit.objects.get(code="75")
    if not Plan.objects.filter(unit=dongnai, number="45/KH-UBND").exists():
        plans.append(
            plan_create(
                actor=None,
                unit=dongnai,
                number="45/KH-UBND",
                issuer="UBND tỉnh Đồng Nai",
                issued_on=datetime.date(2025, 8, 12),
                title="Triển khai Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW” "
                "trên địa bàn tỉnh Đồng Nai",
                references=["1169/QĐ-TTg", "57-NQ/TW"],
            )
        )
    for filename, code in SEED_PLANS:
        unit = OrgUnit.objects.get(code=code)
        if Plan.objects.filter(unit=unit, source_name=filename).exists():
            continue
        data = (HERE / filename).read_bytes()
        understood = understand(read_document(data, filename=filename))
        plans.append(
            plan_import(
                actor=None,
                unit=unit,
                source=understood.source,
                extracted=understood.extracted,
                filename=filename,
                data=data,
            )
        )
    return plans
