"""The package page (/archives/<id>/): facts, catalogue, paper location and binding,
loans, the access log, verification; and its downloads: the ZIP export, the catalogue
PDF and single documents. Opening the page, each download and each check is logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import services
from archives.forms import LoanForm, PaperForm, ReturnForm, VerifyZipForm, first_error
from archives.masking import applicant_label
from archives.models import ArchiveDocument
from archives.web.common import package_get, refuse, require_archivist, require_reader, roles
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError

LOG_ROWS = 30


def _context(request, package, **extra) -> dict:
    return {
        "package": package, "case": package.case,
        "applicant": applicant_label(package.case.applicant),
        "documents": list(package.documents.all()),
        "loans": list(package.loans.select_related("lent_by", "received_by")[:20]),
        "log": list(package.access_log.select_related("user")[:LOG_ROWS]),
        "paper_form": extra.pop("paper_form", None) or PaperForm(initial={
            "box_number": package.box_number, "volume_number": package.volume_number,
            "shelf_location": package.shelf_location,
            "binding_status": package.binding_status}),
        "loan_form": extra.pop("loan_form", None) or LoanForm(),
        "return_form": ReturnForm(),
        **roles(request.user), **extra,
    }


def _render(request, package, status: int = 200, **extra):
    return render(request, "archives/package.html", _context(request, package, **extra),
                  status=status)


@login_required
def package_page(request, package_id: int):
    package = package_get(request.user, package_id)
    services.package_view(package=package, by=request.user)
    return _render(request, package)


@login_required
@require_POST
def verify(request, package_id: int):
    package = package_get(request.user, package_id)
    report = services.package_verify(package=package, by=request.user)
    return _render(request, package, report=report)


@login_required
def export(request, package_id: int):
    package = package_get(request.user, package_id)
    try:
        result = services.package_export(package=package, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        return redirect("archives-package", package.pk)
    response = FileResponse(result.handle, as_attachment=True, filename=result.filename,
                            content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def catalogue(request, package_id: int):
    package = package_get(request.user, package_id)
    return download_response(services.catalogue_download(package=package, by=request.user))


@login_required
def document(request, package_id: int, seq: int):
    package = package_get(request.user, package_id)
    doc = ArchiveDocument.objects.filter(package=package, seq=seq).first()
    if doc is None:
        raise Http404
    doc.package = package
    try:
        download = services.document_download(document=doc, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        return redirect("archives-package", package.pk)
    return download_response(download, inline=request.GET.get("inline") == "1")


@login_required
@require_POST
def paper(request, package_id: int):
    package = package_get(request.user, package_id)
    require_archivist(request.user)
    form = PaperForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _render(request, package, status=400, paper_form=form)
    try:
        services.paper_update(package=package, by=request.user,
                              location=services.PaperLocation(**form.cleaned_data))
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, package, status=exc.status, paper_form=form)
    messages.success(request, _("纸质档案信息已登记。"))
    return redirect("archives-package", package.pk)


@login_required
@require_POST
def loan_create(request, package_id: int):
    package = package_get(request.user, package_id)
    require_archivist(request.user)
    form = LoanForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _render(request, package, status=400, loan_form=form)
    try:
        services.loan_create(package=package, by=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, package, status=exc.status, loan_form=form)
    messages.success(request, _("已登记借出。"))
    return redirect("archives-package", package.pk)


@login_required
def verify_zip_page(request):
    """Check an exported ZIP against its manifest (and the bureau's record)."""
    require_reader(request.user)
    form = VerifyZipForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.package_verify(zip_file=form.cleaned_data["file"], by=request.user)
    return render(request, "archives/verify.html", {"form": form, "report": report,
                                                    **roles(request.user)},
                  status=400 if request.method == "POST" and not form.is_valid() else 200)
