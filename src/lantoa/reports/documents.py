"""The report as an official document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the issuing body and the national motto side by side, each with a short rule line under it,
"Số: .../BC-...", place and date, "BÁO CÁO" and its trích yếu (the document reported on: its
kind, number, date and issuer), the body, the signature block and "Nơi nhận". Page numbers are
centred at the top from page 2; the signer's title follows the unit's kind (Chủ tịch for a
People's Committee, Hiệu trưởng for a school, Giám đốc for a Sở ...) over the signer's name; the
signature block stays on the page of the last paragraph. A4, Times New Roman 13–14 pt (Liberation
Serif where Times is absent), margins 20–25 mm top and bottom, 30–35 mm left, 15–20 mm right.
The .docx is built with python-docx, the .pdf from the same content through WeasyPrint, the data
behind it as .xlsx with openpyxl.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation

from lantoa.core.sheets import append_row
from lantoa.core.text import fold, printable
from lantoa.core.truncation import shorten
from lantoa.indicators.catalogue import STANDARD_INDICATORS, name_of
from lantoa.indicators.models import IndicatorEntry
from lantoa.orgs.official import (
    OfficialDocx,
    date_cited,
    date_line,
    issuer_lines,
    num,
    official_pdf,
    place_of,
    signer_lines,
    symbol_of,
)
from lantoa.programme import budget_selectors

from .models import Submission
from .services import units_below

# The generic NĐ 30/2020 parts live in orgs.official (shared with evaluation); these names stay
# importable from here for the report's callers.
_num = num
_place = place_of
_issuer_lines = issuer_lines
_date_cited = date_cited


def _symbol(unit) -> str:
    return symbol_of(unit, "BC")


def subject_of(plan, period) -> str:
    """The trích yếu: "Kết quả thực hiện Kế hoạch số 63/KH-UBND ngày 05/9/2025 của UBND xã Bom
    Bo (năm 2025)"; a Quyết định of the Prime Minister says so. Called in Vietnamese."""
    if plan.number:
        cited = f"{plan.get_kind_display()} số {plan.number}"
        if plan.issued_on:
            cited += f" ngày {_date_cited(plan.issued_on)}"
        cited += f" của {plan.issuer}"
    else:
        cited = f"{plan.get_kind_display()} “{shorten(plan.title, 160)}”"
    span = str(period)
    span = span[:1].lower() + span[1:]
    return printable(f"Kết quả thực hiện {cited} ({span})")


@dataclass
class ReportContent:
    issuer_top: str
    issuer_name: str
    symbol: str
    place: str
    date: str
    subject: str
    groups: list[tuple[str, list]]
    indicators: list[dict]
    narrative: str
    difficulties: str
    proposals: str
    signer: list[str]
    signer_name: str
    recipients: list[str]
    units_lines: list[str]
    budget: list[tuple[str, ...]] = field(default_factory=list)


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def budget_of(submission: Submission):
    """The budget execution, per task and per unit, of the report's unit and the units below it
    for the period's year (programme's estimates, allocations and spending); None when the unit
    has no estimate for that year."""
    result = budget_selectors.execution(submission.unit, submission.period.start.year)
    return result if result.lines else None


def _budget_rows(execution) -> list[tuple[str, ...]]:
    rows = [
        (
            shorten(line.estimate.task.text, 200),
            str(line.estimate.unit.name),
            _vnd(line.estimate.amount),
            _vnd(line.allocated),
            _vnd(line.spent),
            f"{line.rate}%" if line.rate is not None else "—",
        )
        for line in execution.lines
    ]
    rate = f"{execution.rate}%" if execution.rate is not None else "—"
    rows.append(
        ("Tổng cộng", "", _vnd(execution.estimated), _vnd(execution.allocated),
         _vnd(execution.spent), rate)
    )  # fmt: skip
    return rows


def content_of(submission: Submission) -> ReportContent:
    with translation.override("vi"):
        period, unit, plan = submission.period, submission.unit, submission.period.plan
        top, name = _issuer_lines(unit)
        today = timezone.localdate()
        names = {s.code: str(s.name) for s in STANDARD_INDICATORS}
        targets = {}
        for target in plan.targets.filter(indicator__isnull=False).select_related("indicator"):
            targets.setdefault(target.indicator.code, target)
        stated = dict(  # the figures the unit typed for the period, with their source
            IndicatorEntry.objects.filter(
                unit=unit, period_start=period.start, period_end=period.end
            ).values_list("indicator__code", "source")
        )
        indicators = []
        for row in submission.indicator_rows.all():
            target = targets.get(row.code)
            # A share above 100 % cannot be true (attendances counted as people, a list out of
            # date): it is never printed in the official document; the report page flags it to
            # the unit with the activities behind it.
            over_100 = row.unit == "%" and row.value is not None and row.value > 100
            if row.value is None or over_100:
                value = "—"
            elif row.unit == "n_of_m":
                value = f"{_num(row.numerator)}/{_num(row.denominator)} ({_num(row.value)}%)"
            else:
                value = f"{_num(row.value)}{'%' if row.unit == '%' else ''}"
            planned = "—"
            if target is not None and target.value is not None:
                planned = f"{_num(target.value)}{'%' if target.unit == '%' else ''} ({target.year or '—'})"
            indicators.append(
                {
                    "code": row.code,
                    "name": names.get(row.code, row.code),
                    "label": name_of(row.code),  # in the reader's language, for the page
                    "over_100": over_100,
                    "source": stated.get(row.code, ""),
                    "computed": f"{_num(row.value)}%" if over_100 else "",
                    "value": value,
                    "target": planned,
                }
            )
        groups: dict[str, list] = {}
        for row in submission.task_rows.select_related("task"):
            key = (
                f"{row.task.group}. {row.task.group_title}".strip(". ")
                if row.task.group_title
                else row.task.group
            )
            groups.setdefault(key, []).append(row)
        units_lines = [
            f"Các đơn vị thực hiện {below['period'].plan.label}: đã nhận {below['received']}/"
            f"{below['expected']} báo cáo ({_num(Decimal(str(below['completeness'] or 0)))}%), đúng hạn "
            f"{below['on_time']}/{below['expected']} ({_num(Decimal(str(below['timeliness'] or 0)))}%)."
            for below in units_below(submission)
        ]
        return ReportContent(
            units_lines=units_lines,
            issuer_top=top,
            issuer_name=name,
            symbol=_symbol(unit),
            place=_place(unit),
            date=date_line(today),
            subject=subject_of(plan, period),
            groups=list(groups.items()),
            indicators=indicators,
            narrative=submission.narrative,
            difficulties=submission.difficulties,
            proposals=submission.proposals,
            signer=signer_lines(unit),
            signer_name=submission.signer_name,
            recipients=[f"{plan.unit_as_issuer()} (để báo cáo)", "Lưu: VT."],
            budget=_budget_rows(budget) if (budget := budget_of(submission)) else [],
        )


def report_docx(submission: Submission) -> bytes:
    c = content_of(submission)
    doc = OfficialDocx()
    doc.header(
        issuer_top=c.issuer_top,
        issuer_name=c.issuer_name,
        symbol=c.symbol,
        place=c.place,
        date=c.date,
    )
    doc.centre("BÁO CÁO", bold=True)
    doc.centre(c.subject, bold=True)
    doc.para("I. KẾT QUẢ THỰC HIỆN", bold=True)
    if c.narrative:
        doc.justify(c.narrative)
    for title, rows in c.groups:
        doc.para(title, bold=True)
        for row in rows:
            line = f"- {row.task.text}: {row.get_status_display().lower()}"
            if row.narrative:
                line += f". {row.narrative}"
            doc.justify(line)
    doc.para("II. CÁC CHỈ TIÊU", bold=True)
    doc.table(
        ("Chỉ tiêu", "Kết quả", "Chỉ tiêu kế hoạch"),
        [(row["name"], row["value"], row["target"]) for row in c.indicators],
    )
    for line in c.units_lines:
        doc.justify(line)
    if c.budget:
        doc.para("Tình hình thực hiện kinh phí (đồng)", bold=True)
        doc.table(("Nhiệm vụ", "Đơn vị", "Dự toán", "Đã phân bổ", "Đã chi", "Tỷ lệ chi"), c.budget)
    doc.para("III. KHÓ KHĂN, VƯỚNG MẮC", bold=True)
    doc.justify(c.difficulties or "Không.")
    doc.para("IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True).paragraph_format.keep_with_next = True
    # The last paragraph keeps with the signature block, which never splits across pages.
    doc.justify(c.proposals or "Không.")
    doc.signature(recipients=c.recipients, signer=c.signer, signer_name=c.signer_name)
    return doc.to_bytes()


def report_pdf(submission: Submission) -> bytes:
    return official_pdf("reports/report_document.html", {"c": content_of(submission)})


def report_xlsx(submission: Submission) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = content_of(submission)
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    append_row(sheet, ["Chỉ tiêu", "Kết quả", "Chỉ tiêu kế hoạch"])
    for row in c.indicators:
        append_row(sheet, [row["name"], row["value"], row["target"]])
    tasks = book.create_sheet("Nhiệm vụ")
    append_row(tasks, ["Nhóm", "Nhiệm vụ", "Tình trạng", "Kết quả", "Số hoạt động"])
    for title, rows in c.groups:
        for row in rows:
            append_row(
                tasks,
                [title, row.task.text, row.get_status_display(), row.narrative, row.activity_count],
            )
    for sheet_ in (sheet, tasks):
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(submission: Submission, extension: str) -> str:
    base = "-".join(fold(f"bao cao {submission.unit.name} {submission.period}").split())
    return f"{base}.{extension}"
