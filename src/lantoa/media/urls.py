from django.urls import path

from . import views

app_name = "media"

# Stable names other apps link to: ``media:asset-file`` (pk), ``media:asset-rendition`` (pk,
# spec: thumb, web, poster) and ``media:pick`` (the editor's picker fragment).
urlpatterns = [
    path("", views.asset_list, name="list"),
    path("upload/", views.asset_upload, name="upload"),
    path("pick/", views.pick, name="pick"),
    path("<int:pk>/", views.asset_detail, name="detail"),
    path("<int:pk>/edit/", views.asset_edit, name="edit"),
    path("<int:pk>/delete/", views.asset_delete, name="delete"),
    path("<int:pk>/collect/", views.asset_collect, name="collect"),
    path("<int:pk>/file/", views.asset_file, name="asset-file"),
    path("<int:pk>/r/<str:spec>/", views.asset_rendition, name="asset-rendition"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/new/", views.collection_create, name="collection-create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection-edit"),
]
