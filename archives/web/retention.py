"""Retention (/archives/retention/): packages past their review date, the archivist's
proposal of a destruction list, the lists, and a supervisor's decision on one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import selectors, services
from archives.forms import DecisionForm, ProposeForm, first_error
from archives.masking import applicant_label
from archives.models import ArchivePackage, DestructionList
from archives.web.common import refuse, require_approver, require_archivist, require_reader, roles
from portal.core.errors import ApplicationError


def _render(request, *, form=None, status=200):
    page = Paginator(selectors.packages_due(), 100).get_page(request.GET.get("page"))
    rows = [{"package": p, "applicant": applicant_label(p.case.applicant)} for p in page]
    lists = list(selectors.destruction_lists()[:50])
    return render(request, "archives/retention.html", {
        "page": page, "rows": rows, "lists": lists, "form": form or ProposeForm(),
        "checked": set(request.POST.getlist("package")) if request.method == "POST" else set(),
        "reasons": {k[7:]: v for k, v in request.POST.items() if k.startswith("reason_")},
        **roles(request.user)}, status=status)


@login_required
def retention_page(request):
    require_reader(request.user)
    return _render(request)


@login_required
@require_POST
def propose(request):
    require_archivist(request.user)
    form = ProposeForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("package") if v.isdigit()]
    packages = {p.pk: p for p in ArchivePackage.objects.filter(pk__in=ids)}
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _render(request, form=form, status=400)
    items = [(packages[i], request.POST.get(f"reason_{i}", "")) for i in ids if i in packages]
    try:
        destruction = services.destruction_propose(by=request.user, items=items,
                                                   reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, form=form, status=exc.status)
    messages.success(request, _("销毁清册 {number} 已提交，待局领导审批。").format(
        number=destruction.number))
    return redirect("archives-destruction", destruction.pk)


def _destruction(request, destruction_id: int) -> DestructionList:
    require_reader(request.user)
    destruction = selectors.destruction_lists().filter(pk=destruction_id).first()
    if destruction is None:
        raise Http404
    return destruction


def _render_list(request, destruction, *, form=None, status=200):
    items = list(destruction.items.select_related("package__case__matter",
                                                  "package__case__applicant"))
    return render(request, "archives/destruction.html", {
        "destruction": destruction, "form": form or DecisionForm(),
        "rows": [{"item": i, "applicant": applicant_label(i.package.case.applicant)}
                 for i in items],
        "may_decide": destruction.is_open and roles(request.user)["approver"]
        and destruction.proposed_by_id != request.user.pk,
        **roles(request.user)}, status=status)


@login_required
def destruction_page(request, destruction_id: int):
    return _render_list(request, _destruction(request, destruction_id))


@login_required
@require_POST
def decide(request, destruction_id: int):
    destruction = _destruction(request, destruction_id)
    require_approver(request.user)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _render_list(request, destruction, form=form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.destruction_decide(destruction=destruction, by=request.user, approve=approve,
                                    note=form.cleaned_data["note"])
    except ApplicationError as exc:
        refuse(request, exc)
        return _render_list(request, destruction, form=form, status=exc.status)
    messages.success(request, _("已批准，清册所列档案已销毁。") if approve else _("已退回，不予批准。"))
    return redirect("archives-destruction", destruction.pk)
