from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from lantoa.activities import api as activities_api
from lantoa.assistant import api as assistant_api
from lantoa.core import views as core_views
from lantoa.indicators import views as indicators_views
from lantoa.orgs import api as orgs_api
from lantoa.orgs import views as orgs_views
from lantoa.plans import api as plans_api
from lantoa.reports import api as reports_api
from lantoa.reports import views as reports_views

router = DefaultRouter()
router.register("units", orgs_api.UnitViewSet, basename="unit")
router.register("memberships", orgs_api.MembershipViewSet, basename="membership")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("tasks", plans_api.TaskViewSet, basename="task")
router.register("activities", activities_api.ActivityViewSet, basename="activity")

api_v1 = [
    path("auth/token/", orgs_api.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", orgs_api.TokenRevokeView.as_view(), name="token-revoke"),
    path("me/", orgs_api.MeView.as_view(), name="me"),
    path("indicator-values/", reports_api.IndicatorValuesView.as_view(), name="indicator-values"),
    path("assistant/ask/", assistant_api.AskView.as_view(), name="assistant-ask"),
    *router.urls,
]

handler400 = "lantoa.core.views.bad_request"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("units/", include("lantoa.orgs.urls")),
    path("plans/", include("lantoa.plans.urls")),
    path("activities/", include("lantoa.activities.urls")),
    path("reports/", include("lantoa.reports.urls")),
    path("assistant/", include("lantoa.assistant.urls")),
    path("dashboard/", reports_views.dashboard, name="dashboard"),
    path("units/<int:pk>/figures/", indicators_views.unit_facts, name="unit-facts"),
    path("audit/", orgs_views.audit_log, name="audit"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
