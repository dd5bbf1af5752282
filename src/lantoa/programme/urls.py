"""The programme's registers. One block per register; each helper adds its own."""

from django.urls import path

from . import network_views, trainings_views

app_name = "programme"

urlpatterns = [
    path("", trainings_views.registers, name="index"),
]

# Trainings register
urlpatterns += [
    path("trainings/", trainings_views.training_list, name="trainings"),
    path("trainings/new/", trainings_views.training_create, name="training-create"),
    path("trainings/export.xlsx", trainings_views.training_export, name="training-export"),
    path("trainings/import/", trainings_views.training_import, name="training-import"),
    path("trainings/<pk>/", trainings_views.training_detail, name="training"),
    path("trainings/<pk>/edit/", trainings_views.training_edit, name="training-edit"),
]

# Communication network register
urlpatterns += [
    path("network/", network_views.network_list, name="network"),
    path("network/new/", network_views.network_create, name="member-create"),
    path("network/export.xlsx", network_views.network_export, name="network-export"),
    path("network/import/", network_views.network_import, name="network-import"),
    path("network/<pk>/", network_views.network_detail, name="member"),
    path("network/<pk>/edit/", network_views.network_edit, name="member-edit"),
]
