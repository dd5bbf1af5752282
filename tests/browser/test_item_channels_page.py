"""An approver chooses the channels of an approved item in the browser: the preview of each
channel shown, the Facebook Page ticked, a sending time typed, saved; the page, reloaded, shows
the post waiting in the outbox for that time."""

import datetime

import pytest
from django.utils import timezone

from lantoa.channels.choices import Platform
from lantoa.channels.models import ChannelAccount, OutboxEntry
from lantoa.channels.secrets import seal
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.orgs.choices import Role

from .test_plan_edit_page import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_channels_are_chosen_previewed_and_kept(live_server, tree, make_user, page):
    editor = make_user(tree.bombo, Role.EDITOR, username="bientap.bombo")
    make_user(tree.bombo, Role.APPROVER, username="pheduyet.bombo")
    approver = make_user(tree.bombo, Role.APPROVER, username="duyet2.bombo")
    item = content_services.item_create(
        actor=editor,
        unit=tree.bombo,
        kind=ContentKind.NEWS,
        title="Bom Bo ra quân Ngày Chuyển đổi số",
        body="<p>300 người dân được hướng dẫn cài đặt VNeID tại nhà văn hóa thôn.</p>",
    )
    content_services.item_submit(actor=editor, item=item)
    content_services.item_review(actor=approver, item=item, decision=ReviewDecision.APPROVED)
    account = ChannelAccount.objects.create(
        unit=tree.bombo,
        platform=Platform.FACEBOOK,
        name="Trang UBND xã Bom Bo",
        remote_id="1001",
        access_token=seal("EAAG-test"),
    )
    url = live_server.url
    _sign_in(page, url, "pheduyet.bombo")
    page.goto(f"{url}/desk/items/{item.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Gửi lên các kênh").click()
    page.get_by_text("Xem trước").first.click()
    assert "VNeID" in page.locator("details.preview").first.inner_text()
    assert "#NQ57" in page.locator("details.preview").first.inner_text()
    page.get_by_label(str(account)).check()
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    page.fill("input[name=send_at]", when.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="Đưa vào hộp thư đi").click()
    page.reload()
    table = page.locator("table").first.inner_text()
    assert str(account) in table and "Đang chờ gửi" in table
    assert when.strftime("%d/%m/%Y %H:%M") in table
    entry = OutboxEntry.objects.get(item=item)
    assert entry.send_at == when and entry.account == account
