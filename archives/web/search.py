"""The archive search (/archives/) and the archivist's worklist of closed cases waiting
to be archived (/archives/pending/), with the button that archives one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import Case
from archives import selectors
from archives.forms import SearchForm
from archives.masking import applicant_label
from archives.services import case_archive
from archives.web.common import refuse, require_archivist, require_reader, roles
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError

PAGE_SIZE = 50


@login_required
def search_page(request):
    require_reader(request.user)
    form = SearchForm(request.GET or None)
    page = Paginator(selectors.package_search(form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    if form.is_bound and form.is_valid():
        audit_log(action="archive.search", actor=request.user,
                  after={k: str(v) for k, v in form.cleaned_data.items() if v})
    rows = [{"package": p, "applicant": applicant_label(p.case.applicant)} for p in page]
    return render(request, "archives/search.html", {
        "form": form, "page": page, "rows": rows, "query": form.query(),
        **roles(request.user)})


@login_required
def pending_page(request):
    require_archivist(request.user)
    page = Paginator(selectors.cases_to_archive(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"case": c, "applicant": applicant_label(c.applicant)} for c in page]
    return render(request, "archives/pending.html", {"page": page, "rows": rows,
                                                     **roles(request.user)})


@login_required
@require_POST
def bind(request, case_id: int):
    require_archivist(request.user)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404
    try:
        package = case_archive(case=case, by=request.user,
                               note=request.POST.get("note", "").strip()[:500])
    except ApplicationError as exc:
        refuse(request, exc)
        return redirect("archives-pending")
    messages.success(request, _("已归档，档号 {number}。").format(number=package.number))
    return redirect("archives-package", package.pk)
