"""Review pages: the work queue of reviewers and approvers, and the licence pages of a
case (出证 through the ``issue`` transition, the lifecycle 变更/延续/注销/撤销/出件, the
audited download). Views check the input's shape, fetch through selectors and call one
service; refusals (ApplicationError) come back as messages on the case page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from approvals import selectors
from approvals.models import Certificate
from approvals.services import case_transition, downloads
from approvals.services import certificates as licences
from approvals.services.review import review_opinion_add
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError
from portal.intake.views.common import is_htmx
from portal.review import forms
from portal.review.opinions import (
    OVERALL,
    PREVIEW,
    prefix_of,
    review_case_get,
    review_panel,
)
from portal.review.panels import form_prefix, queue_clocks
from portal.review.selectors import queue_states, review_queue

PAGE_SIZE = 25


@login_required
def queue_page(request):
    """/review/: the section's cases in the user's states, the nearest due date first."""
    states = queue_states(request.user)
    if not states:
        raise PermissionDenied
    form = forms.QueueFilterForm(request.GET or None, user=request.user, states=states)
    qs = review_queue(user=request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    queue_clocks(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form,
               "query": f"{query.urlencode()}&" if query else ""}
    template = "review/_queue_results.html" if is_htmx(request) else "review/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _case_page(case_id: int) -> str:
    return reverse("case-detail", args=[case_id]) + "#licences"


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@login_required
@require_POST
def case_issue(request, case_id: int):
    """出证: the ``issue`` transition with the licence's scope and validity."""
    selectors.case_get(user=request.user, case_id=case_id)  # 404 for strangers
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_case_page(case_id))
    data = form.cleaned_data
    try:
        case_transition(case_id=case_id, name="issue", by=request.user, note=data["note"],
                        data={"scope": data["scope"], "valid_years": data["valid_years"]})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已出证，电子证照已签章生成。"))
    return redirect(_case_page(case_id))


def _certificate(user, certificate_id: int) -> Certificate:
    cert = selectors.certificate_list(user=user).filter(pk=certificate_id).first()
    if cert is None:
        raise Http404
    return cert


def _change(cert, by, form):
    return licences.certificate_change(certificate=cert, by=by, note=form.cleaned_data["note"],
                                       **form.changes(cert))


def _renew(cert, by, form):
    return licences.certificate_renew(certificate=cert, by=by,
                                      valid_until=form.cleaned_data["valid_until"],
                                      note=form.cleaned_data["note"])


def _cancel(cert, by, form):
    return licences.certificate_cancel(certificate=cert, by=by,
                                       reason=form.cleaned_data["reason"])


def _revoke(cert, by, form):
    return licences.certificate_revoke(certificate=cert, by=by,
                                       reason=form.cleaned_data["reason"])


def _deliver(cert, by, form):
    return licences.certificate_deliver(certificate=cert, by=by,
                                        method=form.cleaned_data["method"],
                                        note=form.cleaned_data["note"])


#: action slug: (form, service call, label)
ACTIONS: dict[str, tuple[type, Callable, str]] = {
    "change": (forms.ChangeForm, _change, gettext_lazy("变更")),
    "renew": (forms.RenewForm, _renew, gettext_lazy("延续")),
    "cancel": (forms.ReasonForm, _cancel, gettext_lazy("注销")),
    "revoke": (forms.ReasonForm, _revoke, gettext_lazy("撤销")),
    "deliver": (forms.DeliverForm, _deliver, gettext_lazy("出件")),
}


@login_required
@require_POST
def certificate_act(request, certificate_id: int, action: str):
    """POST /review/licences/<id>/<change|renew|cancel|revoke|deliver>/"""
    cert = _certificate(request.user, certificate_id)
    if action not in ACTIONS:
        raise Http404
    form_class, call, label = ACTIONS[action]
    form = form_class(request.POST, prefix=form_prefix(cert, action))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_case_page(cert.case_id))
    try:
        call(cert, request.user, form)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已办理证照“{action}”。").format(action=label))
    return redirect(_case_page(cert.case_id))


@login_required
def certificate_download(request, certificate_id: int):
    """The signed licence PDF of a case the user may see; every view is audited."""
    cert = _certificate(request.user, certificate_id)
    return download_response(downloads.certificate_download(certificate=cert, by=request.user))


def _review_url(case_id: int, target: str = "") -> str:
    return reverse("review-case", args=[case_id]) + (f"#op-{target}" if target else "")


def _opinion_post(request, case) -> tuple[str, forms.OpinionForm] | None:
    """Record the posted opinion; None when it was recorded, else (target, bound form) to
    show again with what was typed and the refusal as a page message."""
    target = request.POST.get("target", "")
    if target != OVERALL and target not in {str(m.pk) for m in case.current_materials}:
        raise Http404
    form = forms.OpinionForm(request.POST, prefix=prefix_of(target))
    if not form.is_valid():
        messages.error(request, _("请选择审查结论并检查审查意见。"))
        return target, form
    try:
        review_opinion_add(case=case, by=request.user, verdict=form.cleaned_data["verdict"],
                           text=form.cleaned_data["text"],
                           material_id=None if target == OVERALL else int(target))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if exc.code == "reason_required":
            form.add_error("text", exc.message)
        return target, form
    messages.success(request, _("已记录审查意见。"))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def case_review(request, case_id: int):
    """/review/cases/<id>/: the form's answers beside the current materials, an opinion per
    material and overall (bureau staff only; reviewers write while the case is under
    review, other staff read)."""
    case = review_case_get(user=request.user, case_id=case_id)
    bound = None
    if request.method == "POST":
        bound = _opinion_post(request, case)
        if bound is None:
            return redirect(_review_url(case.pk, request.POST.get("target", "")))
    panel = review_panel(case=case, user=request.user, bound=bound)
    return render(request, "review/case_review.html", {"case": case, "rp": panel})


@login_required
@xframe_options_sameorigin
def material_preview(request, material_id: int):
    """A material shown inline (PDF or image) for the review page's preview; staff only,
    audited like a download."""
    if not request.user.is_bureau_staff:
        raise Http404
    material = selectors.material_get(user=request.user, material_id=material_id)
    if material.content_type not in PREVIEW:
        raise Http404
    return download_response(
        downloads.material_download(material=material, by=request.user, preview=True),
        inline=True)
