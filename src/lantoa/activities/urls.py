from django.urls import path

from . import attendance_views, views

app_name = "activities"


def patterns(reporting: views.Reporting) -> list:
    """The activity pages, given what they need from reporting (see ``views.Reporting``) by the
    composition root: ``include((patterns(...), app_name))`` in ``lantoa.urls``."""
    given = {"reporting": reporting}
    return [
        path("", views.activity_list, name="list"),
        path("new/", views.activity_record, given, name="record"),
        path("tasks/", views.task_options, name="task-options"),
        path("import/", views.activity_import, given, name="import"),
        path("import/template.xlsx", views.activity_template, name="template"),
        path("<int:pk>/", views.activity_detail, name="detail"),
        path("<int:pk>/edit/", views.activity_edit, given, name="edit"),
        path("<int:pk>/withdraw/", views.activity_withdraw, given, name="withdraw"),
        path(
            "evidence/<int:pk>/thumbnail.jpg", views.evidence_thumbnail, name="evidence-thumbnail"
        ),
        path("evidence/<int:pk>/preview.jpg", views.evidence_preview, name="evidence-preview"),
        path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
        path("<int:pk>/attendance/", attendance_views.activity_attendance, name="attendance"),
    ]
