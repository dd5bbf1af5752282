"""The broadcast log on a phone, as the commune's loudspeaker operator fills it after airing a
bulletin: every field tapped or typed is there again after saving and reloading, and the
broadcast counts as one activity with its minutes."""

import datetime

import pytest
from django.utils import timezone

from lantoa.activities.choices import ActivityKind
from lantoa.activities.models import Activity
from lantoa.channels import loudspeakers
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ReviewDecision
from lantoa.orgs.choices import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_every_field_of_the_log_is_kept(live_server, tree, make_user, page, screenshot):
    editor = make_user(tree.bombo, Role.EDITOR, username="bientap")
    approver = make_user(tree.bombo, Role.APPROVER, username="pheduyet")
    operator = make_user(tree.bombo, Role.REPORTER, username="loa.bombo")
    item = content_services.item_create(
        actor=editor, unit=tree.bombo, kind=ContentKind.LOUDSPEAKER, title="Bản tin NQ57 tuần 20",
        body="<p>Ngày 18/5/2026 là Ngày KH&amp;CN Việt Nam.</p>",
    )  # fmt: skip
    content_services.item_submit(actor=editor, item=item)
    content_services.item_review(actor=approver, item=item, decision=ReviewDecision.APPROVED)
    item.refresh_from_db()
    clusters = [
        loudspeakers.cluster_create(actor=operator, unit=tree.bombo, name=name, speakers=3)
        for name in ("Cụm loa ấp 1", "Cụm loa ấp 2", "Cụm loa ấp 3")
    ]
    broadcast = loudspeakers.broadcast_schedule(
        actor=operator, item=item, clusters=clusters,
        starts_at=timezone.now() - datetime.timedelta(hours=1), planned_minutes=15,
    )  # fmt: skip

    _sign_in(page, live_server, "loa.bombo")
    page.goto(f"{live_server.url}/channels/loudspeakers/")
    page.get_by_role("link", name="Ghi nhật ký").first.click()
    page.wait_for_url(f"**/channels/broadcasts/{broadcast.pk}/log/")

    # Big touch targets: each choice is a whole row a thumb can hit.
    aired = page.get_by_label("Đã phát", exact=True)
    box = page.locator("label", has=aired).bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    aired.check()
    page.fill("input[name=minutes]", "17")
    page.get_by_label("Cụm loa ấp 2").uncheck()
    page.fill("textarea[name=note]", "Phát lại lúc 17 giờ do mất điện buổi sáng")
    screenshot("broadcast-log-filled")
    page.get_by_role("button", name="Lưu nhật ký").click()
    page.wait_for_url(f"**/channels/broadcasts/{broadcast.pk}/log/")
    assert page.get_by_role("status").filter(has_text="17").count()

    page.reload()
    assert page.get_by_label("Đã phát", exact=True).is_checked()
    assert page.input_value("input[name=minutes]") == "17"
    assert page.get_by_label("Cụm loa ấp 1").is_checked()
    assert not page.get_by_label("Cụm loa ấp 2").is_checked()
    assert page.get_by_label("Cụm loa ấp 3").is_checked()
    assert page.input_value("textarea[name=note]") == "Phát lại lúc 17 giờ do mất điện buổi sáng"
    activity = Activity.objects.get()
    assert (activity.kind, activity.minutes) == (ActivityKind.BROADCAST, 17)

    # It did not air after all: chosen on the phone, saved, kept; the activity withdrawn.
    page.get_by_label("Không phát", exact=True).check()
    page.get_by_role("button", name="Lưu nhật ký").click()
    page.wait_for_url(f"**/channels/broadcasts/{broadcast.pk}/log/")
    page.reload()
    assert page.get_by_label("Không phát", exact=True).is_checked()
    assert Activity.objects.get().withdrawn_at is not None
