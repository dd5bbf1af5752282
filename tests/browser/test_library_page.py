"""An editor adds a photo to the library in the browser with every field filled; the asset's
page, reloaded, shows what was typed and the picture's web size (made in the background); the
edit form, reloaded, holds every value again."""

import io

import pytest
from PIL import Image, ImageDraw

from lantoa.media.models import Asset
from lantoa.orgs.choices import Role

from .test_plan_edit_page import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo() -> bytes:
    image = Image.new("RGB", (900, 600), (30, 90, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 100, 500, 500), fill=(240, 200, 40))
    draw.rectangle((550, 150, 850, 450), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def test_a_photo_is_added_with_every_field_and_shown_again(live_server, tree, make_user, page):
    make_user(tree.bombo, Role.EDITOR, username="bientap.bombo", full_name="Điểu Thị Hoa")
    url = live_server.url
    _sign_in(page, url, "bientap.bombo")
    page.locator("label.navtoggle-label").click()  # the phone menu
    page.locator(".mainnav").get_by_role("link", name="Thư viện").click()
    page.get_by_role("link", name="Thêm tệp").click()
    page.select_option("select[name=unit]", str(tree.bombo.pk))
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "lễ ra quân.jpg", "mimeType": "image/jpeg", "buffer": _photo()}],
    )
    values = {
        "title": "Lễ ra quân Tháng chuyển đổi số xã Bom Bo",
        "description": "Cán bộ và nhân dân xã Bom Bo tại lễ ra quân, sáng 01/9/2025.",
        "author": "Nguyễn Văn Minh",
        "place": "Hội trường UBND xã Bom Bo",
        "rights": "UBND xã Bom Bo; ghi nguồn khi sử dụng",
        "tags": "Chuyển đổi số, Nghị quyết 57",
    }
    for name, value in values.items():
        page.fill(f"[name={name}]", value)
    page.fill("input[name=taken_on]", "2025-09-01")
    page.select_option("select[name=licence]", "government")
    page.select_option("select[name=consent]", "obtained")
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm vào thư viện").click()
    asset = Asset.objects.get()
    assert page.url.endswith(f"/library/{asset.pk}/")
    page.reload()
    main = page.locator("main")
    assert page.locator("h1").inner_text() == values["title"]
    text = main.inner_text()
    for expected in (
        values["description"],
        values["author"],
        values["place"],
        values["rights"],
        "01/09/2025",
        "Tư liệu của cơ quan nhà nước, được tự do sử dụng lại",
        "Đã được người xuất hiện đồng ý",
        "Chuyển đổi số",
        "Nghị quyết 57",
    ):
        assert expected in text, expected
    picture = main.locator("img").first
    picture.wait_for()
    assert (
        page.evaluate("(img) => img.complete && img.naturalWidth", picture.element_handle()) == 900
    )

    page.goto(f"{url}/library/")
    assert page.get_by_role("link", name=values["title"]).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # a phone
    page.get_by_role("link", name=values["title"]).click()
    page.get_by_role("link", name="Sửa thông tin").click()
    page.reload()
    for name, value in values.items():
        assert page.input_value(f"[name={name}]") == value, name
    assert page.input_value("input[name=taken_on]") == "2025-09-01"
    assert page.input_value("select[name=licence]") == "government"
    assert page.input_value("select[name=consent]") == "obtained"
