"""Routes: pages (``web_urlpatterns``, site root) and API (``api_urlpatterns``, /api/v1/)."""

from django.urls import path

from portal.dashboards import apis, views

web_urlpatterns: list = [
    path("dashboards/", views.dashboard_page, name="dashboards-overview"),
    path("dashboards/map/", views.map_page, name="dashboards-map"),
    path("dashboards/cases/", views.cases_page, name="dashboards-cases"),
    path("dashboards/cases/export/", views.export_view, name="dashboards-export"),
]
api_urlpatterns: list = [
    path("dashboards/summary/", apis.DashboardSummaryApi.as_view(), name="api-dashboards-summary"),
    path("dashboards/breakdown/", apis.DashboardBreakdownApi.as_view(),
         name="api-dashboards-breakdown"),
    path("dashboards/trend/", apis.DashboardTrendApi.as_view(), name="api-dashboards-trend"),
    path("dashboards/stages/", apis.DashboardStagesApi.as_view(), name="api-dashboards-stages"),
    path("dashboards/deadlines/", apis.DashboardDeadlinesApi.as_view(),
         name="api-dashboards-deadlines"),
    path("dashboards/workload/", apis.DashboardWorkloadApi.as_view(),
         name="api-dashboards-workload"),
    path("dashboards/map/", apis.DashboardMapApi.as_view(), name="api-dashboards-map"),
    path("dashboards/cases/", apis.DashboardCasesApi.as_view(), name="api-dashboards-cases"),
]
