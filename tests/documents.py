"""Real documents made at test time: Word files, PDFs with and without a text layer."""

from __future__ import annotations

import io
import textwrap
import zlib
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "src" / "lantoa" / "portal" / "demo"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def seed_text(name: str = "xuan-lap.txt") -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf_bytes(lines: list[str]) -> bytes:
    """A PDF with a real text layer (Helvetica, ASCII text), written by hand."""
    stream_lines = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream_lines.append(f"({safe}) Tj T*")
    stream_lines.append("ET")
    content = zlib.compress("\n".join(stream_lines).encode("latin-1", "replace"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_from_objects(objects)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of these numbered objects (the first is the catalogue), with its xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def scanned_pdf_bytes(text: str, *, width_chars: int = 70, pages: int = 1) -> bytes:
    """An image-only PDF (what a scanner makes): Vietnamese text drawn on A4 pages at 150 dpi."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 22)
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width_chars) or [""])
    per_page = max(1, len(lines) // pages + (1 if len(lines) % pages else 0))
    images = []
    for start in range(0, len(lines), per_page):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines[start : start + per_page]):
            draw.text((90, 90 + i * 34), line, font=font, fill=0)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


SMALL_PLAN = """UỶ BAN NHÂN DÂN                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN HÒA                           Độc lập - Tự do - Hạnh phúc
Số: 12/KH-UBND                  Tân Hòa, ngày 05 tháng 9 năm 2025

KẾ HOẠCH
Truyền thông thực hiện Nghị quyết số 57-NQ/TW trên địa bàn xã

Căn cứ Kế hoạch số 45/KH-UBND ngày 12/8/2025 của UBND tỉnh;

I. MỤC TIÊU CỤ THỂ
1. Năm 2025: 100% cán bộ, công chức được phổ biến Nghị quyết số 57-NQ/TW.
2. Đến năm 2030: ít nhất 80% người dân tiếp cận thông tin qua hệ thống thông tin cơ sở.

II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Truyền thông trên hệ thống thông tin cơ sở
a) Duy trì chuyên mục về Nghị quyết trên Trang thông tin điện tử xã (nhiệm vụ thường xuyên).
b) Phát bản tin trên loa truyền thanh mỗi tuần một lần về chuyển đổi số (Hoàn thành trong năm 2025).
2. Đào tạo, bồi dưỡng
a) Cử cán bộ tham gia lớp tập huấn kỹ năng truyền thông số do tỉnh tổ chức (Hằng năm).

III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội: chủ trì, theo dõi, tổng hợp.
2. Trung tâm dịch vụ tổng hợp: thực hiện truyền thông trên loa và mạng xã hội.
Định kỳ trước ngày 15/6 và trước ngày 15/12 hằng năm báo cáo kết quả về UBND xã.
"""


APPENDIX_PLAN = """UỶ BAN NHÂN DÂN                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN HÒA                           Độc lập - Tự do - Hạnh phúc
Số: 88/KH-UBND                  Tân Hòa, ngày 20 tháng 9 năm 2025

KẾ HOẠCH
Truyền thông thực hiện Nghị quyết số 57-NQ/TW năm 2025 - 2026

Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ;

I. MỤC TIÊU CỤ THỂ
- Năm 2026: 100% thôn, ấp được phổ biến nội dung Nghị quyết.

II. NHIỆM VỤ VÀ GIẢI PHÁP
(Chi tiết tại Phụ lục kèm theo)

III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội: theo dõi, đôn đốc; báo cáo UBND xã trước ngày 05/12 hằng năm.

PHỤ LỤC
DANH MỤC NHIỆM VỤ TRUYỀN THÔNG
(Kèm theo Kế hoạch số 88/KH-UBND ngày 20/9/2025 của UBND xã Tân Hòa)

TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Kết quả/sản phẩm Thời gian hoàn thành
I TRUYỀN THÔNG TRÊN HỆ THỐNG THÔNG TIN CƠ SỞ
1 Xây dựng chuyên mục Nghị quyết Phòng Văn hóa - Trung tâm dịch vụ Chuyên mục Năm 2025
số 57-NQ/TW trên Trang thông Xã hội tổng hợp
tin điện tử xã
2 Phát bản tin về chuyển đổi số Trung tâm dịch vụ Các thôn, ấp Bản tin Thường xuyên
trên loa truyền thanh tổng hợp
II ĐÀO TẠO, BỒI DƯỠNG
3 Tổ chức lớp tập huấn kỹ năng Phòng Văn hóa - Các trường học Lớp tập huấn Hằng năm
truyền thông số cho cán bộ Xã hội
4 Tổ chức hội thi tìm hiểu chuyển Đoàn Thanh niên Phòng Văn hóa - Hội thi 2025-2030
đổi số cho thanh niên Xã hội
"""

DOCX_TABLE_HEADER = [
    "TT",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Kết quả/sản phẩm",
    "Thời gian hoàn thành",
]
DOCX_TABLE = [
    DOCX_TABLE_HEADER,
    ["I", "Truyền thông trên hệ thống thông tin cơ sở", "Truyền thông trên hệ thống thông tin cơ sở", "Truyền thông trên hệ thống thông tin cơ sở", "Truyền thông trên hệ thống thông tin cơ sở", "Truyền thông trên hệ thống thông tin cơ sở"],
    ["1", "Xây dựng chuyên mục Nghị quyết số 57-NQ/TW trên Trang thông tin điện tử xã", "Phòng Văn hóa - Xã hội", "Trung tâm dịch vụ tổng hợp", "Chuyên mục", "Năm 2025"],
    ["2", "Phát bản tin về chuyển đổi số trên loa truyền thanh", "Trung tâm dịch vụ tổng hợp", "Các thôn, ấp", "Bản tin", "Thường xuyên"],
    ["3", "Tổ chức lớp tập huấn kỹ năng truyền thông số cho cán bộ", "Phòng Văn hóa - Xã hội", "Các trường học; Trung tâm dịch vụ tổng hợp", "Lớp tập huấn", "Hằng năm"],
]  # fmt: skip

REPORTING_PLAN = SMALL_PLAN.replace(
    "2. Trung tâm dịch vụ tổng hợp: thực hiện truyền thông trên loa và mạng xã hội.",
    "2. Trung tâm dịch vụ tổng hợp: thực hiện truyền thông trên loa và mạng xã hội.\n"
    "3. Các trường học trên địa bàn: lồng ghép nội dung vào hoạt động ngoại khóa.",
)


def plan_docx_bytes(text: str, table: list[list[list[str] | str]] | None = None) -> bytes:
    """A plan as typed in Word: "1." and "a)" items are a real multi-level list (w:numPr over
    numbering.xml: decimal "%1." then lowerLetter "%2)"), restarted at each "1." as Word does;
    "- " items are paragraphs of the List Bullet style. No marker is left in the text: the
    reader must draw them from the numbering. ``table`` (rows of cells; a cell given as a list
    is several List Bullet paragraphs) becomes a real Word table at the end."""
    import re

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    num_id = 90

    def numbered(paragraph, level: int) -> None:
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    for line in text.split("\n"):
        if m := re.match(r"(\d+)\.\s+(.*)", line):
            if m.group(1) == "1":  # "Restart numbering": a new list over the same definition
                num_id += 1
                numbering.append(
                    parse_xml(
                        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
                        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                    )
                )
            numbered(document.add_paragraph(m.group(2)), 0)
        elif m := re.match(r"[a-zđ]\)\s+(.*)", line):
            numbered(document.add_paragraph(m.group(1)), 1)
        elif m := re.match(r"-\s+(.*)", line):
            document.add_paragraph(m.group(1), style="List Bullet")
        else:
            document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                if isinstance(value, list):
                    cell.paragraphs[0].text = value[0]
                    cell.paragraphs[0].style = document.styles["List Bullet"]
                    for item in value[1:]:
                        cell.add_paragraph(item, style="List Bullet")
                else:
                    cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
