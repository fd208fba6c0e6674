"""Report pages: download the 电子踏勘意见书 (session login; the service checks who may read
it and audits every hand-out)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from inspections.services.report import report_download, report_get
from portal.core.downloads import download_response
from portal.core.errors import PermissionRefused


@login_required
def report_download_view(request, report_id: int):
    """The PDF as a download, or shown in the browser with ``?inline=1``."""
    report = report_get(report_id=report_id)
    try:
        download = report_download(report=report, by=request.user)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    return download_response(download, inline=request.GET.get("inline") == "1")
