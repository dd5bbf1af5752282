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
    # A unit's code may hold "/" (units named before codes were checked): "path" keeps such
    # addresses working; the two suffixed routes come first so they are not read as a code.
    path("<path:code>/zalo/", views.zalo_webhook, name="zalo"),
    path("<path:code>/widget.js", views.widget_script, name="widget"),
    path("<path:code>/", views.ask_page, name="ask"),
]
