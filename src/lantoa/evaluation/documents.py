"""A scoring run's result as an official document (NĐ 30/2020 layout, through orgs.official)
and as a sheet."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone, translation

from lantoa.core.sheets import append_row
from lantoa.core.text import fold
from lantoa.orgs.official import (
    OfficialDocx,
    date_line,
    issuer_lines,
    num,
    official_pdf,
    place_of,
    signer_lines,
    symbol_of,
)

from .models import ScoringRun


@dataclass
class ResultContent:
    issuer_top: str
    issuer_name: str
    symbol: str
    place: str
    date: str
    title: str
    subject: str
    criteria: list  # [(code, title, max points)]
    rows: list  # [(rank, unit name, [points...], total)]
    signer: list[str]
    signer_name: str
    recipients: list[str]
    status: str

    @property
    def headings(self) -> list[str]:
        return ["Hạng", "Đơn vị", *(code for code, _t, _m in self.criteria), "Tổng điểm"]


def content_of(run: ScoringRun) -> ResultContent:
    with translation.override("vi"):
        criteria_set = run.criteria_set
        unit = criteria_set.unit
        top, name = issuer_lines(unit)
        criteria = criteria_set.all_criteria()
        rows = []
        for score in run.scores.select_related("unit").prefetch_related("criteria"):
            points = {c.criterion_id: c.points for c in score.criteria.all()}
            rows.append(
                (
                    score.rank or "",
                    score.unit.name,
                    [num(points.get(c.pk)) for c in criteria],
                    num(score.total),
                )
            )
        rows.sort(key=lambda r: (r[0] == "", r[0] or 0, r[1]))
        return ResultContent(
            issuer_top=top,
            issuer_name=name,
            symbol=symbol_of(unit, "TB"),
            place=place_of(unit),
            date=date_line(timezone.localdate()),
            title="THÔNG BÁO",
            subject=(
                f"Kết quả đánh giá theo {criteria_set.title} năm {criteria_set.year}"
                f" (phiên bản {criteria_set.version})"
            ),
            criteria=[(c.code, c.title, num(c.max_points)) for c in criteria],
            rows=rows,
            signer=signer_lines(unit),
            signer_name="",
            recipients=["Các đơn vị được đánh giá", "Lưu: VT."],
            status=str(run.get_status_display()),
        )


def result_docx(run: ScoringRun) -> bytes:
    c = content_of(run)
    doc = OfficialDocx()
    doc.header(
        issuer_top=c.issuer_top,
        issuer_name=c.issuer_name,
        symbol=c.symbol,
        place=c.place,
        date=c.date,
    )
    doc.centre(c.title, bold=True)
    doc.centre(c.subject, bold=True)
    doc.para("I. CÁC TIÊU CHÍ", bold=True)
    for code, title, points in c.criteria:
        doc.justify(f"- {code}. {title}: tối đa {points} điểm.")
    doc.para("II. KẾT QUẢ VÀ XẾP HẠNG", bold=True)
    doc.table(c.headings, [(rank, name, *points, total) for rank, name, points, total in c.rows])
    doc.justify("Đơn vị có cùng tổng điểm được xếp theo quy định của bộ tiêu chí.")
    doc.signature(recipients=c.recipients, signer=c.signer, signer_name=c.signer_name)
    return doc.to_bytes()


def result_pdf(run: ScoringRun) -> bytes:
    return official_pdf("evaluation/result_document.html", {"c": content_of(run)})


def result_xlsx(run: ScoringRun) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    c = content_of(run)
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    append_row(sheet, c.headings)
    for rank, name, points, total in c.rows:
        append_row(sheet, [rank, name, *points, total])
    criteria = book.create_sheet("Tiêu chí")
    append_row(criteria, ["Mã", "Tiêu chí", "Điểm tối đa"])
    for row in c.criteria:
        append_row(criteria, list(row))
    for s in (sheet, criteria):
        for cell in s[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(run: ScoringRun, extension: str) -> str:
    s = run.criteria_set
    base = "-".join(fold(f"ket qua danh gia {s.unit.name} {s.year} v{s.version}").split())
    return f"{base}.{extension}"
