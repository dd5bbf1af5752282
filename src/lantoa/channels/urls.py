from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    # -- loudspeakers (truyền thanh cơ sở) --------------------------------------------------
    path("loudspeakers/", views.loudspeakers_home, name="loudspeakers"),
    path("loudspeakers/clusters/<int:pk>/", views.cluster_edit, name="cluster-edit"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/audio/", views.bulletin_audio, name="bulletin-audio"),
    path("bulletins/<int:pk>/schedule/", views.bulletin_schedule, name="bulletin-schedule"),
    path("broadcasts/<int:pk>/log/", views.broadcast_log, name="broadcast-log"),
    # -- end of loudspeakers -----------------------------------------------------------------
]
