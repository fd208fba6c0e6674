"""The combined counter (一窗受理), clerks only: the queue of submitted cases by acceptance
deadline, the walk-in flow (find or register the applicant, choose the matter, then the
same edit page), and the decisions 受理 / 容缺受理 / 一次性告知 / 不予受理 / 即办."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import selectors
from approvals.models import Bundle, Case
from approvals.services import case_allowed_transitions, case_create, case_transition
from approvals.services import intake as intake_services
from approvals.workflow import TRANSITIONS, TRANSITIONS_BY_SLUG
from portal.accounts.masking import mask_identity, mask_phone
from portal.accounts.models import Applicant
from portal.accounts.services import applicant_find_or_create_walk_in
from portal.accounts.validators import is_valid_resident_id
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError
from portal.intake import decisions
from portal.intake.forms import WalkInFindForm, WalkInRegisterForm, add_service_errors
from portal.intake.panels import case_panels
from portal.intake.views.common import form_token, raise_if_not_found, require_clerk


@login_required
def queue(request):
    require_clerk(request.user)
    page = Paginator(selectors.counter_queue(user=request.user), 25).get_page(
        request.GET.get("page"))
    calendar, today = get_calendar(), timezone.localdate()
    for case in page.object_list:
        case.remaining = (calendar.between(today, case.acceptance_due)
                          if case.acceptance_due else None)
        case.overdue_days = -case.remaining if case.remaining is not None else 0
    drafts = (selectors.case_list(user=request.user)
              .filter(channel=Case.Channel.COUNTER, created_by=request.user,
                      status__in=intake_services.EDITABLE).order_by("-created_at")[:20])
    return render(request, "intake/counter/queue.html", {"page": page, "drafts": drafts})


def _walk_in_context(applicant: Applicant | None) -> dict:
    if applicant is None:
        return {}
    return {
        "applicant": applicant,
        "masked_id": mask_identity(applicant.kind, applicant.id_number),
        "masked_phone": mask_phone(applicant.phone),
        "matters": selectors.matter_list().order_by("code"),
        "bundles": Bundle.objects.filter(is_active=True).order_by("code"),
        "token": uuid.uuid4(),
    }


def _find(request, context: dict):
    form = context["find_form"] = WalkInFindForm(request.POST)
    if not form.is_valid():
        return None
    wanted = form.cleaned_data["id_number"]
    found = Applicant.objects.filter(id_number=wanted).first()
    if found is not None:
        return redirect(f"{reverse('intake-walk-in')}?applicant={found.pk}")
    kind = Applicant.Kind.PERSON if is_valid_resident_id(wanted) else Applicant.Kind.ORGANISATION
    context["not_found"] = True
    context["register_form"] = WalkInRegisterForm(initial={"id_number": wanted, "kind": kind})
    return None


def _register(request, context: dict):
    form = context["register_form"] = WalkInRegisterForm(request.POST)
    if not form.is_valid():
        return None
    try:
        applicant = applicant_find_or_create_walk_in(by=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("已登记来窗申请人“{name}”。").format(name=applicant.name))
    return redirect(f"{reverse('intake-walk-in')}?applicant={applicant.pk}")


@login_required
def walk_in(request):
    require_clerk(request.user)
    context: dict = {"find_form": WalkInFindForm()}
    if request.method == "POST":
        step = _find if request.POST.get("action") == "find" else _register
        response = step(request, context)
        if response is not None:
            return response
    elif request.GET.get("applicant", "").isdigit():
        applicant = get_object_or_404(Applicant, pk=request.GET["applicant"])
        context.update(_walk_in_context(applicant))
    return render(request, "intake/counter/walk_in.html", context)


@login_required
@require_POST
def walk_in_apply(request):
    require_clerk(request.user)
    applicant = get_object_or_404(Applicant, pk=request.POST.get("applicant") or 0)
    token, choice = form_token(request.POST.get("token")), request.POST.get("matter", "")
    back = f"{reverse('intake-walk-in')}?applicant={applicant.pk}"
    if token is None or ":" not in choice:
        messages.error(request, _("请选择要办理的事项。") if token else _("页面已过期，请重试。"))
        return redirect(back)
    kind, code = choice.split(":", 1)
    try:
        if kind == "bundle":
            bundle = get_object_or_404(Bundle, code=code, is_active=True)
            group = intake_services.bundle_apply(bundle=bundle, applicant=applicant,
                                                 by=request.user, form_data={},
                                                 channel=Case.Channel.COUNTER, token=token)
            return redirect("intake-group-edit", group_id=group.pk)
        matter = get_object_or_404(selectors.matter_list(), code=code)
        case = case_create(matter=matter, applicant=applicant, by=request.user,
                           channel=Case.Channel.COUNTER, token=token)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return redirect("intake-case-edit", case_id=case.pk)


def _decide_page(request, case, state, status: int = 200):
    actions = case_allowed_transitions(case=case, user=request.user)
    ix = case_panels(case=case, user=request.user, actions=actions, decision=state)
    return render(request, "intake/counter/decide.html",
                  {"case": case, "ix": ix, "actions": actions}, status=status)


@login_required
def decide_page(request, case_id: int):
    require_clerk(request.user)
    case = selectors.case_get(user=request.user, case_id=case_id)
    return _decide_page(request, case, decisions.decision_state(case))


def _decision_data(slug: str, state, post):
    if slug == "accept":
        return decisions.accept_data(state)
    if slug == "request-supplement":
        return decisions.supplement_data(state)
    return decisions.reject_data(state, post)


@login_required
@require_POST
def decide(request, case_id: int, slug: str):
    require_clerk(request.user)
    case = selectors.case_get(user=request.user, case_id=case_id)
    state = decisions.decision_state(case, request.POST)
    state.open = slug
    try:
        if slug == "instant":
            intake_services.case_instant_approve(case_id=case.pk, by=request.user,
                                                 note=state.note)
            label = _("即办：受理并准予许可")
        else:
            spec = TRANSITIONS_BY_SLUG.get(slug)
            if spec is None or spec.name not in ("accept", "request_supplement", "reject"):
                raise Http404
            data = _decision_data(slug, state, request.POST)
            if data is None:
                return _decide_page(request, case, state, status=400)
            case_transition(case_id=case.pk, name=spec.name, by=request.user,
                            note=state.note, data=data)
            label = TRANSITIONS[spec.name].label
    except ApplicationError as exc:
        raise_if_not_found(exc)
        state.error = exc.message
        return _decide_page(request, case, state, status=exc.status)
    messages.success(request, _("已完成“{action}”。").format(action=label))
    return redirect("case-detail", case_id=case.pk)
