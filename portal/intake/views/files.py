"""Downloads on the pages (session login): uploaded materials and issued notices, through
the selectors' object-level checks; every view of a material or notice is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from approvals import selectors
from portal.core.audit import audit_log


def file_response(field, filename: str, content_type: str | None = None) -> FileResponse:
    """The stored file as a download; a file missing from storage is a 404, not a 500."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            **({"content_type": content_type} if content_type else {}))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def material_download(request, material_id: int):
    material = selectors.material_get(user=request.user, material_id=material_id)
    response = file_response(material.file, material.original_name or material.name,
                             material.content_type)
    audit_log(action="material.view", actor=request.user, obj=material.case,
              after={"material": material.name, "sha256": material.sha256})
    return response


@login_required
def notice_download(request, notice_id: int):
    notice = selectors.notice_get(user=request.user, notice_id=notice_id)
    response = file_response(notice.file, f"{notice.number}.pdf", "application/pdf")
    audit_log(action="notice.view", actor=request.user, obj=notice.case,
              after={"notice": notice.number, "sha256": notice.sha256})
    return response
