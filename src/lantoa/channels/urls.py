"""``/channels/``: the channels' pages, mounted by lantoa.urls; each part in its own block."""

from django.urls import path

from . import calendar_views, views

app_name = "channels"

urlpatterns = []

# --- channel accounts -------------------------------------------------------------------------
urlpatterns += [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/disconnect/", views.account_disconnect, name="account-disconnect"),
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
