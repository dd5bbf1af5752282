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

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lantoa.core.sheets import append_row
from lantoa.core.text import fold, printable
from lantoa.core.truncation import shorten
from lantoa.indicators.catalogue import STANDARD_INDICATORS, name_of
from lantoa.indicators.models import IndicatorEntry
from lantoa.orgs.choices import UnitKind

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
    """("ỦY BAN NHÂN DÂN", "XÃ BOM BO") for an administrative unit; the body it belongs to above
    it otherwise ("UBND XÃ BOM BO" over "TRƯỜNG TIỂU HỌC BOM BO")."""
    if unit.kind == UnitKind.NATIONAL:
        return "", unit.name.upper()
    if unit.is_administrative:
        return "ỦY BAN NHÂN DÂN", unit.name.upper()
    from lantoa.orgs.models import OrgUnit

    parent = OrgUnit.objects.get_parent(unit)
    if parent is None:
        return "", unit.name.upper()
    if parent.is_administrative and parent.kind != UnitKind.NATIONAL:
        return f"UBND {parent.name.upper()}", unit.name.upper()
    return parent.name.upper(), unit.name.upper()


def _symbol(unit) -> str:
    if unit.is_administrative and unit.kind != UnitKind.NATIONAL:
        return "BC-UBND"
    initials = "".join(w[0] for w in fold(unit.name).split() if w[0].isalnum())
    return "BC-" + initials[:4].upper()


def _starts(name: str, *prefixes: str) -> bool:
    folded = fold(name)
    return any(folded.startswith(fold(prefix) + " ") for prefix in prefixes)


def signer_lines(unit) -> list[str]:
    """The title over the signature, for the unit's kind (Nghị định 30/2020/NĐ-CP, Phụ lục I): a
    People's Committee signs collectively through its chair ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH");
    the head of any other unit under the title of the office ("HIỆU TRƯỞNG", "GIÁM ĐỐC")."""
    name, kind = unit.name, unit.kind
    if unit.is_administrative and kind != UnitKind.NATIONAL:
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    if kind == UnitKind.NATIONAL:
        return ["BỘ TRƯỞNG"] if _starts(name, "Bộ") else ["THỦ TRƯỞNG CƠ QUAN"]
    if kind == UnitKind.SCHOOL:
        return ["HIỆU TRƯỞNG"]
    if kind in (UnitKind.DEPARTMENT, UnitKind.OFFICE):
        for prefixes, title in (
            (("Văn phòng",), "CHÁNH VĂN PHÒNG"),
            (("Thanh tra",), "CHÁNH THANH TRA"),
            (("Chi cục",), "CHI CỤC TRƯỞNG"),
            (("Ban",), "TRƯỞNG BAN"),
            (("Phòng",), "TRƯỞNG PHÒNG"),
            (("Sở", "Trung tâm", "Đài", "Bảo tàng", "Thư viện"), "GIÁM ĐỐC"),
        ):
            if _starts(name, *prefixes):
                return [title]
        return ["TRƯỞNG PHÒNG"] if kind == UnitKind.OFFICE else ["GIÁM ĐỐC"]
    if kind in (UnitKind.SERVICE_CENTRE, UnitKind.BUSINESS):
        return ["GIÁM ĐỐC"]
    if kind == UnitKind.PRESS:
        return ["TỔNG BIÊN TẬP"] if _starts(name, "Báo", "Tạp chí") else ["GIÁM ĐỐC"]
    if kind == UnitKind.MASS_ORGANISATION:
        if _starts(name, "Ủy ban Mặt trận", "Mặt trận", "Ủy ban MTTQ", "UBMTTQ"):
            return ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
        if _starts(name, "Đoàn", "Chi đoàn"):
            return ["TM. BAN CHẤP HÀNH", "BÍ THƯ"]
        return ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]
    if kind == UnitKind.VILLAGE:
        for prefix, title in (
            ("Tổ dân phố", "TỔ TRƯỞNG"),
            ("Khu phố", "TRƯỞNG KHU PHỐ"),
            ("Ấp", "TRƯỞNG ẤP"),
            ("Bản", "TRƯỞNG BẢN"),
            ("Buôn", "TRƯỞNG BUÔN"),
            ("Sóc", "TRƯỞNG SÓC"),
        ):
            if _starts(name, prefix):
                return [title]
        return ["TRƯỞNG THÔN"]
    return ["THỦ TRƯỞNG ĐƠN VỊ"]


def _date_cited(day: datetime.date) -> str:
    """A date as cited in a trích yếu: "16/6/2025", "05/9/2025", "22/01/2025" (days below 10 and
    months below 3 with a leading zero, as Nghị định 30/2020/NĐ-CP writes dates)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


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
            date=f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
            subject=subject_of(plan, period),
            groups=list(groups.items()),
            indicators=indicators,
            narrative=submission.narrative,
            difficulties=submission.difficulties,
            proposals=submission.proposals,
            signer=signer_lines(unit),
            signer_name=submission.signer_name,
            recipients=[f"{plan.unit_as_issuer()} (để báo cáo)", "Lưu: VT."],
        )


def report_docx(submission: Submission) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
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
        run = p.add_run(printable(text))
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
        if align is not None:
            p.alignment = align
        return p

    def rule(cell, width_mm: float, cell_mm: float):
        """A short centred line (an empty paragraph with a top border, indented to its length)."""
        p = para(size=1, align=WD_ALIGN_PARAGRAPH.CENTER, cell=cell)
        side = Mm(max(0.0, (cell_mm - width_mm) / 2))
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = Pt(2)
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            top.set(qn(f"w:{key}"), value)
        borders.append(top)
        # In the schema's order: pBdr comes before shd, tabs, spacing, ind and jc.
        p._p.get_or_add_pPr().insert_element_before(
            borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"
        )
        return p

    left_mm, right_mm = 70, 95
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.rows[0].cells
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    if c.issuer_top:
        para(c.issuer_top, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    para(c.issuer_name, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    # Under the unit's name: a line a third to a half as long as the name, centred.
    rule(left, min(left_mm - 10, max(16, len(c.issuer_name) * 2.4 * 0.4)), left_mm)
    para(f"Số:      /{c.symbol}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    para(MOTTO, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    para(MOTTO_2, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    rule(right, 62, right_mm)  # as long as the motto's second line
    para(f"{c.place}, {c.date}", italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)

    # Page numbers: centred at the top, from the second page (Nghị định 30/2020/NĐ-CP).
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        run = number.add_run()
        run.font.size, run.font.name = Pt(14), FONT
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        if kind == "separate":
            number.add_run("2").font.size = Pt(14)

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
            cell.paragraphs[0].add_run(printable(text)).font.size = Pt(13)
    for line in c.units_lines:
        para(line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("III. KHÓ KHĂN, VƯỚNG MẮC", bold=True)
    para(c.difficulties or "Không.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True).paragraph_format.keep_with_next = True
    # The last paragraph keeps with the signature block, which never splits across pages.
    para(
        c.proposals or "Không.", align=WD_ALIGN_PARAGRAPH.JUSTIFY
    ).paragraph_format.keep_with_next = True

    footer = document.add_table(rows=1, cols=2)
    footer.autofit = False
    row = footer.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = row.cells
    left.width, right.width = Mm(75), Mm(90)
    para("Nơi nhận:", bold=True, italic=True, size=12, cell=left)
    for recipient in c.recipients:
        para(f"- {recipient}", size=11, cell=left)
    for line in c.signer:
        para(line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    for _blank in range(4):  # room for the signature and the seal
        para(size=14, cell=right)
    if c.signer_name:
        para(c.signer_name, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    for cell in (left, right):
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
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
