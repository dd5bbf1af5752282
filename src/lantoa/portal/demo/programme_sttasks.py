"""Demo state-funded S&T tasks and budget, written through the programme's services: tasks of the
two provinces' Departments of Science and Technology (one a state secret, never public), linked
to the published demo content; Bom Bo's estimates for its plan tasks with allocations and
spending (one spent over its allocation). Safe to run again; a handful of rows, fast."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lantoa.content.choices import ContentStatus
from lantoa.content.models import ContentItem
from lantoa.orgs.models import OrgUnit
from lantoa.programme import budget_services, sttasks_services
from lantoa.programme.models import BudgetEstimate, STTask
from lantoa.programme.sttasks_choices import STTaskLevel, STTaskStatus

TASKS = [
    # (unit, code, title, level, host, lead, budget, start, end, status, registration, secret)
    ("20-SKHCN", "ĐTKHCN.LS.2025.01", "Ứng dụng chuyển đổi số trong quản lý rừng trồng tỉnh Lạng Sơn",
     STTaskLevel.PROVINCIAL, "Trường Đại học Nông Lâm - Đại học Thái Nguyên", "Hoàng Văn Minh",
     1_250_000_000, 2025, 2026, STTaskStatus.IN_PROGRESS, ("2025-20-015", (2025, 4, 10)), False),
    ("20-SKHCN", "ĐTKHCN.LS.2024.03", "Xây dựng bộ chỉ dẫn địa lý cho hồi Lạng Sơn",
     STTaskLevel.PROVINCIAL, "Viện Khoa học Nông nghiệp Việt Nam", "Lương Thị Thu",
     980_000_000, 2024, 2025, STTaskStatus.ACCEPTED, None, False),
    ("20-SKHCN", "MAT.LS.2025.01", "Nhiệm vụ thuộc danh mục bí mật nhà nước",
     STTaskLevel.NATIONAL, "Đơn vị chủ trì (mật)", "", None, 2025, 2027,
     STTaskStatus.IN_PROGRESS, None, True),
    ("75-SKHCN", "ĐTCS.ĐN.2025.02", "Ứng dụng IoT trong tưới tiêu tiết kiệm cho cây điều",
     STTaskLevel.GRASSROOTS, "Trung tâm Ứng dụng tiến bộ KH&CN Đồng Nai", "Trần Quốc Bảo",
     350_000_000, 2025, 2025, STTaskStatus.FINISHED, ("2025-75-031", (2025, 9, 3)), False),
]  # fmt: skip


def load_demo_sttasks() -> int:
    """The demo tasks and budget lines; the number of tasks written (0 when already there)."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={"20-SKHCN", "75-SKHCN", "25405"})}
    written = 0
    published = list(ContentItem.objects.filter(status=ContentStatus.PUBLISHED).order_by("pk")[:2])
    for (code, number, title, level, host, lead, budget, start, end, status, registration,
         secret) in TASKS:  # fmt: skip
        unit = units.get(code)
        if unit is None or STTask.objects.filter(unit=unit, code=number).exists():
            continue
        values = {
            "code": number,
            "title": title,
            "level": level,
            "host_organisation": host,
            "lead_researcher": lead,
            "budget": budget,
            "start_year": start,
            "end_year": end,
            "status": status,
            "registered": registration is not None,
            "registration_number": registration[0] if registration else "",
            "registration_date": datetime.date(*registration[1]) if registration else None,
            "secret": secret,
        }
        links = published[:1] if code == "75-SKHCN" and not secret else []
        sttasks_services.sttask_create(actor=None, unit=unit, values=values, content_items=links)
        written += 1
    _budget(units.get("25405"))
    return written


def _budget(commune: OrgUnit | None) -> None:
    if commune is None or BudgetEstimate.objects.filter(unit=commune).exists():
        return
    year = timezone.localdate().year
    day = timezone.localdate().replace(day=1)
    tasks = list(budget_services.tasks_for_unit(commune).order_by("plan_id", "order")[:3])
    for index, task in enumerate(tasks):
        estimate = budget_services.estimate_save(
            actor=None, unit=commune, task=task, year=year, amount=(index + 1) * 40_000_000
        )
        budget_services.allocation_add(
            actor=None,
            estimate=estimate,
            date=day,
            amount=(index + 1) * 30_000_000,
            document_number=f"{12 + index}/QĐ-UBND",
        )
        budget_services.spending_add(
            actor=None,
            estimate=estimate,
            date=day,
            # The last line is spent over its allocation, so the flag shows in the demo.
            amount=(index + 1) * (35_000_000 if index == len(tasks) - 1 else 20_000_000),
            description="Tổ chức hội nghị, in ấn tài liệu tuyên truyền",
            document_number=f"UNC {100 + index}",
            document_date=day,
        )
