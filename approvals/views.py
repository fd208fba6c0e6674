"""Case pages: home (work queue or my cases), case list, case detail with the actions
the user may take. Every action calls ``approvals.services.case_transition``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import selectors, services
from approvals.models import ReturnReason
from approvals.workflow import TRANSITIONS_BY_SLUG, CaseStatus
from archives.case_panel import case_archive_panel
from experts.case_panel import case_expert_panel
from inspections.case_panel import case_inspection_panel
from inspections.tiers import Mode, Tier
from portal.accounts.masking import mask_identity, mask_phone
from portal.accounts.services import applicant_identity_reveal, may_reveal_identity
from portal.core.errors import ApplicationError
from portal.notifications.selectors import deadline_status
from portal.ratings.case_panel import case_rating_panel
from portal.regulators.case_panel import case_regulator_panel


@login_required
def home(request):
    return case_list_page(request)


@login_required
def case_list_page(request):
    qs = selectors.case_list(user=request.user).order_by("-created_at", "-id")
    wanted = request.GET.get("status", "")
    if wanted in CaseStatus.values:
        qs = qs.filter(status=wanted)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.masked_id = mask_identity(case.applicant.kind, case.applicant.id_number)
    return render(request, "approvals/case_list.html", {
        "page": page, "statuses": CaseStatus.choices, "wanted": wanted,
    })


@login_required
def case_detail_page(request, case_id: int, *, identity: dict | None = None):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return render(request, "approvals/case_detail.html", {
        "case": case,
        "masked_id": identity["id_number"] if identity else
        mask_identity(case.applicant.kind, case.applicant.id_number),
        "masked_phone": identity["phone"] if identity else mask_phone(case.applicant.phone),
        "deadlines": deadline_status(case),
        "return_reasons": ReturnReason.choices,
        "inspection_modes": [(m, Mode(m).label) for m in case.matter.inspection_modes],
        "inspection_tiers": Tier.choices,
        "identity_revealed": identity is not None,
        "can_reveal_identity": may_reveal_identity(applicant=case.applicant, user=request.user),
        "actions": services.case_allowed_transitions(case=case, user=request.user),
        "inspection": case_inspection_panel(case),
        "experts": case_expert_panel(case, request.user),
        "ratings": case_rating_panel(case, request.user),
        "regulators": case_regulator_panel(case, request.user),
        "archive": case_archive_panel(case, request.user),
    })


@login_required
@require_POST
def case_identity_page(request, case_id: int):
    """Show the applicant's full ID number and phone once; the view is audited."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    try:
        identity = applicant_identity_reveal(applicant=case.applicant, by=request.user,
                                             purpose=f"case {case.pk}")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("case-detail", case_id=case_id)
    return case_detail_page(request, case_id, identity=identity)


#: The extra form fields each action takes (everything else posted is ignored).
ACTION_FIELDS = {
    "return_case": ("reason_code",), "reject": ("legal_basis",), "deny": ("legal_basis",),
    "approve": ("legal_basis",), "request_inspection": ("mode", "tier"),
}


@login_required
@require_POST
def case_act(request, case_id: int, transition: str):
    selectors.case_get(user=request.user, case_id=case_id)  # 404 for strangers
    spec = TRANSITIONS_BY_SLUG.get(transition)
    if spec is None:
        messages.error(request, _("未知的办理动作。"))
        return redirect("case-detail", case_id=case_id)
    note = request.POST.get("note", "")[:2000]
    data = {key: request.POST[key][:300] for key in ACTION_FIELDS.get(spec.name, ())
            if request.POST.get(key)}
    try:
        services.case_transition(case_id=case_id, name=spec.name, by=request.user, note=note,
                                 data=data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成“{action}”。").format(action=spec.label))
    return redirect("case-detail", case_id=case_id)


@login_required
def deficiencies_overdue_page(request):
    """容缺逾期: promised materials not brought by their date (clerks and supervisors)."""
    if not request.user.has_role("clerk", "supervisor"):
        raise PermissionDenied
    page = Paginator(selectors.deficiencies_overdue(), 50).get_page(request.GET.get("page"))
    return render(request, "approvals/deficiencies_overdue.html", {"page": page})
