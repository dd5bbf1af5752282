"""The diacritics restorer (core.restore) with the model shipped in the repository: text OCR'd
by Tesseract's English model or typed without diacritics reads as Vietnamese again, clean text
is left exactly as it is, and the ``lantoa restore-text --json`` contract holds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lantoa.core.restore import needs_restoring, restore_text
from lantoa.portal.demo.plans import HERE as SEEDS

SRC = Path(__file__).resolve().parents[1] / "src"

OCR = "Nghi quyét s6 57-NQ/TW ngay 22/12/2024 ctia Bo Chinh tri"
OCR_CLEAN = "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
# Real English-model OCR of a corpus paragraph (one of the held-out files).
OCR2 = "Xay dung va duy tri hiéu qua cac chuyén muc vé khoa hoc, céng nghé va chuyén déi sé"
OCR2_CLEAN = "Xây dựng và duy trì hiệu quả các chuyên mục về khoa học, công nghệ và chuyển đổi số"
FOLDED = "Uy ban nhan dan tinh chi dao cac so, ban, nganh to chuc thuc hien Ke hoach nay."
FOLDED_CLEAN = "Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành tổ chức thực hiện Kế hoạch này."


def test_an_ocr_sentence_is_restored():
    assert needs_restoring(OCR)
    assert restore_text(OCR) == OCR_CLEAN
    assert restore_text(OCR2) == OCR2_CLEAN


def test_a_folded_sentence_is_restored():
    assert needs_restoring(FOLDED)
    assert restore_text(FOLDED) == FOLDED_CLEAN


def test_case_numbers_codes_and_punctuation_are_kept():
    assert (
        restore_text("KE HOACH SO 20/KH-UBND NGAY 18/8/2025 (ve chuyen doi so).")
        == "KẾ HOẠCH SỐ 20/KH-UBND NGÀY 18/8/2025 (về chuyển đổi số)."
    )
    # a code the corpus always writes with Đ gets it back
    assert restore_text("theo Nghi dinh so 13/2023/ND-CP") == "theo Nghị định số 13/2023/NĐ-CP"


def test_a_clean_plan_comes_back_unchanged():
    text = (SEEDS / "xuan-lap.txt").read_text(encoding="utf-8")
    assert not needs_restoring(text)
    assert restore_text(text) == text
    for line in text.splitlines():
        assert restore_text(line) == line


@pytest.mark.parametrize(
    "name, phrases",
    [
        (
            "bom-bo-63-KH-UBND.txt",
            [
                "Thực hiện Kế hoạch số 45/KH-UBND ngày 12 tháng 8",
                "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị",
            ],
        ),
        (
            "lang-son-211-KH-UBND.txt",
            [
                "UBND tỉnh xây dựng Kế hoạch thực hiện như sau:",
                "Thực hiện Quyết định số 1169/QĐ-TTg",
            ],
        ),
    ],
)
def test_plans_scanned_and_read_without_the_vietnamese_model_are_restored(name, phrases):
    """Two seeds are real scans read by Tesseract's English model."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert needs_restoring(text)
    restored = restore_text(text)
    assert restored.count("\n") == text.count("\n")
    for phrase in phrases:
        assert phrase not in text
        assert phrase in restored


def test_a_list_keeps_its_letters_and_gets_its_d_with_a_bar_back():
    text = "c) Ra soat cac van ban\nd) To chuc tap huan\nd) Bao cao ket qua\ne) Khen thuong"
    assert restore_text(text).splitlines() == [
        "c) Rà soát các văn bản",
        "d) Tổ chức tập huấn",
        "đ) Báo cáo kết quả",
        "e) Khen thưởng",
    ]


def test_text_without_words_is_left_alone():
    for text in ["", "   ", "57-NQ/TW", "22/12/2024 - 31/12/2025", "1.2.3", "| | |"]:
        assert not needs_restoring(text)
        assert restore_text(text) == text


def test_the_contract_command_answers_line_by_line_in_order():
    lines = [OCR, FOLDED, OCR_CLEAN, "", "57-NQ/TW"]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run(
        [sys.executable, "-m", "lantoa", "restore-text", "--json"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert out == [OCR_CLEAN, FOLDED_CLEAN, OCR_CLEAN, "", "57-NQ/TW"]


@pytest.mark.django_db
def test_a_question_typed_without_diacritics_is_restored_before_it_is_answered(tree):
    from lantoa.assistant import services

    result, logged = services.ask(unit=tree.bombo, question="ke hoach chuyen doi so cua xa")
    assert result.question == "kế hoạch chuyển đổi số của xã"
    assert logged.text == "ke hoach chuyen doi so cua xa"  # the question as typed is kept
    result, _ = services.ask(unit=tree.bombo, question="Kế hoạch chuyển đổi số của xã?")
    assert result.question == "Kế hoạch chuyển đổi số của xã?"


def test_an_ocr_plan_imported_through_any_door_shows_restored_tasks(tmp_path):
    """The upload, the import-plan command and the demo loader share one understanding: tasks of
    a plan scanned without the Vietnamese model come out with their diacritics, the text as read
    kept beside them."""
    from lantoa.plans.importer import read_document, understand

    path = SEEDS / "bom-bo-63-KH-UBND.txt"
    understood = understand(read_document(path.read_bytes(), filename=path.name))
    assert "Xay dung va duy tri" in understood.original_text
    tasks = [task.text for task in understood.extracted.tasks]
    assert tasks[0].startswith("Xây dựng và duy trì hiệu quả các chuyên mục")

    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    printed = subprocess.run(
        [sys.executable, "-m", "lantoa", "import-plan", "--dry-run", "--json", str(copy)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        timeout=300,
    )
    assert printed.returncode == 0, printed.stderr
    contract = json.loads(printed.stdout)
    assert any("Xây dựng và duy trì" in task["text"] for task in contract["tasks"])


def test_a_document_read_without_diacritics_is_indexed_and_quoted_restored(tree):
    """A guide scanned and OCR'd without the Vietnamese model: citizens are quoted restored
    text, and the file as uploaded is kept as it was."""
    from lantoa.assistant import services
    from lantoa.assistant.models import Passage

    folded = (
        "Huong dan tuyen truyen Nghi quyet so 57-NQ/TW.\n\n"
        "Cac xa xay dung chuyen muc ve khoa hoc, cong nghe, doi moi sang tao va chuyen doi so "
        "tren trang thong tin dien tu, cap nhat tin bai hang tuan."
    )
    document = services.document_index(
        actor=None, unit=tree.bombo, name="huong-dan.txt", data=folded.encode()
    )
    texts = " ".join(Passage.objects.filter(document=document).values_list("text", flat=True))
    assert "chuyên mục về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số" in texts
    assert "chuyen muc ve khoa hoc" not in texts
