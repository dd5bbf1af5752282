from django.urls import path

from . import budget_views, sttasks_views

app_name = "programme"

urlpatterns = [
    # State-funded S&T tasks (helper sttasks).
    path("st-tasks/", sttasks_views.sttask_list, name="sttask-list"),
    path("st-tasks/new/", sttasks_views.sttask_create, name="sttask-create"),
    path("st-tasks/export.xlsx", sttasks_views.sttask_export, name="sttask-export"),
    path("st-tasks/import/", sttasks_views.sttask_import, name="sttask-import"),
    path("st-tasks/import/template.xlsx", sttasks_views.sttask_template, name="sttask-template"),
    path("st-tasks/<int:pk>/", sttasks_views.sttask_detail, name="sttask-detail"),
    path("st-tasks/<int:pk>/edit/", sttasks_views.sttask_edit, name="sttask-edit"),
    path("st-tasks/public/<str:code>/", sttasks_views.public_sttask_list, name="sttask-public"),
    # Budget (helper sttasks).
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
