"""What a reviewer sees of a plan's header, legal bases, targets, units and report schedule.

The dev plans in tests/plans/devhead are written for the layouts that broke the importer on real
plans: letterheads in one and in two columns, a plan copied from a news page, issuers that are a
thành phố, an đặc khu, a sở, a tỉnh ủy's standing committee or a commune's Đảng ủy, references
of many codes with OCR noise, target headings carrying their year. Their gold is in the shared
scorer's format plus the header keys the scorer does not read (issuer, title, signer …).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lantoa.plans.importer import extract_plan
from lantoa.plans.importer.extract import extract_report_deadlines
from lantoa.plans.importer.references import find_references

HERE = Path(__file__).resolve().parent
DEV = HERE / "plans" / "devhead"
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDS = sorted((DEV / "gold").glob("*.json"))


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_dev_plans_score_with_the_projects_scorer(tmp_path):
    """Run as the issue states:
    python3 ../shared/tools/score_import.py --gold-dir tests/plans/devhead/gold
      --docs-dir tests/plans/devhead --cmd '.venv/bin/lantoa import-plan --dry-run --json {file}'
    Before this work (main at 65081d6): overall 0.691 (number 0.56, references 0.61, targets
    0.33, report deadlines 0.56); after: 0.968, every field but tasks/timing 1.000 (the news page's
    unheaded task list is read by the task extractor, not here)."""
    scorer = SHARED / "tools" / "score_import.py"
    lantoa = Path(sys.executable).with_name("lantoa")
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(scorer), "--gold-dir", str(DEV / "gold"), "--docs-dir", str(DEV),
         "--cmd", f"{lantoa} import-plan --dry-run --json {{file}}"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    means = dict(
        pair.split("=") for pair in result.stdout.splitlines()[-2].removeprefix("mean: ").split()
    )
    for field in ("number", "date", "references", "targets", "report_deadlines"):
        assert float(means[field]) >= 0.95, result.stdout


@pytest.mark.parametrize("gold_path", GOLDS, ids=[g.stem for g in GOLDS])
def test_header_as_written(gold_path):
    gold = _gold(gold_path)
    plan = extract_plan((DEV / gold["file"]).read_text(encoding="utf-8"))
    for key in ("number", "date", "issuer", "issuer_place", "title", "signer", "signer_title"):
        assert getattr(plan, key) == gold[key], key


@pytest.mark.parametrize("gold_path", GOLDS, ids=[g.stem for g in GOLDS])
def test_references_units_targets_and_deadlines(gold_path):
    gold = _gold(gold_path)
    plan = extract_plan((DEV / gold["file"]).read_text(encoding="utf-8"))
    assert plan.references == gold["references"]  # exactly as written, in order
    assert [u.name for u in plan.units] == gold["units"]
    assert [(t.year, t.value, t.comparator) for t in plan.targets if t.value is not None] == [
        (t["year"], t["value"], t["comparator"]) for t in gold["targets"]
    ]
    assert sorted((d["day"], d["month"]) for d in plan.report_deadlines) == sorted(
        (d["day"], d["month"]) for d in gold["report_deadlines"]
    )


def test_the_contract_carries_the_signer_and_the_issuers_place(tmp_path):
    lantoa = Path(sys.executable).with_name("lantoa")
    out = subprocess.run(  # noqa: S603
        [str(lantoa), "import-plan", "--dry-run", "--json", str(DEV / "hanoi_two_columns.txt")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    result = json.loads(out)
    assert (result["signer"], result["signer_title"]) == ("Vũ Thu Hà", "Phó Chủ tịch")
    assert result["issuer"] == "UBND thành phố Hà Nội"
    assert result["issuer_place"] == "thành phố Hà Nội"
    assert {"number", "date", "title", "references", "targets", "tasks", "units"} <= set(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kept as written: leading zeros, year segments, codes of every kind.
        ("Nghị quyết số 03/NQ-CP ngày 09/01/2025", ["03/NQ-CP"]),
        ("Thông tư số 14/2014/TT-BKHCN", ["14/2014/TT-BKHCN"]),
        ("Chương trình số 10-CTr/TU; Thông tư 55/2023/TT-BTC", ["10-CTr/TU", "55/2023/TT-BTC"]),
        ("Luật số 93/2025/QH15 và Công văn số 2345/UBND-KGVX", ["93/2025/QH15", "2345/UBND-KGVX"]),
        ("Kết luận số 123-KL/TW, Hướng dẫn số 30-KH/TĐTN-TG", ["123-KL/TW", "30-KH/TĐTN-TG"]),
        # Never "repaired" into another issuer or another number.
        ("Quyết định số 1644/QĐ-BXD ngày 20/12/2024", ["1644/QĐ-BXD"]),
        ("Tờ trình số 010/TTr-SKHCN", ["010/TTr-SKHCN"]),
        # OCR repaired into the cascade, or into the spelling the same document uses.
        ("Nghị quyết số 57-NQ/TVV của Bộ Chính trị", ["57-NQ/TW"]),
        ("Quyết định số 1169/Q?-TTg", ["1169/QĐ-TTg"]),
        ("Công văn 5/H?ND-VP; Công văn 5/HĐND-VP", ["5/HĐND-VP"]),
        # A slip with nothing to be read as is dropped, not guessed.
        ("Quyết định số 77/QP-ABC", []),
        ("ngày 16/6/2025 và 10/12 hằng năm; b/c; T/M BAN THƯỜNG VỤ", []),
    ],
)
def test_references_are_kept_as_written(text, expected):
    assert find_references(text) == expected


def test_a_news_page_gives_the_plans_own_number_and_date():
    page = (
        "Cập nhật lúc: 09:15 20/08/2025\n"
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 12/8/2025 của UBND tỉnh Đồng Nai, "
        "UBND xã Bom Bo vừa ban hành Kế hoạch số 63/KH-UBND ngày 10/11/2025 về tuyên truyền "
        "Nghị quyết số 57-NQ/TW.\n"
    )
    plan = extract_plan(page)
    assert (plan.number, plan.date, plan.issuer) == ("63/KH-UBND", "2025-11-10", "UBND xã Bom Bo")
    assert plan.title == "tuyên truyền Nghị quyết số 57-NQ/TW"
    assert plan.references == ["45/KH-UBND", "57-NQ/TW"]


@pytest.mark.parametrize(
    ("letterhead", "issuer", "place"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "UBND tỉnh Lạng Sơn", "tỉnh Lạng Sơn"),
        ("UBND TỈNH ĐỒNG NAI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo tỉnh Đồng Nai",
         "tỉnh Đồng Nai"),
        ("SỞ GD&ĐT TỈNH NGHỆ AN\nTRƯỜNG THPT NGUYỄN DU", "Trường THPT Nguyễn Du tỉnh Nghệ An",
         "tỉnh Nghệ An"),
        ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nXÃ BOM BO",
         "Ủy ban Mặt trận Tổ quốc Việt Nam xã Bom Bo", "xã Bom Bo"),
        ("TỈNH ỦY LẠNG SƠN\nBAN TUYÊN GIÁO VÀ DÂN VẬN", "Ban Tuyên giáo và Dân vận Tỉnh ủy Lạng Sơn",
         "tỉnh Lạng Sơn"),
        ("TỈNH ĐOÀN QUẢNG NINH", "Tỉnh đoàn Quảng Ninh", "tỉnh Quảng Ninh"),
        ("THÀNH ỦY HÀ NỘI", "Thành ủy Hà Nội", "thành phố Hà Nội"),
        ("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH\nĐẢNG ỦY PHƯỜNG TÂN ĐỊNH", "Đảng ủy phường Tân Định",
         "phường Tân Định"),
        ("HỘI ĐỒNG NHÂN DÂN\nTỈNH GIA LAI", "HĐND tỉnh Gia Lai", "tỉnh Gia Lai"),
        ("UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\nDAC KHU VAN DON Doc lap - Tu do",
         "UBND đặc khu Vân Đồn", "đặc khu Vân Đồn"),
    ],
)  # fmt: skip
def test_issuers_of_every_kind(letterhead, issuer, place):
    plan = extract_plan(f"{letterhead}\nSố: 5/KH-X\n\nKẾ HOẠCH\nVề việc tuyên truyền\n")
    assert (plan.issuer, plan.issuer_place) == (issuer, place)


def test_target_years_come_from_the_headings_above_them():
    text = (
        "KẾ HOẠCH\nVề việc tuyên truyền\n\nI. MỤC TIÊU\n\n1. Mục tiêu cụ thể đến năm 2030\n\n"
        "a) Đến năm 2027:\n- 80% người dân được tiếp cận thông tin.\n"
        "- Tỷ lệ hồ sơ trả lại không quá 5%.\n"
        "b) Giai đoạn 2028 - 2030:\n- Ít nhất 03 mô hình được nhân rộng.\n\n"
        "II. NHIỆM VỤ\n1. Tuyên truyền\n- Một việc cần làm thường xuyên (Nhiệm vụ thường xuyên).\n"
    )
    plan = extract_plan(text)
    assert [(t.year, t.value, t.comparator) for t in plan.targets] == [
        (2027, 80, "="),
        (2027, 5, None),  # an upper bound: no comparator of Lantoa says "at most"
        (2030, 3, ">="),
    ]
    assert plan.targets[1].confidence < 1  # flagged for the reviewer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo cáo kết quả trước ngày 01/6 và 15/11 hằng năm.", [(1, 6), (15, 11)]),
        (
            "Báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12).",
            [(15, 6), (15, 12)],
        ),
        ("Gửi báo cáo trước ngày 10/6, 10/12 hằng năm.", [(10, 6), (10, 12)]),
        ("Hoàn thành trước ngày 30/6/2026.", []),  # not a report
    ],
)
def test_report_deadlines_as_listed(text, expected):
    assert [(d["day"], d["month"]) for d in extract_report_deadlines(text)] == expected


def _word_plan() -> bytes:
    """The Hà Nội dev plan as an official .docx: letterhead and signature in two-column Word
    tables (each cell several lines), the body as paragraphs."""
    import io

    import docx

    lines = (DEV / "hanoi_two_columns.txt").read_text(encoding="utf-8").split("\n")
    start = lines.index("KẾ HOẠCH")
    end = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận"))
    document = docx.Document()

    def fill(cell, text: str) -> None:
        # One Word paragraph per line, as a letterhead is typed (a line break inside one
        # paragraph, w:br, is not read as a break by core.documents today).
        first, *rest = text.split("\n")
        cell.paragraphs[0].text = first
        for line in rest:
            cell.add_paragraph(line)

    head = document.add_table(rows=1, cols=2)
    fill(head.cell(0, 0), "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n\nSố: 215/KH-UBND")
    fill(
        head.cell(0, 1),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Hà Nội, ngày 03 tháng 9 năm 2025",
    )
    for line in lines[start:end]:
        document.add_paragraph(line)
    sign = document.add_table(rows=1, cols=2)
    fill(sign.cell(0, 0), "Nơi nhận:\n- Thường trực Thành ủy;\n- Lưu: VT, KGVX.")
    fill(sign.cell(0, 1), "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n(Đã ký)\n\nVũ Thu Hà")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_plan_with_its_letterhead_and_signature_in_tables():
    from lantoa.plans.importer import read_document

    source = read_document(_word_plan(), filename="ke-hoach.docx")
    plan = extract_plan(source.text)
    gold = _gold(DEV / "gold" / "hanoi_two_columns.json")
    for key in ("number", "date", "issuer", "issuer_place", "title", "references"):
        assert getattr(plan, key) == gold[key], key
    assert [(t.year, t.value) for t in plan.targets] == [
        (t["year"], t["value"]) for t in gold["targets"]
    ]
    assert plan.signer_title == "Phó Chủ tịch"
    assert plan.signer == "Vũ Thu Hà"


def test_units_named_one_level_below_a_heading_of_duties():
    plan = extract_plan(
        "KẾ HOẠCH\nVề việc tuyên truyền\n\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Trách nhiệm của các cơ quan, đơn vị\n"
        "a) Sở Văn hóa, Thể thao và Du lịch: chủ trì triển khai.\n- Hướng dẫn các đơn vị.\n"
        "b) Sở Tài chính: bố trí kinh phí.\nc) UBND các xã, phường: triển khai tại địa phương.\n"
        "2. Chế độ báo cáo\n"
        "Các đơn vị gửi báo cáo chậm nhất ngày 15/6 và ngày 15 tháng 12 hằng năm.\n"
    )
    assert [(u.name, len(u.duties)) for u in plan.units] == [
        ("Sở Văn hóa, Thể thao và Du lịch", 2),
        ("Sở Tài chính", 1),
        ("UBND các xã, phường", 1),
    ]
    assert plan.report_deadlines == [{"day": 15, "month": 6}, {"day": 15, "month": 12}]


SEED_GOLDS = sorted((SHARED / "seeds" / "gold").glob("*.json"))


@pytest.mark.parametrize("gold_path", SEED_GOLDS, ids=[g.stem for g in SEED_GOLDS])
def test_seed_issuers_as_the_shared_gold_names_them(gold_path):
    """The scorer does not read "issuer"; the gold names it, OCR'd letterheads included."""
    gold = _gold(gold_path)
    plan = extract_plan((SHARED / "seeds" / gold["file"]).read_text(encoding="utf-8"))
    assert plan.issuer == gold["issuer"]
    assert plan.issuer_place == gold["issuer"].removeprefix("UBND ")


def test_a_news_page_reporting_several_documents_gives_the_plan():
    plan = extract_plan(
        "Ngày 22/12/2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW về đột phá phát triển.\n"
        "Ngày 10/01/2025, UBND tỉnh ban hành Quyết định số 12/QĐ-UBND về ban chỉ đạo.\n"
        "Ngày 18/8/2025, UBND phường Tân Định ban hành Kế hoạch số 20/KH-UBND về tuyên truyền.\n"
    )
    assert (plan.number, plan.date, plan.issuer) == (
        "20/KH-UBND",
        "2025-08-18",
        "UBND phường Tân Định",
    )
    assert plan.references == ["57-NQ/TW", "12/QĐ-UBND"]


def test_a_letterhead_typed_with_line_breaks_in_one_word_paragraph_keeps_its_lines():
    """Shift+Enter in Word (w:br) ends a line: the levels of a letterhead typed in one paragraph
    are not glued ("ỦY BAN NHÂN DÂNTHÀNH PHỐ"), and a tab typed between words separates them."""
    import io

    import docx

    from lantoa.core.documents import read_document

    document = docx.Document()
    head = document.add_paragraph()
    head.add_run("ỦY BAN NHÂN DÂN")
    head.add_run().add_break()
    head.add_run("THÀNH PHỐ CẦN THƠ")
    number = document.add_paragraph()
    number.add_run("Số: 15/KH-UBND")
    number.add_run().add_tab()
    number.add_run("Cần Thơ, ngày 05 tháng 9 năm 2025")
    out = io.BytesIO()
    document.save(out)
    text = read_document(out.getvalue(), filename="kh.docx").text
    assert "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ" in text
    assert "15/KH-UBND\tCần Thơ" in text


def test_letterhead_and_signature_typed_in_borderless_word_tables_are_read():
    """Nearly every plan typed in Word puts its letterhead (issuer | motto) and its signature
    (recipients | signer) in two-column tables: each cell's lines stay lines, so the issuer
    below its parent body and the signer's name under "(đã ký)" are found."""
    import io

    import docx

    from lantoa.core.documents import read_document
    from lantoa.plans.importer import understand

    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH NINH BÌNH"
    head.cell(0, 0).add_paragraph("TRƯỜNG THPT LƯƠNG VĂN TỤY")
    head.cell(0, 0).add_paragraph("Số: 41/KH-THPTLVT")
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    head.cell(0, 1).add_paragraph("Ninh Bình, ngày 12 tháng 9 năm 2025")
    for line in (
        "KẾ HOẠCH",
        "Tuyên truyền Nghị quyết số 57-NQ/TW trong nhà trường năm học 2025-2026",
        "I. NHIỆM VỤ",
        "1. Tổ chức tuyên truyền Nghị quyết số 57-NQ/TW cho 100% cán bộ, giáo viên thường xuyên.",
        "2. Xây dựng chuyên mục chuyển đổi số trên trang thông tin điện tử của trường.",
    ):
        document.add_paragraph(line)
    sign = document.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:"
    sign.cell(0, 0).add_paragraph("- Sở GDĐT (để b/c);")
    sign.cell(0, 0).add_paragraph("- Lưu: VT.")
    sign.cell(0, 1).text = "HIỆU TRƯỞNG"
    sign.cell(0, 1).add_paragraph("(đã ký)")
    sign.cell(0, 1).add_paragraph("Trịnh Thị Thu Hà")
    out = io.BytesIO()
    document.save(out)
    plan = understand(read_document(out.getvalue(), filename="kh.docx")).extracted
    assert plan.number == "41/KH-THPTLVT"
    assert plan.date == "2025-09-12"
    assert plan.issuer and plan.issuer.lower().startswith("trường thpt lương văn tụy")
    assert plan.signer == "Trịnh Thị Thu Hà"
    assert not any("Lưu" in task.text or "Sở GDĐT" in task.text for task in plan.tasks)
