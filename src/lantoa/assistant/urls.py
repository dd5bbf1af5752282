from django.urls import path

from . import views

app_name = "assistant"
urlpatterns = [
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/publish/", views.document_publish, name="document-publish"),
    path("questions/", views.queue, name="queue"),
    path("questions/<int:pk>/answer/", views.queue_answer, name="queue-answer"),
    path("passages/<int:pk>/", views.passage_page, name="passage"),
    path("rate/<int:pk>/", views.rate, name="rate"),
    path("<str:code>/", views.ask_page, name="ask"),
    path("<str:code>/zalo/", views.zalo_webhook, name="zalo"),
    path("<str:code>/widget.js", views.widget_script, name="widget"),
]
