"""Routes of the inspections app: pages (``web_urlpatterns``) and API (``api_urlpatterns``)."""

from django.urls import include, path

web_urlpatterns = [
    path("", include("inspections.web.urls_standards")),
    path("", include("inspections.web.urls_board")),
    path("", include("inspections.web.urls_tasks")),
    path("", include("inspections.web.urls_booking")),
    path("", include("inspections.web.urls_reports")),
    path("", include("inspections.web.urls_video")),
]
api_urlpatterns = [
    path("", include("inspections.api.urls_standards")),
    path("", include("inspections.api.urls_board")),
    path("", include("inspections.api.urls_tasks")),
    path("", include("inspections.api.urls_booking")),
    path("", include("inspections.api.urls_reports")),
    path("", include("inspections.api.urls_video")),
]
