"""A citizen on a phone asks a commune's assistant from the commune's own website."""

import http.server
import threading

import pytest

from lantoa.assistant import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE = """HƯỚNG DẪN
1. Nơi làm thủ tục
Công dân làm thủ tục cấp căn cước công dân tại Công an xã nơi cư trú, từ thứ Hai đến thứ Sáu.
"""


@pytest.fixture
def commune_website(live_server, tree):
    """The commune's website, on another origin, with the widget's one line of HTML."""
    html = (
        "<!doctype html><html lang=vi><meta name=viewport content='width=device-width'>"
        "<h1>Cổng thông tin xã Bom Bo</h1>"
        f"<script src='{live_server.url}/assistant/{tree.bombo.code}/widget.js' defer></script>"
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
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_a_citizen_asks_from_the_communes_website(page, tree, commune_website, screenshot):
    services.document_index(actor=None, unit=tree.bombo, name="huong-dan.txt", data=GUIDE.encode())
    page.goto(commune_website)
    page.get_by_role("button", name="Hỏi trợ lý").click()
    frame = page.frame_locator("iframe[title='Hỏi trợ lý']")
    frame.get_by_label("Câu hỏi của bạn").fill("cccd lam o dau")
    frame.get_by_role("button", name="Hỏi", exact=True).click()
    answer = frame.locator(".bubble.bot")
    answer.wait_for()
    assert "Công an xã" in answer.inner_text()
    assert frame.get_by_role("link", name="HƯỚNG DẪN").count() >= 1  # the source
    screenshot("assistant-widget-phone")
    # The frame fits a phone's width.
    box = page.locator("iframe").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
