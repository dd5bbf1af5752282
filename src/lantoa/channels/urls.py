"""The channels' pages, mounted at /channels/ by lantoa.urls. One list, one line per page:
the accounts here, the outbox (another part) below them."""

from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    # Channel accounts.
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/disconnect/", views.account_disconnect, name="account-disconnect"),
    # The outbox.
]
