"""Turn held-out text plans into the documents offices really send: Word files and scans.

    python tests/plans/make_docs.py OUT_DIR

writes OUT_DIR/*.docx, OUT_DIR/*.pdf and OUT_DIR/gold/*.json (the text plan's gold with "file"
pointing at the generated document). Nothing here is committed as a binary: the tests run it
into a temporary folder. Fixed random seed, so two runs give the same pages.

Word files: the letterhead and the signature block are borderless two-column tables, as in the
Nghị định 30/2020 templates; "1.", "a)" and "- " items are real Word lists (w:numPr, the marker
is drawn by Word and is not in the text; numbering restarts where a new list starts); an
appendix ("Phụ lục", either the one-cell-a-line layout or a "|" pipe table) becomes a real Word
table with a merged row per task group and one paragraph per "- " task inside a cell.

Scans: each page drawn at 200 dpi with DejaVu Sans (letterhead and signature columns placed
where a typed plan puts them), turned by a fraction of a degree, blurred a little, specked with
dust, and packed as an image-only PDF (no text layer).
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SEED = 20251202

# Held-out plans and the form each is turned into.
DOCX = ["h03_ha_tinh_phu_luc", "h04_so_khcn_khanh_hoa", "h06_thpt_ngo_quyen", "h08_tp_can_tho",
        "h12_tay_ninh_bang"]  # fmt: skip
SCANS = ["h09_xa_an_lao", "h10_xa_cam_lam", "h11_phuong_thuan_hoa"]

ROMAN = re.compile(r"^[IVX]+\.\s")
DECIMAL = re.compile(r"^\d+\.\s")
LETTER = re.compile(r"^[a-zđ]\)\s")
BULLET = re.compile(r"^-\s")
STARTS = re.compile(r"^(?:[IVX]+\.\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|-\s|Căn cứ|Xét đề nghị)")
APPENDIX = re.compile(r"^(?:Phụ lục|PHỤ LỤC)\b")
RIGHT_HEAD = re.compile(r"CỘNG HÒA|Độc lập|ĐẢNG CỘNG SẢN|, ngày \d")
GAP = re.compile(r"\s{3,}|\s\|\s?")


# ---------------------------------------------------------------- reading the text plan


def split_plan(text: str) -> dict:
    """Letterhead lines, title lines, body lines, signature lines, appendix lines."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "KẾ HOẠCH")
    head, rest = lines[:start], lines[start + 1 :]
    title = []
    while rest and rest[0].strip():
        title.append(rest.pop(0).strip())
    app_at = next((i for i, line in enumerate(rest) if APPENDIX.match(line.strip())), len(rest))
    body, appendix = rest[:app_at], rest[app_at:]
    sig_at = next(
        (i for i, line in enumerate(body) if line.strip().startswith("Nơi nhận")),
        next(
            (i for i, line in enumerate(body) if re.match(r"\s*(KT\.|TM\.|T/M|HIỆU TRƯỞNG)", line)),
            len(body),
        ),
    )
    return {
        "head": [line for line in head if line.strip()],
        "title": title,
        "body": body[:sig_at],
        "signature": body[sig_at:],
        "appendix": appendix,
    }


def paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines: a new paragraph starts after a blank line or at a marker."""
    out: list[str] = []
    fresh = True
    for raw in lines:
        line = raw.strip()
        if not line:
            fresh = True
            continue
        if fresh or STARTS.match(line) or not out:
            out.append(line)
        else:
            out[-1] += " " + line
        # A short line, or one closing a sentence, ends its paragraph (wrapped lines run ~80).
        fresh = (
            len(line) < 55
            or line.endswith((".", ":"))
            or (line.endswith(";") and out[-1].startswith("Căn cứ"))
        )
    return out


def columns(lines: list[str]) -> tuple[list[str], list[str]]:
    """Left and right column of a letterhead or signature block."""
    left, right = [], []
    for raw in lines:
        if not raw.strip():
            continue
        parts = [p.strip() for p in GAP.split(raw.strip()) if p.strip()]
        indented = len(raw) - len(raw.lstrip()) >= 20
        if len(parts) >= 2:
            left.append(parts[0])
            right.append(" ".join(parts[1:]))
        elif (
            indented
            or RIGHT_HEAD.search(raw)
            or re.match(r"\s*(KT\.|TM\.|T/M|PHÓ |CHỦ TỊCH|HIỆU)", raw)
        ):
            right.append(parts[0] if parts else raw.strip())
        elif raw.strip() == "*":
            left.append("*")
        elif left and left[-1].startswith("Nơi nhận") or raw.strip().startswith(("-", "Nơi")):
            left.append(raw.strip())
        elif right and not raw.strip().startswith(("-", "Nơi", "Số")):
            right.append(raw.strip())
        else:
            left.append(raw.strip())
    return left, right


def appendix_table(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """Heading lines and table rows of an appendix (pipe table or one cell a line)."""
    heading: list[str] = []
    rest = list(lines)
    while rest and (rest[0].strip() or not heading):
        if rest[0].strip():
            heading.append(rest[0].strip())
        rest.pop(0)
    rest = [line.rstrip() for line in rest if line.strip()]
    rows: list[list[str]] = []
    if rest and rest[0].startswith("|") and rest[0].count("|") > 2:
        for line in rest:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            rows.append(cells)
        return heading, rows
    blocks: list[list[str]] = [[]]
    for line in rest:
        if line.strip() == "|":
            blocks.append([])
        else:
            blocks[-1].append(line.strip())
    header, *body = [b for b in blocks if b]
    rows.append(header)
    width = len(header)
    for block in body:
        if len(block) == 2:
            rows.append([block[0], block[1]] + [""] * (width - 2))
        else:
            tail = block[-(width - 2) :]
            rows.append([block[0], "\n".join(block[1 : -(width - 2)]), *tail])
    return heading, rows


# ---------------------------------------------------------------- Word


class Lists:
    """Word numbering: one abstract definition per marker kind, a new list each time one restarts."""

    KINDS = {
        "decimal": ("decimal", "%1.", "List Number"),
        "letter": ("lowerLetter", "%1)", "List Number 2"),
        "bullet": ("bullet", "-", "List Bullet"),
    }
    RANK = {"decimal": 0, "letter": 1, "bullet": 2}

    def __init__(self, document):
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.numbering = document.part.numbering_part.element
        self.abstract = {}
        first = self.numbering.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNum"
        )
        for n, (kind, (fmt, text, _style)) in enumerate(self.KINDS.items()):
            aid = 90 + n
            xml = (
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                '<w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
            )
            element = parse_xml(xml)
            if first is not None:
                first.addprevious(element)
            else:
                self.numbering.insert(0, element)
            self.abstract[kind] = aid
        self.current: dict[str, int | None] = dict.fromkeys(self.KINDS)

    def reset(self, below: str | None = None) -> None:
        for kind in self.KINDS:
            if below is None or self.RANK[kind] > self.RANK[below]:
                self.current[kind] = None

    def number(self, paragraph, kind: str) -> None:
        if self.current[kind] is None:
            num = self.numbering.add_num(self.abstract[kind])
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            self.current[kind] = num.numId
        self.reset(below=kind)
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = self.current[kind]


def list_kind(text: str) -> tuple[str | None, str]:
    for kind, pattern in (("decimal", DECIMAL), ("letter", LETTER), ("bullet", BULLET)):
        if pattern.match(text):
            return kind, pattern.sub("", text, count=1)
    return None, text


def borderless(table) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(
            f'<w:{side} w:val="nil"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders>"
    )
    table._tbl.tblPr.append(borders)


def two_columns(document, left: list[str], right: list[str], *, bold_right: int = 0) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=2)
    borderless(table)
    for cell, lines, bold in ((table.cell(0, 0), left, 0), (table.cell(0, 1), right, bold_right)):
        cell.paragraphs[0].text = ""
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = p.add_run(line)
            run.bold = i < bold or line.isupper()
            if cell is table.cell(0, 1) or not line.startswith(("-", "Nơi")):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def docx_plan(text: str, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    parts = split_plan(text)
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    lists = Lists(document)

    left, right = columns(parts["head"])
    two_columns(document, left, right)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("KẾ HOẠCH").bold = True
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(" ".join(parts["title"])).bold = True

    for para in paragraphs(parts["body"]):
        if ROMAN.match(para):
            lists.reset()
            document.add_paragraph().add_run(para).bold = True
            continue
        kind, bare = list_kind(para)
        if kind is None:
            document.add_paragraph(para)
            continue
        p = document.add_paragraph(bare, style=Lists.KINDS[kind][2])
        lists.number(p, kind)

    left, right = columns(parts["signature"])
    if left or right:
        two_columns(document, left, right)

    if parts["appendix"]:
        heading, rows = appendix_table(parts["appendix"])
        document.add_page_break()
        for i, line in enumerate(heading):
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line).bold = i < 2
        table = document.add_table(rows=0, cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = table.add_row().cells
            if r > 0 and all(not c for c in row[2:]):
                cells[0].text = row[0]
                merged = cells[1].merge(cells[-1])
                merged.text = row[1]
                merged.paragraphs[0].runs[0].bold = True
                continue
            for c, value in enumerate(row):
                lines = value.split("\n")
                cells[c].text = ""
                for j, line in enumerate(lines):
                    p = cells[c].paragraphs[0] if j == 0 else cells[c].add_paragraph()
                    kind, bare = list_kind(line)
                    if kind == "bullet" and len(lines) > 1:
                        p.style = document.styles["List Bullet"]
                        p.add_run(bare)
                        lists.reset()
                        lists.number(p, "bullet")
                    else:
                        p.add_run(line).bold = r == 0
    document.save(str(path))


# ---------------------------------------------------------------- scans

DPI = 200
PAGE = (1654, 2339)  # A4 at 200 dpi
MARGIN = 150
SIZE = 27
LEADING = 40


def page_lines(text: str) -> list[tuple[str, str]]:
    """(column, text) a line: "L" left, "R" right column, "C" centred, "B" body."""
    out: list[tuple[str, str]] = []
    parts = split_plan(text)
    left, right = columns(parts["head"])
    for i in range(max(len(left), len(right))):
        out.append(
            ("2", f"{left[i] if i < len(left) else ''}\t{right[i] if i < len(right) else ''}")
        )
    out.append(("B", ""))
    out.append(("C", "KẾ HOẠCH"))
    for line in parts["title"]:
        out.append(("C", line))
    for raw in parts["body"]:
        for line in textwrap.wrap(raw.strip(), 84) or [""]:
            out.append(("B", line))
    left, right = columns(parts["signature"])
    for i in range(max(len(left), len(right))):
        out.append(
            ("2", f"{left[i] if i < len(left) else ''}\t{right[i] if i < len(right) else ''}")
        )
    return out


def scan_pages(text: str, rng: random.Random) -> list:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(FONT, SIZE)
    lines = page_lines(text)
    per_page = (PAGE[1] - 2 * MARGIN) // LEADING
    pages = []
    for start in range(0, len(lines), per_page):
        image = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(image)
        y = MARGIN
        for kind, line in lines[start : start + per_page]:
            if kind == "2":
                left, right = line.split("\t")
                lw = draw.textlength(left, font=font)
                rw = draw.textlength(right, font=font)
                draw.text((MARGIN + max(0, (560 - lw) / 2), y), left, font=font, fill=0)
                draw.text(
                    (PAGE[0] - MARGIN - 820 + max(0, (820 - rw) / 2), y), right, font=font, fill=0
                )
            elif kind == "C":
                width = draw.textlength(line, font=font)
                draw.text(((PAGE[0] - width) / 2, y), line, font=font, fill=0)
            else:
                draw.text((MARGIN, y), line, font=font, fill=0)
            y += LEADING
        # Dust and toner specks, a grey cast, a slightly skewed feed and a soft focus.
        for _ in range(rng.randint(250, 350)):
            x, yy = rng.randrange(PAGE[0]), rng.randrange(PAGE[1])
            r = rng.choice((1, 1, 1, 2, 2, 3))
            draw.ellipse((x, yy, x + r, yy + r), fill=rng.randint(0, 120))
        noisy = image.point(lambda v: v - 18 if v > 200 else v)
        noisy = noisy.rotate(rng.uniform(-0.7, 0.7), resample=Image.BICUBIC, fillcolor=238)
        noisy = noisy.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.5, 0.8)))
        pages.append(noisy)
    return pages


def scanned_pdf(text: str, path: Path, rng: random.Random) -> int:
    pages = scan_pages(text, rng)
    pages[0].save(str(path), format="PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return len(pages)


# ---------------------------------------------------------------- driver


def make(out: Path, *, docx_names=DOCX, scan_names=SCANS) -> list[Path]:
    """Write the documents and their gold into OUT; return the documents written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    rng = random.Random(SEED)
    made = []
    jobs = [(name, ".docx") for name in docx_names] + [(name, ".pdf") for name in scan_names]
    for name, ext in jobs:
        text = (HELDOUT / f"{name}.txt").read_text(encoding="utf-8")
        target = out / f"{name}{ext}"
        if ext == ".docx":
            docx_plan(text, target)
        else:
            scanned_pdf(text, target, rng)
        gold = json.loads((HELDOUT / "gold" / f"{name}.json").read_text(encoding="utf-8"))
        gold["file"] = target.name
        (out / "gold" / f"{name}{ext.replace('.', '_')}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        made.append(target)
    return made


if __name__ == "__main__":
    for path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "heldout-docs")):
        print(path)
