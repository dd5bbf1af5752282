from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("sets/<int:pk>/", views.set_page, name="set"),
    path("sets/<int:pk>/activate/", views.set_action, {"action": "activate"}, name="activate"),
    path("sets/<int:pk>/score/", views.set_action, {"action": "score"}, name="score-set"),
    path(
        "sets/<int:pk>/criteria/remove/",
        views.criterion_remove,
        name="criterion-remove",
    ),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/recompute/", views.run_action, {"action": "recompute"}, name="recompute"),
    path("runs/<int:pk>/lock/", views.run_action, {"action": "lock"}, name="lock"),
    path("runs/<int:pk>/reopen/", views.run_action, {"action": "reopen"}, name="reopen"),
    path("runs/<int:pk>/publish/", views.run_action, {"action": "publish"}, name="publish"),
    path("runs/<int:pk>/nominate/", views.run_action, {"action": "nominate"}, name="nominate"),
    path("runs/<int:pk>/result.docx", views.run_document, {"extension": "docx"}, name="docx"),
    path("runs/<int:pk>/result.pdf", views.run_document, {"extension": "pdf"}, name="pdf"),
    path("runs/<int:pk>/result.xlsx", views.run_document, {"extension": "xlsx"}, name="xlsx"),
    path("scores/<int:pk>/", views.score_page, name="score"),
]
