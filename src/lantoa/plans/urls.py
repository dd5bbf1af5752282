from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("upload/", views.plan_upload, name="upload"),
    path("imports/<int:pk>/", views.plan_review, name="review"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/withdraw/", views.plan_withdraw, name="withdraw"),
    path("<int:pk>/tasks.xlsx", views.task_sheet, name="task-sheet"),
    path("<int:pk>/tasks/upload/", views.task_sheet_upload, name="task-sheet-upload"),
    path("tasks/mine/", views.my_tasks, name="my-tasks"),
    path("cascade/<int:pk>/", views.cascade, name="cascade"),
]
