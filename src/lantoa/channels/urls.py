from django.urls import path

from . import views

app_name = "channels"

# --- the outbox (helper "outbox") -------------------------------------------------------------
outbox_patterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="outbox-retry"),
    path("items/<int:pk>/", views.item_channels, name="item-channels"),
]
# --- end of the outbox ------------------------------------------------------------------------

urlpatterns = [*outbox_patterns]
