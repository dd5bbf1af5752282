"""The channels' pages, mounted at /channels/ by lantoa.urls. One list, one line per page:
the accounts here, the outbox (another part) below them."""

from django.urls import path

from . import outbox_views, views

app_name = "channels"

urlpatterns = [
    # Channel accounts.
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/disconnect/", views.account_disconnect, name="account-disconnect"),
    # The outbox.
    path("outbox/", outbox_views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox_views.outbox_retry, name="outbox-retry"),
    path("items/<int:pk>/", outbox_views.item_channels, name="item-channels"),
]
