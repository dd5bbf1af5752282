"""A citizen reads a commune's NQ57 section on a phone and on a laptop: the directory, the
section, an item, the embedded block on the commune's own website. Every page is checked with
axe-core for WCAG 2.1 AA (levels A and AA of WCAG 2.0 and 2.1) and for horizontal scrolling."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

from lantoa.assistant import services as assistant_services
from lantoa.content.choices import ContentKind
from lantoa.orgs.models import User
from lantoa.plans.models import Plan, Target
from tests.test_public_section import publish, tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
GUIDE = """HƯỚNG DẪN
1. Điểm truy cập Internet
Mỗi thôn của xã Bom Bo có một điểm truy cập Internet công cộng tại nhà văn hóa thôn.
"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm, in var/ (``make axe``; installed here when the target was not run)."""
    if not AXE.exists():
        subprocess.run(  # noqa: S603
            [
                "npm",
                "install",
                "--prefix",
                str(ROOT / "var"),
                "--no-audit",
                "--no-fund",  # noqa: S607
                "--no-save",
                "--silent",
                "axe-core@4",
            ],
            check=True,
            timeout=300,
        )
    return AXE


@pytest.fixture
def context_for(browser):
    """Browser contexts of a given viewport; the CSP is bypassed only so axe can be injected."""
    opened = []

    def make(viewport):
        context = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
        opened.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in opened:
        context.close()


def check_accessible(page, axe_script: Path, where: str) -> None:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"{where}: {json.dumps(violations, ensure_ascii=False, indent=1)}"
    assert result["passes"], f"{where}: axe checked nothing"


def check_no_horizontal_scroll(page, where: str) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where}: {overflow}px wider than the screen"


@pytest.fixture
def section(tree):
    author = User.objects.create_user("bientap.xa", password="x")
    digital = tag("Chuyển đổi số")
    first = publish(
        tree.bombo,
        author,
        "Xã Bom Bo mở lớp bình dân học vụ số cho người dân",
        summary="Hơn 200 người dân các thôn được hướng dẫn dùng dịch vụ công trực tuyến.",
        body=(
            "<p>Ngày 12/9, <strong>UBND xã Bom Bo</strong> tổ chức lớp bình dân học vụ số.</p>"
            "<h2>Nội dung lớp học</h2><ul><li>Cài đặt VNeID</li><li>Nộp hồ sơ trực tuyến</li></ul>"
            "<p>Đường dẫn rất dài https://dichvucong.gov.vn/p/home/dvc-trang-chu.html?tham-so="
            "mot-chuoi-rat-dai-khong-co-khoang-trang-nao-ca-de-thu-man-hinh-dien-thoai</p>"
        ),
        tags=[digital],
    )
    publish(
        tree.bombo,
        author,
        "Video: hướng dẫn cài đặt tài khoản định danh điện tử",
        kind=ContentKind.VIDEO,
        tags=[digital],
    )
    publish(tree.xuanlap, author, "Phường Xuân Lập ra mắt bản đồ số các điểm dịch vụ công")
    plan = Plan.objects.create(
        unit=tree.bombo,
        number="45/KH-UBND",
        title="Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị năm 2025",
    )
    Target.objects.create(plan=plan, text="100% thôn có điểm truy cập Internet công cộng", order=0)
    assistant_services.document_index(
        actor=None, unit=tree.bombo, name="huong-dan.txt", data=GUIDE.encode()
    )
    return first


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_public_pages_are_accessible_and_fit_the_screen(
    context_for, live_server, section, axe_script, viewport, screenshot_dir
):
    page = context_for(viewport)
    name = "phone" if viewport is PHONE else "laptop"
    pages = [
        ("directory", "/u/", "Tìm chuyên mục Nghị quyết 57 của đơn vị"),
        ("directory search", "/u/?q=bom+bo", "Xã Bom Bo"),
        ("province", "/u/75/", "Phường Xuân Lập ra mắt bản đồ số"),
        ("commune", "/u/25405/", "Kế hoạch và chỉ tiêu"),
        ("kind", "/u/25405/loai/video/", "Video: hướng dẫn cài đặt"),
        ("item", f"/u/25405/{section.slug}/", "Nội dung lớp học"),
        ("embed", "/u/25405/embed/", "Xã Bom Bo mở lớp bình dân học vụ số"),
    ]
    for where, path, expected in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, where
        assert expected in page.content(), where
        check_no_horizontal_scroll(page, f"{where} ({name})")
        check_accessible(page, axe_script, f"{where} ({name})")
        page.screenshot(path=str(screenshot_dir / f"public-{where.replace(' ', '-')}-{name}.png"))


@pytest.fixture
def screenshot_dir():
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def test_a_citizen_finds_the_commune_searches_and_asks(context_for, live_server, section):
    page = context_for(PHONE)
    page.goto(live_server.url + "/u/")
    page.get_by_label("Tên hoặc mã đơn vị").fill("bom bo")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Xã Bom Bo").click()
    page.get_by_role("heading", name="Chuyên mục Nghị quyết 57 của Xã Bom Bo").wait_for()
    # search the section without diacritics; the search survives a reload
    page.get_by_label("Tìm trong chuyên mục").fill("binh dan hoc vu so")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.reload()
    assert page.get_by_label("Tìm trong chuyên mục").input_value() == "binh dan hoc vu so"
    results = page.locator(".public-items")
    assert "Xã Bom Bo mở lớp bình dân học vụ số" in results.inner_text()
    assert "Video" not in results.inner_text()
    page.get_by_role("link", name="Xã Bom Bo mở lớp bình dân học vụ số cho người dân").click()
    page.get_by_role("heading", name="Nội dung lớp học").wait_for()
    # back to the section, ask the assistant
    page.goto(live_server.url + "/u/25405/")
    page.get_by_label("Câu hỏi của bạn về Nghị quyết 57").fill("diem truy cap internet o dau")
    page.get_by_role("button", name="Hỏi", exact=True).click()
    answer = page.locator(".bubble.bot")
    answer.wait_for()
    assert "nhà văn hóa thôn" in answer.inner_text()


def test_the_section_embedded_in_the_communes_website(context_for, live_server, section):
    html = (
        "<!doctype html><html lang=vi><meta name=viewport content='width=device-width'>"
        "<title>Cổng thông tin xã Bom Bo</title><h1>Cổng thông tin xã Bom Bo</h1>"
        f"<script src='{live_server.url}/u/25405/embed.js' async></script><p>Chân trang</p>"
    ).encode()

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = context_for(PHONE)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        frame = page.frame_locator("iframe[title='Chuyên mục Nghị quyết 57 của Xã Bom Bo']")
        link = frame.get_by_role("link", name="Xã Bom Bo mở lớp bình dân học vụ số cho người dân")
        link.wait_for()
        # the frame stands where the script tag is: after the heading, before the footer
        order = page.evaluate("() => [...document.body.children].map((node) => node.tagName)")
        assert order.index("IFRAME") == order.index("SCRIPT") + 1
        box = page.locator("iframe").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert link.get_attribute("href").endswith(f"/u/25405/{section.slug}/")
    finally:
        server.shutdown()
