"""The report as an official document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the issuing body and the national motto side by side, "Số: .../BC-...", place and date, "BÁO
CÁO" and its subject, the body, the signature block and "Nơi nhận". A4, Times New Roman 13–14
pt (Liberation Serif where Times is absent), margins 20–25 mm top and bottom, 30–35 mm left,
15–20 mm right. The .docx is built with python-docx, the .pdf from the same content through
WeasyPrint, the data behind it as .xlsx with openpyxl.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lantoa.core.text import fold
from lantoa.indicators.catalogue import STANDARD_INDICATORS, name_of
from lantoa.indicators.models import IndicatorEntry

from .models import Submission
from .services import units_below

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def _num(value) -> str:
    """100.00 → "100", 83.30 → "83,3": Vietnamese decimal comma, no trailing zeros."""
    text = format(value.normalize(), "f") if value is not None else "—"
    return text.replace(".", ",")


def _place(unit) -> str:
    """The locality on the date line: the unit's own commune or province."""
    from lantoa.orgs.models import OrgUnit

    if not unit.is_administrative:
        ancestors = [
            a for a in OrgUnit.objects.get_ancestors(unit) if a.is_administrative and a.depth > 1
        ]
        unit = ancestors[-1] if ancestors else unit
    name = unit.name
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _issuer_lines(unit) -> tuple[str, str]:
    """("ỦY BAN NHÂN DÂN", "XÃ BOM BO") for an administrative unit; its parent above it otherwise."""
    if unit.is_administrative:
        return "ỦY BAN NHÂN DÂN", unit.name.upper()
    from lantoa.orgs.models import OrgUnit

    parent = OrgUnit.objects.get_parent(unit)
    return (parent.name.upper() if parent else ""), unit.name.upper()


def _symbol(unit) -> str:
    return (
        "BC-UBND"
        if unit.is_administrative
        else "BC-" + "".join(w[0] for w in fold(unit.name).split()[:4]).upper()
    )


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
    signer: str
    recipients: list[str]
    units_lines: list[str]


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
            f"Các đơn vị thực hiện {below['period'].plan}: đã nhận {below['received']}/"
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
            date=f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
            subject=f"Kết quả thực hiện {plan} – {period}",
            groups=list(groups.items()),
            indicators=indicators,
            narrative=submission.narrative,
            difficulties=submission.difficulties,
            proposals=submission.proposals,
            signer=f"TM. {top}" if unit.is_administrative else f"THỦ TRƯỞNG {name}",
            recipients=[f"{plan.unit.name} (để báo cáo)", "Lưu: VT."],
        )


def report_docx(submission: Submission) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    c = content_of(submission)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(docx.oxml.ns.qn("w:eastAsia"), FONT)

    def para(text="", *, bold=False, italic=False, align=None, size=14, cell=None):
        target = cell if cell is not None else document
        empty = cell is not None and len(cell.paragraphs) == 1 and not cell.paragraphs[0].text
        p = cell.paragraphs[0] if empty else target.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
        if align is not None:
            p.alignment = align
        return p

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    para(c.issuer_top, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    para(c.issuer_name, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    para(f"Số:      /{c.symbol}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    para(MOTTO, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    para(MOTTO_2, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    para(f"{c.place}, {c.date}", italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)

    para("BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(c.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("I. KẾT QUẢ THỰC HIỆN", bold=True)
    if c.narrative:
        para(c.narrative, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for title, rows in c.groups:
        para(title, bold=True)
        for row in rows:
            line = f"- {row.task.text}: {row.get_status_display().lower()}"
            if row.narrative:
                line += f". {row.narrative}"
            para(line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("II. CÁC CHỈ TIÊU", bold=True)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Chỉ tiêu", "Kết quả", "Chỉ tiêu kế hoạch"), strict=True
    ):
        cell.paragraphs[0].add_run(text).bold = True
    for row in c.indicators:
        cells = table.add_row().cells
        for cell, text in zip(cells, (row["name"], row["value"], row["target"]), strict=True):
            cell.paragraphs[0].add_run(text).font.size = Pt(13)
    for line in c.units_lines:
        para(line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("III. KHÓ KHĂN, VƯỚNG MẮC", bold=True)
    para(c.difficulties or "Không.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    para(c.proposals or "Không.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    footer = document.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    para("Nơi nhận:", bold=True, italic=True, size=12, cell=left)
    for recipient in c.recipients:
        para(f"- {recipient}", size=11, cell=left)
    para(c.signer, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_pdf(submission: Submission) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/report_document.html", {"c": content_of(submission)})
    return HTML(string=html).write_pdf()


def report_xlsx(submission: Submission) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = content_of(submission)
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    sheet.append(["Chỉ tiêu", "Kết quả", "Chỉ tiêu kế hoạch"])
    for row in c.indicators:
        sheet.append([row["name"], row["value"], row["target"]])
    tasks = book.create_sheet("Nhiệm vụ")
    tasks.append(["Nhóm", "Nhiệm vụ", "Tình trạng", "Kết quả", "Số hoạt động"])
    for title, rows in c.groups:
        for row in rows:
            tasks.append(
                [title, row.task.text, row.get_status_display(), row.narrative, row.activity_count]
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
