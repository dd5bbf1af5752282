"""The loudspeaker pages on a phone: a cluster added and corrected with every field, a bulletin
scheduled on two of its clusters; everything is there again after a reload."""

import pytest

from lantoa.channels.models import Broadcast, LoudspeakerCluster
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.orgs.choices import Role
from tests.browser.test_broadcast_log import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clusters_and_a_schedule_are_kept(live_server, tree, make_user, page, screenshot):
    editor = make_user(tree.bombo, Role.EDITOR, username="bientap")
    approver = make_user(tree.bombo, Role.APPROVER, username="pheduyet")
    make_user(tree.bombo, Role.REPORTER, username="loa.bombo")
    item = content_services.item_create(
        actor=editor, unit=tree.bombo, kind=ContentKind.LOUDSPEAKER, title="Bản tin tuần 21",
        body="<p>Xã Bom Bo triển khai Nghị quyết 57-NQ/TW.</p>",
    )  # fmt: skip
    content_services.item_submit(actor=editor, item=item)
    content_services.item_review(actor=approver, item=item, decision=ReviewDecision.APPROVED)

    _sign_in(page, live_server, "loa.bombo")
    page.goto(f"{live_server.url}/channels/loudspeakers/")
    for name, place, speakers in (("Cụm loa ấp 1", "Nhà văn hóa ấp 1", "4"),
                                  ("Cụm loa ấp 2", "Chợ Bom Bo", "2")):  # fmt: skip
        page.select_option("select[name=unit]", str(tree.bombo.pk))
        page.fill("input[name=name]", name)
        page.fill("input[name=place]", place)
        page.fill("input[name=speakers]", speakers)
        page.get_by_role("button", name="Thêm", exact=True).click()
        page.wait_for_url("**/channels/loudspeakers/")
    page.get_by_role("link", name="Cụm loa ấp 2").click()
    page.fill("input[name=name]", "Cụm loa chợ")
    page.fill("input[name=speakers]", "3")
    page.get_by_label("Đang sử dụng").uncheck()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/channels/loudspeakers/")
    page.get_by_role("link", name="Cụm loa chợ").click()
    page.reload()
    assert page.input_value("input[name=name]") == "Cụm loa chợ"
    assert page.input_value("input[name=place]") == "Chợ Bom Bo"
    assert page.input_value("input[name=speakers]") == "3"
    assert not page.get_by_label("Đang sử dụng").is_checked()
    page.get_by_label("Đang sử dụng").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/channels/loudspeakers/")

    page.goto(f"{live_server.url}/channels/bulletins/{item.pk}/")
    page.fill("input[name=starts_at]", "2026-05-18T06:30")
    page.fill("input[name=planned_minutes]", "20")
    page.get_by_label("Cụm loa ấp 1").check()
    page.get_by_label("Cụm loa chợ").check()
    screenshot("bulletin-schedule")
    page.get_by_role("button", name="Lập lịch phát").click()
    page.wait_for_url(f"**/channels/bulletins/{item.pk}/")
    page.reload()
    assert page.get_by_text("18/05/2026 06:30").count()
    broadcast = Broadcast.objects.get()
    assert broadcast.planned_minutes == 20
    assert {c.name for c in broadcast.clusters.all()} == {"Cụm loa ấp 1", "Cụm loa chợ"}
    assert LoudspeakerCluster.objects.count() == 2
