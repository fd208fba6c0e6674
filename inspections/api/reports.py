"""Report API: download the 电子踏勘意见书 (applicant side or bureau staff; audited)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from inspections.services.report import report_download, report_get
from portal.core.downloads import download_response


class InspectionReportDownloadApi(APIView):
    """GET the report PDF; 403 for users who are neither the applicant's side nor staff."""

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, report_id: int):
        report = report_get(report_id=report_id)
        return download_response(report_download(report=report, by=request.user))
