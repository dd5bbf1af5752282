"""The official report as a commune official prints it (Nghị định 30/2020/NĐ-CP, Phụ lục I):
rule lines under the motto and the issuing unit, page numbers from page 2, the signer's title for
the unit's kind and the signer's name, the signature kept with the last paragraph, and the trích
yếu naming the plan's kind, number, date and issuer."""

import datetime
import io
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.models import ReportDeadline
from lantoa.reports import services
from lantoa.reports.documents import report_docx, report_pdf
from lantoa.reports.periods import periods_ensure

from .documents import REPORTING_PLAN


@pytest.fixture
def plan(tree, import_plan_text):
    return import_plan_text(tree.bombo, REPORTING_PLAN)


def _submitted(period, unit, reporter, **texts):
    draft = services.submission_draft(actor=reporter, period=period, unit=unit)
    services.submission_save(
        actor=reporter,
        submission=draft,
        version=draft.version,
        narrative=texts.get("narrative", "Đã tổ chức 02 buổi sinh hoạt chuyên đề."),
        difficulties=texts.get("difficulties", "Thiếu thiết bị."),
        proposals=texts.get("proposals", "Đề nghị hỗ trợ máy chiếu."),
    )
    draft.refresh_from_db()
    return services.submission_submit(actor=reporter, submission=draft, version=draft.version)


def _cell_lines(document):
    return [
        p
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]


def _has_rule(paragraph) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    return borders is not None and (
        borders.find(qn("w:top")) is not None or borders.find(qn("w:bottom")) is not None
    )


def _pdf_pages(data: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")


def test_a_schools_report_is_signed_by_its_head_under_rule_lines(tree, plan, make_user):
    period = periods_ensure(plan, 2025)[1]
    reporter = make_user(tree.school, Role.REPORTER, full_name="Nguyễn Thị Lan")
    report = _submitted(period, tree.school, reporter)

    document = docx.Document(io.BytesIO(report_docx(report)))
    cells = _cell_lines(document)
    texts = [p.text for p in cells]
    motto = texts.index("Độc lập - Tự do - Hạnh phúc")
    assert _has_rule(cells[motto + 1]) and not cells[motto + 1].text  # a short line under it
    name = texts.index("TRƯỜNG TIỂU HỌC BOM BO")
    assert _has_rule(cells[name + 1]) and not cells[name + 1].text
    # The signature block: the head of a school signs as Hiệu trưởng, with the name below.
    assert "HIỆU TRƯỞNG" in texts and "THỦ TRƯỞNG TRƯỜNG TIỂU HỌC BOM BO" not in texts
    assert texts.index("Nguyễn Thị Lan") > texts.index("HIỆU TRƯỞNG")

    body = [p.text for p in document.paragraphs]
    # Trích yếu: what the report reports on, with the plan's number, date and issuer.
    assert (
        "Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 05/9/2025 của UBND xã Tân Hòa (năm 2025)"
        in body
    )
    # Page numbers: a PAGE field centred in the header, not on the first page.
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert "PAGE" in header._p.xml and header.alignment == 1  # centre
    assert not "".join(p._p.xml for p in section.first_page_header.paragraphs).count("PAGE")
    # The signature block is not left alone on a page: the last paragraph keeps with it.
    last = next(p for p in reversed(document.paragraphs) if p.text)
    assert last.text == "Đề nghị hỗ trợ máy chiếu." and last.paragraph_format.keep_with_next
    signature = document.tables[-1]
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None

    pages = _pdf_pages(report_pdf(report))
    text = "\n".join(pages)
    assert "HIỆU TRƯỞNG" in text and "Nguyễn Thị Lan" in text
    assert "Kế hoạch số 12/KH-UBND ngày 05/9/2025 của UBND xã Tân Hòa" in " ".join(text.split())


def test_a_long_report_numbers_its_pages_and_keeps_the_signature_with_the_text(
    tree, plan, make_user
):
    period = periods_ensure(plan, 2025)[1]
    reporter = make_user(tree.vhxh, Role.REPORTER, full_name="Trần Văn Bình")
    narrative = "\n".join(
        f"{n}. Phòng đã phối hợp tổ chức tuyên truyền về chuyển đổi số tại thôn {n}, "
        "phát bản tin trên loa truyền thanh và cập nhật chuyên mục trên trang thông tin điện tử."
        for n in range(1, 60)
    )
    report = _submitted(period, tree.vhxh, reporter, narrative=narrative)

    document = docx.Document(io.BytesIO(report_docx(report)))
    assert "TRƯỞNG PHÒNG" in [p.text for p in _cell_lines(document)]

    pages = [page for page in _pdf_pages(report_pdf(report)) if page.strip()]
    assert len(pages) >= 3
    assert pages[0].strip().split("\n")[0].strip() != "1"  # no number on the first page
    for number, page in enumerate(pages[1:], start=2):
        assert page.strip().split("\n")[0].strip() == str(number)  # centred at the top
    last = pages[-1]
    assert "TRƯỞNG PHÒNG" in last and "Trần Văn Bình" in last
    assert "Đề nghị hỗ trợ máy chiếu." in last


def test_a_communes_report_is_signed_for_the_peoples_committee_by_its_chair(tree, make_user):
    province_plan = plan_services.plan_create(
        actor=None,
        unit=tree.dongnai,
        number="45/KH-UBND",
        title="Triển khai Chương trình truyền thông",
        issued_on=datetime.date(2025, 8, 12),
    )
    ReportDeadline.objects.create(plan=province_plan, day=10, month=12)
    period = periods_ensure(province_plan, 2025)[0]
    reporter = make_user(tree.bombo, Role.FOCAL_POINT, full_name="Điểu Văn Minh")
    report = _submitted(period, tree.bombo, reporter)

    document = docx.Document(io.BytesIO(report_docx(report)))
    texts = [p.text for p in _cell_lines(document)]
    signer = texts.index("TM. ỦY BAN NHÂN DÂN")
    assert texts[signer + 1] == "CHỦ TỊCH" and "Điểu Văn Minh" in texts[signer + 2 :]
    assert "- UBND tỉnh Đồng Nai (để báo cáo)" in texts  # Nơi nhận: the province's committee
    body = [p.text for p in document.paragraphs]
    assert (
        "Kết quả thực hiện Kế hoạch số 45/KH-UBND ngày 12/8/2025 của UBND tỉnh Đồng Nai"
        " (năm 2025)" in body
    )


def test_a_report_on_a_decision_of_the_prime_minister_says_so(tree, make_user):
    decision = plan_services.plan_create(
        actor=None,
        unit=tree.root,
        number="1169/QĐ-TTg",
        title="Chương trình truyền thông Nghị quyết 57-NQ/TW",
        issued_on=datetime.date(2025, 6, 16),
        issuer="Thủ tướng Chính phủ",
    )
    ReportDeadline.objects.create(plan=decision, day=10, month=12)
    period = periods_ensure(decision, 2025)[0]
    reporter = make_user(tree.dongnai, Role.FOCAL_POINT, full_name="Lê Văn Hải")
    report = _submitted(period, tree.dongnai, reporter)

    document = docx.Document(io.BytesIO(report_docx(report)))
    body = [p.text for p in document.paragraphs]
    assert (
        "Kết quả thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ"
        " (năm 2025)" in body
    )
    assert not any("Kế hoạch số 1169" in line for line in body)
    texts = [p.text for p in _cell_lines(document)]
    assert texts[texts.index("TM. ỦY BAN NHÂN DÂN") + 1] == "CHỦ TỊCH"


def test_the_signers_name_is_typed_on_the_report_page(tree, plan, client, make_user):
    from django.urls import reverse

    period = periods_ensure(plan, 2025)[1]
    reporter = make_user(tree.school, Role.REPORTER, full_name="Nguyễn Thị Lan")
    draft = services.submission_draft(actor=reporter, period=period, unit=tree.school)
    client.force_login(reporter)
    url = reverse("reports:submission", args=[draft.pk])
    form = client.get(url).context["form"]
    payload = {name: field.initial for name, field in form.fields.items()}
    payload.update(form.initial)
    payload = {k: "" if v is None else v for k, v in payload.items()}
    payload.update(signer_name="  Hoàng   Văn Hiệu ", action="submit")
    assert client.post(url, payload).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.signer_name) == ("submitted", "Hoàng Văn Hiệu")
    page = client.get(url).content.decode()
    assert "Hoàng Văn Hiệu" in page  # shown on the submitted report

    texts = [p.text for p in _cell_lines(docx.Document(io.BytesIO(report_docx(draft))))]
    assert "Hoàng Văn Hiệu" in texts and "Nguyễn Thị Lan" not in texts


@pytest.mark.parametrize(
    ("kind", "name", "title"),
    [
        ("commune", "Xã Bom Bo", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("ward", "Phường Xuân Lập", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("province", "Tỉnh Đồng Nai", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("national", "Bộ Khoa học và Công nghệ", ["BỘ TRƯỞNG"]),
        ("school", "Trường Mầm non Hoa Sen", ["HIỆU TRƯỞNG"]),
        ("department", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn", ["GIÁM ĐỐC"]),
        ("department", "Ban Dân tộc tỉnh", ["TRƯỞNG BAN"]),
        ("office", "Phòng Văn hóa - Xã hội", ["TRƯỞNG PHÒNG"]),
        ("office", "Văn phòng HĐND và UBND xã", ["CHÁNH VĂN PHÒNG"]),
        ("service_centre", "Trung tâm Phục vụ hành chính công", ["GIÁM ĐỐC"]),
        ("press", "Báo Đồng Nai", ["TỔNG BIÊN TẬP"]),
        ("press", "Đài Phát thanh - Truyền hình", ["GIÁM ĐỐC"]),
        (
            "mass_organisation",
            "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
            ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"],
        ),
        ("mass_organisation", "Đoàn Thanh niên xã", ["TM. BAN CHẤP HÀNH", "BÍ THƯ"]),
        ("mass_organisation", "Hội Liên hiệp Phụ nữ xã", ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]),
        ("village", "Ấp Bình Lợi", ["TRƯỞNG ẤP"]),
        ("village", "Thôn Phú Văn", ["TRƯỞNG THÔN"]),
        ("village", "Khu phố 3", ["TRƯỞNG KHU PHỐ"]),
        ("business", "Công ty TNHH Bom Bo", ["GIÁM ĐỐC"]),
        ("other", "Tổ công nghệ số cộng đồng", ["THỦ TRƯỞNG ĐƠN VỊ"]),
    ],
)
def test_the_signers_title_follows_the_units_kind(kind, name, title):
    from lantoa.orgs.models import OrgUnit
    from lantoa.reports.documents import signer_lines

    assert signer_lines(OrgUnit(kind=kind, name=name)) == title


def test_the_report_shows_the_budget_execution_per_task_and_unit(tree, plan, make_user, client):
    from django.urls import reverse

    from lantoa.programme import budget_services

    period = periods_ensure(plan, 2025)[1]
    reporter = make_user(tree.school, Role.REPORTER, full_name="Nguyễn Thị Lan")
    report = _submitted(period, tree.school, reporter)
    page = reverse("reports:submission", args=[report.pk])
    client.force_login(reporter)
    assert "Tổng cộng" not in " ".join(
        c.text for t in docx.Document(io.BytesIO(report_docx(report))).tables for r in t.rows
        for c in r.cells
    )  # fmt: skip  # no estimate for the year: no budget section

    task = plan.tasks.order_by("order", "pk").first()
    estimate = budget_services.estimate_save(
        actor=None, unit=tree.school, task=task, year=2025, amount=120_000_000
    )
    budget_services.allocation_add(
        actor=None, estimate=estimate, date=datetime.date(2025, 3, 1), amount=100_000_000
    )
    budget_services.spending_add(
        actor=None, estimate=estimate, date=datetime.date(2025, 4, 1), amount=80_000_000,
        description="Hội nghị phổ biến", document_number="12/HĐ",
        document_date=datetime.date(2025, 4, 1),
    )  # fmt: skip

    document = docx.Document(io.BytesIO(report_docx(report)))
    assert "Tình hình thực hiện kinh phí (đồng)" in [p.text for p in document.paragraphs]
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["Nhiệm vụ", "Đơn vị", "Dự toán", "Đã phân bổ", "Đã chi", "Tỷ lệ chi"] in rows
    assert [
        task.text,
        "Trường Tiểu học Bom Bo",
        "120.000.000",
        "100.000.000",
        "80.000.000",
        "80%",
    ] in rows or any(r[2:] == ["120.000.000", "100.000.000", "80.000.000", "80%"] for r in rows)
    assert ["Tổng cộng", "", "120.000.000", "100.000.000", "80.000.000", "80%"] in rows

    pdf = " ".join(" ".join(_pdf_pages(report_pdf(report))).split())
    assert "Tình hình thực hiện kinh phí (đồng)" in pdf and "120.000.000" in pdf

    html = client.get(page).content.decode()
    assert 'data-label="Spent / allocated">80%</td>' in html or ">80%</td>" in html
    assert str(tree.school.name) in html and "120000000" in html.replace(".", "").replace(
        ",", ""
    ).replace("\xa0", "")
