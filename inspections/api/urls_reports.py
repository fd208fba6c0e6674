"""API routes: inspection reports (mounted at /api/v1/)."""

from django.urls import path

from inspections.api import reports

urlpatterns = [
    path("inspection-reports/<int:report_id>/download/",
         reports.InspectionReportDownloadApi.as_view(), name="api-inspection-report-download"),
]
