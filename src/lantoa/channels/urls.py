"""``/channels/``: the channels' pages, mounted by lantoa.urls; each part in its own block.
``patterns(after_activity=…)`` gives the broadcast log reporting's refresh of the open report
drafts (reports sit above channels: ``lantoa.urls`` wires them, as for the activity pages)."""

from django.urls import path

from . import calendar_views, loudspeaker_views, outbox_views, views

app_name = "channels"

urlpatterns = []

# --- channel accounts -------------------------------------------------------------------------
urlpatterns += [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/disconnect/", views.account_disconnect, name="account-disconnect"),
]

# --- the outbox ------------------------------------------------------------------------------
urlpatterns += [
    path("outbox/", outbox_views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox_views.outbox_retry, name="outbox-retry"),
    path("items/<int:pk>/", outbox_views.item_channels, name="item-channels"),
]

# --- the calendar ----------------------------------------------------------------------------
urlpatterns += [
    path("calendar/", calendar_views.calendar_month, name="calendar"),
    path("calendar/feeds/", calendar_views.feed_create, name="calendar-feed-new"),
    path(
        "calendar/feeds/<int:pk>/revoke/",
        calendar_views.feed_revoke,
        name="calendar-feed-revoke",
    ),
    path("calendar/<str:secret>.ics", calendar_views.private_feed, name="calendar-feed"),
    path("campaigns/new/", calendar_views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", calendar_views.campaign_detail, name="campaign"),
]

# --- loudspeakers (truyền thanh cơ sở) ------------------------------------------------------
urlpatterns += [
    path("loudspeakers/", loudspeaker_views.loudspeakers_home, name="loudspeakers"),
    path("loudspeakers/clusters/<int:pk>/", loudspeaker_views.cluster_edit, name="cluster-edit"),
    path("bulletins/", loudspeaker_views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", loudspeaker_views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/audio/", loudspeaker_views.bulletin_audio, name="bulletin-audio"),
    path(
        "bulletins/<int:pk>/schedule/",
        loudspeaker_views.bulletin_schedule,
        name="bulletin-schedule",
    ),
    path("broadcasts/<int:pk>/log/", loudspeaker_views.broadcast_log, name="broadcast-log"),
]


def patterns(*, after_activity=None) -> list:
    """The pages, the broadcast log given ``after_activity``."""
    given = []
    for pattern in urlpatterns:
        if pattern.name == "broadcast-log":
            pattern = path(
                "broadcasts/<int:pk>/log/",
                loudspeaker_views.broadcast_log,
                {"after_activity": after_activity},
                name="broadcast-log",
            )
        given.append(pattern)
    return given
