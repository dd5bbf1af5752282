"""OCR of scanned PDFs: a noisy 300 dpi scan still reads its known text, pages read in
parallel come back in their order, and the time promised for N pages follows the measured
time a page (reading.OCR_SECONDS_PER_PAGE, from bench/ocr.py). No timed assertions."""

from __future__ import annotations

import pytest

from lantoa.core.documents import reading
from lantoa.core.documents.reading import read_document

from .scans import character_accuracy, scanned_pdf, syllable_accuracy

KNOWN = [
    "KẾ HOẠCH",
    "Thực hiện Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số",
    "57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển",
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia”",
    "1. Mục tiêu chung",
    "- 100% lãnh đạo, cán bộ, công chức, viên chức được tuyên truyền, phổ biến",
    "các quan điểm chỉ đạo của Nghị quyết số 57-NQ/TW trước ngày 31/12/2025.",
]


def test_a_speckled_300_dpi_scan_reads_its_known_text():
    source = read_document(scanned_pdf([KNOWN], height=900), filename="scan.pdf")
    assert source.kind == "pdf-ocr" and source.pages == 1
    expected = "\n".join(KNOWN)
    # Measured 0.993 syllables / 0.998 characters on two full pages (bench/ocr.py).
    assert syllable_accuracy(expected, source.text) >= 0.95
    assert character_accuracy(expected, source.text) >= 0.98
    assert "57-NQ/TW" in source.text and "31/12/2025" in source.text


def test_pages_read_in_parallel_come_back_in_order_with_progress():
    pages = [[f"Trang số {n}: Ủy ban nhân dân phường Xuân Lập"] for n in (1, 2, 3)]
    seen = []
    source = read_document(
        scanned_pdf(pages, height=500),
        filename="scan.pdf",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert source.pages == 3
    positions = [source.text.find(f"Trang số {n}") for n in (1, 2, 3)]
    assert -1 not in positions and positions == sorted(positions)
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


@pytest.mark.parametrize("pages", [1, 3, 10, 30])
def test_the_estimate_for_n_pages_is_the_measured_time_a_page_rounded_up(pages):
    minutes = reading.ocr_minutes(pages)
    assert minutes >= 1
    assert (minutes - 1) * 60 < pages * reading.OCR_SECONDS_PER_PAGE <= minutes * 60


def test_the_upload_page_promises_the_measured_time(tree, client, make_user):
    from django.urls import reverse

    from lantoa.orgs.choices import Role

    client.force_login(make_user(tree.bombo, Role.FOCAL_POINT))
    page = client.get(reverse("plans:upload")).content.decode()
    ten = reading.ocr_minutes(10)
    assert f"{reading.OCR_SECONDS_PER_PAGE} giây" in page
    assert f"{ten} phút" in page
    assert reading.ocr_minutes(0) == 0
