"""Starting an application (a matter or a bundle, idempotent through the form's token),
uploading one material (htmx or plain POST), submitting from the case page, and signing
the 告知承诺 commitment from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals import selectors
from approvals.models import Bundle, Case
from approvals.services import case_create
from approvals.services import intake as intake_services
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError
from portal.intake.materials import flag_supplement, material_rows
from portal.intake.views.common import (
    applicant_for,
    form_token,
    is_htmx,
    raise_if_not_found,
    safe_next,
)
from portal.intake.views.edit import Editor, load_group, may_edit

EXPIRED = gettext_lazy("页面已过期，请刷新后重新申请。")
NOT_APPLICANT = gettext_lazy("只有已登记的申请人或经授权的帮办代办员可以网上申报。")


def _start(request):
    """(applicant, token) for a new application, or an error message."""
    token = form_token(request.POST.get("token"))
    if token is None:
        return None, None, EXPIRED
    applicant = applicant_for(request.user, request.POST.get("applicant"))
    if applicant is None:
        return None, None, NOT_APPLICANT
    return applicant, token, ""


@login_required
@require_POST
def matter_apply(request, code: str):
    matter = get_object_or_404(selectors.matter_list(), code=code)
    applicant, token, error = _start(request)
    if not error:
        try:
            case = case_create(matter=matter, applicant=applicant, by=request.user, token=token)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("intake-case-edit", case_id=case.pk)
    messages.error(request, error)
    return redirect("intake-guide-detail", code=code)


@login_required
@require_POST
def bundle_apply(request, code: str):
    bundle = get_object_or_404(Bundle, code=code, is_active=True)
    applicant, token, error = _start(request)
    if not error:
        try:
            group = intake_services.bundle_apply(bundle=bundle, applicant=applicant,
                                                 by=request.user, form_data={}, token=token)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("intake-group-edit", group_id=group.pk)
    messages.error(request, error)
    return redirect("intake-bundle-detail", code=code)


def _row_for(request, case: Case, requirement):
    """The material row as the edit page shows it, after an upload."""
    if case.group_id and case.status == CaseStatus.DRAFT:
        _group, cases = load_group(request.user, case.group_id)
    else:
        cases = [selectors.case_get(user=request.user, case_id=case.pk)]
    rows = material_rows(cases)
    if cases[0].status == CaseStatus.SUPPLEMENT_REQUESTED:
        flag_supplement(rows, selectors.supplement_items(case=cases[0]))
    return next(r for r in rows if r.requirement.name == requirement.name)


@login_required
@require_POST
def material_upload(request, case_id: int, requirement_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id)
    requirement = case.matter.materials.filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404
    upload = request.FILES.get(f"file_{requirement.pk}") or request.FILES.get("file")
    error = "" if upload is not None else _("请选择要上传的文件。")
    if upload is not None:
        try:
            intake_services.material_upload(case=case, requirement=requirement, upload=upload,
                                            by=request.user)
        except ApplicationError as exc:
            raise_if_not_found(exc)
            error = exc.message
    if is_htmx(request):
        row = _row_for(request, case, requirement)
        row.error, row.ok = error, not error
        return render(request, "intake/_material_row.html", {"row": row})
    if error:
        messages.error(request, f"{requirement.name}：{error}")
    else:
        messages.success(request, _("“{name}”已上传。").format(name=requirement.name))
    return redirect(safe_next(request, reverse("intake-case-edit", args=[case.pk])))


@login_required
@require_POST
def case_submit(request, case_id: int):
    """Submit (or resubmit after 补正) from the case page; a refusal opens the edit page
    with every missing answer and material marked."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    if not may_edit(request.user, case):
        messages.error(request, _("办件当前状态为“{status}”，不能提交。").format(
            status=case.get_status_display()))
        return redirect("case-detail", case_id=case.pk)
    if case.group_id and case.status == CaseStatus.DRAFT:
        group, cases = load_group(request.user, case.group_id)
        editor = Editor(request, cases, group)
    else:
        editor = Editor(request, [case])
    label = editor.submit_label
    if editor.submit():
        messages.success(request, _("已完成“{action}”。").format(action=label))
        return redirect("case-detail", case_id=case.pk)
    editor.reload()
    return editor.render()


@login_required
@require_POST
def commitment_sign(request, case_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id)
    try:
        intake_services.commitment_sign(case=case, by=request.user,
                                        signer_name=request.POST.get("signer_name", ""))
    except ApplicationError as exc:
        raise_if_not_found(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签署告知承诺书。"))
    return redirect("case-detail", case_id=case.pk)
