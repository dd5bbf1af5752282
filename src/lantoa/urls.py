from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from lantoa.activities import api as activities_api
from lantoa.activities import urls as activities_urls
from lantoa.activities import views as activities_views
from lantoa.assistant import api as assistant_api
from lantoa.assistant import services as assistant_services
from lantoa.channels import api as channels_api
from lantoa.channels import calendar_views as channels_calendar_views
from lantoa.channels import outbox_api as channels_outbox_api
from lantoa.channels import urls as channels_urls
from lantoa.content import api as content_api
from lantoa.content import urls as content_urls
from lantoa.content import views as content_views
from lantoa.content.models import ContentItem
from lantoa.content.sitemaps import SITEMAPS
from lantoa.evaluation import api as evaluation_api
from lantoa.evaluation import public_views as scorecard_views
from lantoa.indicators import views as indicators_views
from lantoa.media import api as media_api
from lantoa.orgs import api as orgs_api
from lantoa.orgs import notification_views
from lantoa.orgs import views as orgs_views
from lantoa.orgs.models import OrgUnit
from lantoa.plans import api as plans_api
from lantoa.plans import views as plans_views
from lantoa.plans.models import Plan
from lantoa.portal import publishing
from lantoa.portal import services as portal_services
from lantoa.portal import views as portal_views
from lantoa.programme import (
    awards_api,
    awards_urls,
    budget_api,
    network_api,
    sttasks_api,
    trainings_api,
)
from lantoa.reports import api as reports_api
from lantoa.reports import selectors as report_selectors
from lantoa.reports import services as report_services
from lantoa.reports.models import Submission

router = DefaultRouter()
router.register("units", orgs_api.UnitViewSet, basename="unit")
router.register("memberships", orgs_api.MembershipViewSet, basename="membership")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("criteria-sets", evaluation_api.CriteriaSetViewSet, basename="criteria-set")
router.register("scoring-runs", evaluation_api.ScoringRunViewSet, basename="scoring-run")
router.register("unit-scores", evaluation_api.UnitScoreViewSet, basename="unit-score")
router.register("tasks", plans_api.TaskViewSet, basename="task")
router.register("assets", media_api.AssetViewSet, basename="asset")
router.register("channel-accounts", channels_api.ChannelAccountViewSet, basename="channel-account")
router.register("outbox", channels_outbox_api.OutboxEntryViewSet, basename="outbox-entry")
router.register(
    "training-programmes", trainings_api.TrainingProgrammeViewSet, basename="training-programme"
)
router.register("network-members", network_api.NetworkMemberViewSet, basename="network-member")
router.register("award-nominations", awards_api.NominationViewSet, basename="award-nomination")
router.register("award-decisions", awards_api.AwardDecisionViewSet, basename="award-decision")
router.register("st-tasks", sttasks_api.STTaskViewSet, basename="st-task")
router.register("budget-estimates", budget_api.BudgetEstimateViewSet, basename="budget-estimate")
# Activities sit below reports: their pages and API are given reporting's selector and refresh
# here, above both (the API and the pages call the same service after every write).
ACTIVITY_REPORTING = activities_views.Reporting(
    open_report=report_selectors.open_report,
    after_activity=report_services.drafts_refresh_after_activity,
    after_import=report_services.drafts_refresh,
)
router.register(
    "activities",
    activities_api.ActivityViewSet.given(
        after_activity=report_services.drafts_refresh_after_activity
    ),
    basename="activity",
)
# Publishing an item is a use case above the content app (the evidence, the assistant, the
# report drafts; the channels next): the desk's pages and the API are given the portal's
# ``publishing.item_publish`` / ``item_withdraw`` here, the same services the scheduled run
# (``lantoa publish-due``) and the demo call.
CONTENT_PUBLISHING = content_views.Publishing(
    publish=publishing.item_publish, withdraw=publishing.item_withdraw
)
router.register(
    "content-items",
    content_api.ContentItemViewSet.given(publishing=CONTENT_PUBLISHING),
    basename="content-item",
)

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
    path("", portal_views.home, name="home"),
    path("units/", include("lantoa.orgs.urls")),
    # Confirming an uploaded plan is a use case of two apps: the plan is saved, then it joins
    # the assistant's corpus (and a replaced version leaves it). The plans app cannot import
    # the assistant, so the service is given to its review page here, above both.
    path(
        "plans/imports/<int:pk>/",
        plans_views.plan_review,
        {"confirm": assistant_services.plan_import_confirm},
    ),
    # Withdrawing a plan imported by mistake spans plans, reports (its periods close) and the
    # assistant (its passages leave): the portal's service, given to the plan's page here.
    path(
        "plans/<int:pk>/withdraw/",
        plans_views.plan_withdraw,
        {"withdraw": portal_services.plan_withdraw},
    ),
    path("plans/", include("lantoa.plans.urls")),
    path(
        "activities/",
        include((activities_urls.patterns(ACTIVITY_REPORTING), activities_urls.app_name)),
    ),
    path("reports/", include("lantoa.reports.urls")),
    # A decision recording an AWARD activity refreshes the open report drafts (reporting's
    # service, given here above both).
    path(
        "awards/",
        include(
            (
                awards_urls.patterns(after_activity=report_services.drafts_refresh_after_activity),
                awards_urls.app_name,
            )
        ),
    ),
    path("evaluation/", include("lantoa.evaluation.urls")),
    path("programme/", include("lantoa.programme.urls")),
    path(
        "desk/",
        include((content_urls.patterns(CONTENT_PUBLISHING), content_urls.app_name)),
    ),
    path("library/", include("lantoa.media.urls")),
    # The broadcast log records BROADCAST activities: it is given reporting's refresh of the
    # open drafts, as the activity pages are.
    path(
        "channels/",
        include(
            (
                channels_urls.patterns(
                    after_activity=report_services.drafts_refresh_after_activity
                ),
                channels_urls.app_name,
            )
        ),
    ),
    path("assistant/", include("lantoa.assistant.urls")),
    # A unit's public calendar (the channels app, above content: next to its section's feeds).
    path(
        "u/<str:code>/calendar.ics",
        channels_calendar_views.public_feed,
        name="channels-public-calendar",
    ),
    # The public scorecards (evaluation, above content), given reporting's "reports on time"
    # here, above both; before the sections' ``u/`` include.
    path(
        "u/<str:code>/scorecard/",
        scorecard_views.unit_scorecard,
        {"reports_on_time": report_selectors.reports_on_time},
        name="scorecard-unit",
    ),
    path(
        "u/<str:code>/scorecard.xlsx",
        scorecard_views.unit_scorecard_xlsx,
        {"reports_on_time": report_selectors.reports_on_time},
        name="scorecard-unit-xlsx",
    ),
    path("scorecard/", scorecard_views.national_scorecard, name="scorecard-national"),
    # The public NQ57 sections of every unit, their feeds and embeddable block.
    path("u/", include("lantoa.content.public_urls")),
    path(
        "sitemap.xml",
        cache_page(300)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("units/<int:pk>/figures/", indicators_views.unit_facts, name="unit-facts"),
    path("audit/", orgs_views.audit_log, name="audit"),
    *[
        path(
            f"history/{model._meta.model_name}/<int:pk>/",
            orgs_views.history_view(model),
            name=f"history-{model._meta.model_name}",
        )
        for model in (OrgUnit, Plan, Submission, ContentItem)
    ],
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_read, name="notifications-read"),
    path("profile/", notification_views.profile, name="profile"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The split view serves its start-up script from a URL: the CSP (script-src 'self') forbids
    # the inline script of SpectacularSwaggerView, which left the page blank.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
