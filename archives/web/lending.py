"""Loans (/archives/loans/): all, on loan, or overdue; the return of a paper volume."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import selectors, services
from archives.forms import ReturnForm
from archives.models import Loan
from archives.web.common import refuse, require_archivist, require_reader, roles
from portal.core.errors import ApplicationError

SHOW = {"open": {"open_only": True}, "overdue": {"overdue": True}, "all": {}}


@login_required
def loans_page(request):
    require_reader(request.user)
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "open"
    page = Paginator(selectors.loans(**SHOW[show]), 50).get_page(request.GET.get("page"))
    return render(request, "archives/loans.html", {
        "page": page, "show": show, "query": f"show={show}&", "return_form": ReturnForm(),
        **roles(request.user)})


@login_required
@require_POST
def loan_return(request, loan_id: int):
    require_archivist(request.user)
    loan = Loan.objects.select_related("package").filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    form = ReturnForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.loan_return(loan=loan, by=request.user, note=note)
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已登记归还。"))
    if request.POST.get("next") == "loans":
        return redirect("archives-loans")
    return redirect("archives-package", loan.package_id)
