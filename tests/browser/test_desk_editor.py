"""The editor's desk on a phone, under the site's Content-Security-Policy: an editor writes an
item in the rich text editor (django-prose-editor, served by Lantoa) filling every field, saves,
opens it again and finds everything there; sends it to review; another person approves it."""

import datetime

import pytest

from lantoa.content.choices import ContentStatus
from lantoa.content.models import Campaign, ContentItem
from lantoa.media import services as media_services
from lantoa.media.choices import AssetStatus, Licence
from lantoa.orgs.choices import Role
from lantoa.plans import services as plan_services
from lantoa.plans.importer import extract_plan, read_document
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from tests.documents import REPORTING_PLAN, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _asset(actor, unit, title):
    """An image uploaded to the library as an editor does, its renditions made."""
    asset = media_services.asset_upload(
        actor=actor,
        unit=unit,
        name="hoi-nghi.png",
        data=png_bytes(),
        title=title,
        licence=Licence.OWN,
    )
    asset.refresh_from_db()
    if asset.status != AssetStatus.READY:
        media_services.asset_process(asset)
        asset.refresh_from_db()
    return asset


def test_an_item_written_in_the_editor_keeps_every_field_and_is_approved_by_another(
    live_server, tree, make_user, page, screenshot, browser
):
    source = read_document(REPORTING_PLAN.encode())
    extracted = extract_plan(source.text)
    extracted.tasks[1].lead = ["Xã Bom Bo"]
    plan = plan_services.plan_import(
        actor=None, unit=tree.bombo, source=source, extracted=extracted, filename="k.txt"
    )
    task = plan.tasks.get(order=1)
    campaign = Campaign.objects.create(
        unit=tree.bombo,
        title="Tháng hành động chuyển đổi số",
        starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 10, 31),
    )
    editor = make_user(tree.bombo, Role.EDITOR, username="bt.bombo", full_name="Trần Thị Biên")
    cover = _asset(editor, tree.bombo, "Ảnh hội nghị chuyển đổi số")
    assert cover.status == AssetStatus.READY
    make_user(tree.bombo, Role.APPROVER, username="duyet.bombo", full_name="Lê Văn Duyệt")
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    _sign_in(page, live_server, "bt.bombo")
    page.locator("label.navtoggle-label").click()
    page.locator(".mainnav a", has_text="Biên tập").click()
    page.wait_for_url(f"{live_server.url}/desk/")
    page.get_by_role("link", name="Viết bài").first.click()

    # The document's number and date are asked for a directive document only.
    page.locator(".ProseMirror[contenteditable=true]").wait_for()
    assert not page.locator("input[name=document_number]").is_visible()
    page.select_option("select[name=kind]", "directive")
    assert page.locator("input[name=document_number]").is_visible()
    page.fill("input[name=title]", "Chỉ thị về đẩy mạnh chuyển đổi số")
    page.fill("textarea[name=summary]", "Tóm tắt: UBND xã chỉ đạo các thôn triển khai.")
    # The rich text editor started (its toolbar and editable area), under the CSP.
    editable = page.locator(".ProseMirror[contenteditable=true]")
    editable.wait_for()
    editable.click()
    page.keyboard.type("Đoạn mở đầu của chỉ thị.")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Nhiệm vụ trọng tâm")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    # An image from the library into the text, as a figure with its caption.
    page.get_by_role("button", name="Chèn ảnh từ thư viện").click()
    page.locator(f".body-images [data-library-list] li[data-asset-id='{cover.pk}'] button").click()
    editable.locator("img").wait_for()
    page.fill("input[name=document_number]", "12/CT-UBND")
    page.fill("input[name=document_date]", "2025-10-02")
    page.locator(".task-option", has_text=task.text[:30]).locator("input").check()
    page.get_by_label(campaign.title).check()
    page.fill("input[name=tags]", "chuyển đổi số, AI")
    # The cover from the library picker.
    page.get_by_role("button", name="Chọn từ thư viện").click()
    page.locator(f".asset-picker [data-library-list] li[data-asset-id='{cover.pk}'] button").click()
    assert page.input_value("input[name=cover]") == str(cover.pk)
    # The thumbnail shows as a picture (served by the library).
    preview = page.locator("img[data-asset-preview]")
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot("desk-editor-filled")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"{live_server.url}/desk/items/*/")
    item = ContentItem.objects.get()
    assert item.status == ContentStatus.DRAFT
    assert "<strong>Nhiệm vụ trọng tâm</strong>" in item.latest_revision.body
    assert f'src="/library/{cover.pk}/r/web/"' in item.latest_revision.body
    assert list(item.latest_revision.assets.all()) == [cover]

    # Opened again for editing: every field is as typed.
    page.goto(f"{live_server.url}/desk/items/{item.pk}/edit/")
    page.locator(".ProseMirror[contenteditable=true]").wait_for()
    assert page.input_value("select[name=kind]") == "directive"
    assert page.input_value("input[name=title]") == "Chỉ thị về đẩy mạnh chuyển đổi số"
    assert page.input_value("textarea[name=summary]").startswith("Tóm tắt: UBND xã")
    assert (
        "Đoạn mở đầu của chỉ thị."
        in page.locator(".ProseMirror[contenteditable=true]").inner_text()
    )
    assert (
        page.locator(".ProseMirror[contenteditable=true] strong").inner_text()
        == "Nhiệm vụ trọng tâm"
    )
    assert page.input_value("input[name=document_number]") == "12/CT-UBND"
    assert page.input_value("input[name=document_date]") == "2025-10-02"
    assert page.locator(".task-option", has_text=task.text[:30]).locator("input").is_checked()
    assert page.get_by_label(campaign.title).is_checked()
    assert page.input_value("input[name=tags]") == "AI, chuyển đổi số"
    assert page.input_value("input[name=cover]") == str(cover.pk)
    assert page.input_value("input[name=version]") == "1"
    body_image = page.locator(".ProseMirror[contenteditable=true] img")
    assert body_image.get_attribute("src") == f"/library/{cover.pk}/r/web/"
    assert body_image.evaluate("img => img.complete && img.naturalWidth > 0")

    # Sent to review by its author.
    page.goto(f"{live_server.url}/desk/items/{item.pk}/")
    page.get_by_role("button", name="Gửi duyệt").click()
    page.wait_for_load_state()
    assert "Đang chờ duyệt" in page.locator(".item-state").inner_text()
    assert (
        page.get_by_role("button", name="Phê duyệt", exact=True).count() == 0
    )  # never the author's
    screenshot("desk-item-in-review")

    # Another person, the approver, approves it from their desk.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    other = context.new_page()
    _sign_in(other, live_server, "duyet.bombo")
    other.goto(f"{live_server.url}/desk/")
    other.screenshot(path=str(ARTIFACTS / "desk-approver.png"), full_page=True)
    other.get_by_role("link", name="Chỉ thị về đẩy mạnh chuyển đổi số").click()
    other.fill("textarea[name=comment]", "Đạt yêu cầu.")
    other.get_by_role("button", name="Phê duyệt", exact=True).click()
    other.wait_for_load_state()
    assert "Đã phê duyệt" in other.locator(".item-state").inner_text()
    context.close()
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
