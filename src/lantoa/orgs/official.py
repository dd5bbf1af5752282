"""The generic part of an official document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục
I), shared by every app that issues one (reports, evaluation): the issuing body and the national
motto side by side, each with a short rule line under it, "Số: .../<symbol>", place and date, the
signature block (titled for the unit's kind) with "Nơi nhận", page numbers centred at the top from
page 2. A4, Times New Roman (Liberation Serif where Times is absent), margins 20 mm top and
bottom, 30 mm left, 15 mm right. ``OfficialDocx`` builds the .docx with python-docx;
``official_pdf`` renders an HTML body inside ``official/document.html`` through WeasyPrint.
"""

from __future__ import annotations

import datetime
import io

from django.template.loader import render_to_string

from lantoa.core.text import fold, printable

from .choices import UnitKind

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def num(value) -> str:
    """100.00 → "100", 83.30 → "83,3": Vietnamese decimal comma, no trailing zeros."""
    text = format(value.normalize(), "f") if value is not None else "—"
    return text.replace(".", ",")


def place_of(unit) -> str:
    """The locality on the date line: the unit's own commune or province."""
    from .models import OrgUnit

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


def issuer_lines(unit) -> tuple[str, str]:
    """("ỦY BAN NHÂN DÂN", "XÃ BOM BO") for an administrative unit; the body it belongs to above
    it otherwise ("UBND XÃ BOM BO" over "TRƯỜNG TIỂU HỌC BOM BO")."""
    if unit.kind == UnitKind.NATIONAL:
        return "", unit.name.upper()
    if unit.is_administrative:
        return "ỦY BAN NHÂN DÂN", unit.name.upper()
    from .models import OrgUnit

    parent = OrgUnit.objects.get_parent(unit)
    if parent is None:
        return "", unit.name.upper()
    if parent.is_administrative and parent.kind != UnitKind.NATIONAL:
        return f"UBND {parent.name.upper()}", unit.name.upper()
    return parent.name.upper(), unit.name.upper()


def symbol_of(unit, kind: str = "BC") -> str:
    """The document's symbol after its number: "BC-UBND", "QĐ-UBND", "BC-THBB"."""
    if unit.is_administrative and unit.kind != UnitKind.NATIONAL:
        return f"{kind}-UBND"
    initials = "".join(w[0] for w in fold(unit.name).split() if w[0].isalnum())
    return f"{kind}-" + initials[:4].upper()


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


def date_cited(day: datetime.date) -> str:
    """A date as cited in a trích yếu: "16/6/2025", "05/9/2025", "22/01/2025" (days below 10 and
    months below 3 with a leading zero, as Nghị định 30/2020/NĐ-CP writes dates)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def date_line(day: datetime.date) -> str:
    """ "ngày 05 tháng 09 năm 2025", after the place on the date line."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


class OfficialDocx:
    """An NĐ 30/2020 document being built: ``header``, then the body (``para``, ``table``),
    then ``signature``; ``to_bytes`` gives the .docx."""

    def __init__(self):
        import docx
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.document = docx.Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.document.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(14)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        self._page_numbers()

    def para(self, text="", *, bold=False, italic=False, align=None, size=14, cell=None):
        from docx.shared import Pt

        target = cell if cell is not None else self.document
        empty = cell is not None and len(cell.paragraphs) == 1 and not cell.paragraphs[0].text
        p = cell.paragraphs[0] if empty else target.add_paragraph()
        run = p.add_run(printable(text))
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
        if align is not None:
            p.alignment = align
        return p

    def centre(self, text, **kwargs):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        return self.para(text, align=WD_ALIGN_PARAGRAPH.CENTER, **kwargs)

    def justify(self, text, **kwargs):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        return self.para(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, **kwargs)

    def rule(self, cell, width_mm: float, cell_mm: float):
        """A short centred line (an empty paragraph with a top border, indented to its length)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        p = self.centre("", size=1, cell=cell)
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

    def header(self, *, issuer_top: str, issuer_name: str, symbol: str, place: str, date: str):
        """The issuing body and "Số" on the left, the motto and the date line on the right."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        left_mm, right_mm = 70, 95
        header = self.document.add_table(rows=1, cols=2)
        header.alignment = WD_TABLE_ALIGNMENT.CENTER
        header.autofit = False
        left, right = header.rows[0].cells
        left.width, right.width = Mm(left_mm), Mm(right_mm)
        if issuer_top:
            self.centre(issuer_top, size=13, cell=left)
        self.centre(issuer_name, bold=True, size=13, cell=left)
        # Under the unit's name: a line a third to a half as long as the name, centred.
        self.rule(left, min(left_mm - 10, max(16, len(issuer_name) * 2.4 * 0.4)), left_mm)
        self.centre(f"Số:      /{symbol}", size=13, cell=left)
        self.centre(MOTTO, bold=True, size=12, cell=right)
        self.centre(MOTTO_2, bold=True, size=14, cell=right)
        self.rule(right, 62, right_mm)  # as long as the motto's second line
        self.para(
            f"{place}, {date}", italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right
        )
        return header

    def _page_numbers(self):
        """Centred at the top, from the second page (Nghị định 30/2020/NĐ-CP)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        section = self.document.sections[0]
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

    def table(self, headings, rows, *, size=13):
        from docx.shared import Pt

        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            cell.paragraphs[0].add_run(printable(str(text))).bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.paragraphs[0].add_run(printable(str(text))).font.size = Pt(size)
        return table

    def signature(self, *, recipients, signer, signer_name=""):
        """ "Nơi nhận" on the left, the signer's title, room for the seal and the name on the
        right; the block never splits across pages and keeps with the last paragraph."""
        from docx.oxml import OxmlElement
        from docx.shared import Mm

        body = self.document.paragraphs
        if body:
            body[-1].paragraph_format.keep_with_next = True
        footer = self.document.add_table(rows=1, cols=2)
        footer.autofit = False
        row = footer.rows[0]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        left, right = row.cells
        left.width, right.width = Mm(75), Mm(90)
        self.para("Nơi nhận:", bold=True, italic=True, size=12, cell=left)
        for recipient in recipients:
            self.para(f"- {recipient}", size=11, cell=left)
        for line in signer:
            self.centre(line, bold=True, size=14, cell=right)
        for _blank in range(4):  # room for the signature and the seal
            self.para(size=14, cell=right)
        if signer_name:
            self.centre(signer_name, bold=True, size=14, cell=right)
        for cell in (left, right):
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def official_pdf(template: str, context: dict) -> bytes:
    """A template extending ``official/document.html`` rendered to PDF with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()
