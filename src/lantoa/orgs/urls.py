from django.urls import path

from . import people_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("<int:pk>/children/", views.UnitChildrenView.as_view(), name="children"),
    path("<int:pk>/add/", views.UnitCreateView.as_view(), name="add"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="edit"),
    path("<int:pk>/move/", views.UnitMoveView.as_view(), name="move"),
    path("<int:pk>/members/", views.UnitMembersView.as_view(), name="members"),
    path("<int:pk>/people/", people_views.unit_people, name="people"),
    path("people-template.xlsx", people_views.people_template, name="people-template"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="revoke"),
]
