from django.urls import path

from . import awards_views as views

app_name = "awards"


def patterns(*, after_activity=None) -> list:
    """The awards pages; ``after_activity(activity)`` (reporting's refresh of the open report
    drafts, given by the composition root) runs after a decision records an AWARD activity."""
    given = {"after_activity": after_activity}
    return [
        path("", views.nomination_list, name="list"),
        path("new/", views.nomination_create, name="create"),
        path("import/", views.nomination_import, name="import"),
        path("import/template.xlsx", views.nomination_template, name="template"),
        path("register/", views.register, name="register"),
        path("register.xlsx", views.register_xlsx, name="register-xlsx"),
        path("<int:pk>/", views.nomination_detail, given, name="detail"),
    ]


urlpatterns = patterns()
