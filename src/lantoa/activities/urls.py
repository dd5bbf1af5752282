from django.urls import path

from . import attendance_views, views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_record, name="record"),
    path("tasks/", views.task_options, name="task-options"),
    path("import/", views.activity_import, name="import"),
    path("import/template.xlsx", views.activity_template, name="template"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/withdraw/", views.activity_withdraw, name="withdraw"),
    path("evidence/<int:pk>/thumbnail.jpg", views.evidence_thumbnail, name="evidence-thumbnail"),
    path("evidence/<int:pk>/preview.jpg", views.evidence_preview, name="evidence-preview"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("<int:pk>/attendance/", attendance_views.activity_attendance, name="attendance"),
]
