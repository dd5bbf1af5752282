from django.urls import path

from . import views

app_name = "content"


def patterns(publishing: views.Publishing | None = None) -> list:
    """The desk's pages, given the publishing use case (see ``views.Publishing``) by the
    composition root: ``include((patterns(...), app_name))`` in ``lantoa.urls``."""
    given = {"publishing": publishing or views.Publishing.own()}
    return [
        path("", views.desk, name="desk"),
        path("items/", views.item_list, name="items"),
        path("items/new/", views.item_create, name="item-new"),
        path("items/<int:pk>/", views.item_detail, name="item"),
        path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
        path("items/<int:pk>/submit/", views.item_submit, name="item-submit"),
        path("items/<int:pk>/review/", views.item_review, name="item-review"),
        path("items/<int:pk>/comment/", views.item_comment, name="item-comment"),
        path("items/<int:pk>/schedule/", views.item_schedule, name="item-schedule"),
        path("items/<int:pk>/publish/", views.item_publish, given, name="item-publish"),
        path("items/<int:pk>/withdraw/", views.item_withdraw, given, name="item-withdraw"),
        path("items/<int:pk>/compare/", views.item_compare, name="item-compare"),
        path("items/<int:pk>/revision/", views.revision_preview, name="revision"),
        path("items/<int:pk>/revert/", views.item_revert, name="item-revert"),
        path("tasks/", views.task_options, name="task-options"),
        path("campaigns/", views.campaign_list, name="campaigns"),
        path("settings/", views.desk_settings, name="settings"),
    ]
