"""The programme's registers. One block per register; each helper adds its own."""

from django.urls import path

from . import budget_views, network_views, sttasks_views, trainings_views

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

# State-funded S&T tasks register
urlpatterns += [
    path("st-tasks/", sttasks_views.sttask_list, name="sttask-list"),
    path("st-tasks/new/", sttasks_views.sttask_create, name="sttask-create"),
    path("st-tasks/export.xlsx", sttasks_views.sttask_export, name="sttask-export"),
    path("st-tasks/import/", sttasks_views.sttask_import, name="sttask-import"),
    path("st-tasks/import/template.xlsx", sttasks_views.sttask_template, name="sttask-template"),
    path("st-tasks/<int:pk>/", sttasks_views.sttask_detail, name="sttask-detail"),
    path("st-tasks/<int:pk>/edit/", sttasks_views.sttask_edit, name="sttask-edit"),
    path("st-tasks/public/<str:code>/", sttasks_views.public_sttask_list, name="sttask-public"),
]

# Budget register
urlpatterns += [
    path("budget/", budget_views.budget_list, name="budget-list"),
    path("budget/new/", budget_views.estimate_create, name="estimate-create"),
    path("budget/export.xlsx", budget_views.budget_export, name="budget-export"),
    path("budget/import/", budget_views.budget_import, name="budget-import"),
    path("budget/import/template.xlsx", budget_views.budget_template, name="budget-template"),
    path("budget/<int:pk>/", budget_views.estimate_detail, name="estimate-detail"),
    path("budget/<int:pk>/edit/", budget_views.estimate_edit, name="estimate-edit"),
    path(
        "budget/spending/<int:pk>/document/",
        budget_views.spending_document,
        name="spending-document",
    ),
    path("budget/task/<int:pk>/", budget_views.task_budget, name="task-budget"),
    path("budget/unit/<int:pk>/", budget_views.unit_budget, name="unit-budget"),
]
