from django.urls import path

from . import attendance_views, views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_record, name="record"),
    path("import/", views.activity_import, name="import"),
    path("import/template.xlsx", views.activity_template, name="template"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/attendance/", attendance_views.activity_attendance, name="attendance"),
]
