from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_home, name="home"),
    path("periods/new/", views.period_ad_hoc, name="period-ad-hoc"),
    path("periods/<int:pk>/", views.period_page, name="period"),
    path("periods/<int:pk>/start/", views.report_start, name="start"),
    path("<int:pk>/", views.submission_page, name="submission"),
    path(
        "<int:pk>/report.docx",
        views.submission_document,
        {"extension": "docx"},
        name="document-docx",
    ),
    path(
        "<int:pk>/report.pdf", views.submission_document, {"extension": "pdf"}, name="document-pdf"
    ),
    path(
        "<int:pk>/report.xlsx",
        views.submission_document,
        {"extension": "xlsx"},
        name="document-xlsx",
    ),
]
