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
    changed = {
        "title": "Lễ ra quân (ảnh chính thức)",
        "description": "Ảnh do Ban Tuyên giáo xã cung cấp.",
        "author": "Điểu Văn Thắng",
        "place": "Sân UBND xã Bom Bo",
        "rights": "Ghi nguồn: UBND xã Bom Bo",
        "tags": "Nghị quyết 57, Tháng chuyển đổi số",
    }
    for name, value in changed.items():
        page.fill(f"[name={name}]", value)
    page.fill("input[name=taken_on]", "2025-09-02")
    page.select_option("select[name=licence]", "withdrawn")
    page.select_option("select[name=consent]", "missing")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.reload()
    text = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == changed["title"]
    for expected in (
        *list(changed.values())[1:5],
        "02/09/2025",
        "Chưa được người xuất hiện đồng ý",
    ):
        assert expected in text, expected
    assert "Giấy phép của tệp này đã bị thu hồi" in text
    assert "Tháng chuyển đổi số" in text and "Nghị quyết 57" in text


def test_a_collection_is_made_shared_and_filled_in_the_browser(live_server, tree, make_user, page):
    from lantoa.media import services
    from lantoa.media.choices import Licence

    editor = make_user(
        tree.dongnai, Role.EDITOR, username="bientap.dongnai", full_name="Lê Văn Hùng"
    )
    asset = services.asset_upload(
        actor=editor, unit=tree.dongnai, name="infographic.jpg", data=_photo(),
        title="Infographic 10 nhiệm vụ Nghị quyết 57", licence=Licence.OWN,
    )  # fmt: skip
    url = live_server.url
    _sign_in(page, url, "bientap.dongnai")
    page.goto(f"{url}/library/collections/")
    page.get_by_role("link", name="Bộ sưu tập mới").click()
    page.select_option("select[name=unit]", str(tree.dongnai.pk))
    page.fill("input[name=title]", "Infographic dùng chung toàn tỉnh")
    page.fill("textarea[name=description]", "Các xã dùng lại cho chuyên mục NQ57.")
    page.check("input[name=shared_down]")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.fill("input[name=q]", "nhiem vu nghi quyet")  # typed without diacritics
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm kiếm").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm vào bộ sưu tập").click()
    page.reload()
    assert page.locator("h1").inner_text() == "Infographic dùng chung toàn tỉnh"
    main = page.locator("main").inner_text()
    assert "Các xã dùng lại cho chuyên mục NQ57." in main and asset.title in main
    assert "chia sẻ cho các đơn vị cấp dưới" in main.lower()
    page.get_by_role("link", name="Chỉnh sửa", exact=True).click()
    page.reload()
    assert page.input_value("input[name=title]") == "Infographic dùng chung toàn tỉnh"
    assert page.input_value("textarea[name=description]") == "Các xã dùng lại cho chuyên mục NQ57."
    assert page.is_checked("input[name=shared_down]")
