"""Downloads on the pages (session login): uploaded materials and issued notices, through
the selectors' object-level checks; every view of a material or notice is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from approvals import selectors
from approvals.services import downloads
from portal.core.downloads import download_response


@login_required
def material_download(request, material_id: int):
    material = selectors.material_get(user=request.user, material_id=material_id)
    return download_response(downloads.material_download(material=material, by=request.user))


@login_required
def notice_download(request, notice_id: int):
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    return download_response(downloads.notice_download(notice=notice, by=request.user))
