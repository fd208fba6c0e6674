"""Page routes: inspection reports (mounted at the site root)."""

from django.urls import path

from inspections.web import reports

urlpatterns = [
    path("inspections/reports/<int:report_id>/download/", reports.report_download_view,
         name="inspection-report-download"),
]
