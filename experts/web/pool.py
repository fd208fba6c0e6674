"""Pool pages (专家库): the list with filters and export, import with the row-by-row
report, the expert's page with records, contact reveal (audited), relations, unavailable
dates and ratings, and the create/edit form. Pool managers only, except that an expert
may open their own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from experts import forms, selectors
from experts.models import Expert, ExpertImport, ExpertRelation, ExpertUnavailability
from experts.permissions import expert_of, is_pool_manager
from experts.services import export, spreadsheet
from experts.services import pool as services
from experts.web.common import expert_get, refuse, require_manager
from portal.core.errors import ApplicationError

PAGE_SIZE = 50


def _filtered(request):
    filters = forms.PoolFilterForm(request.GET or None)
    return filters, selectors.pool(**filters.filters())


@login_required
def pool_page(request):
    """/experts/: the pool with filters; phones masked."""
    require_manager(request.user)
    filters, qs = _filtered(request)
    page = Paginator(selectors.pool_page_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "experts/pool.html", {
        "filters": filters, "page": page, "query": query.urlencode() + "&" if query else "",
        "export_query": query.urlencode()})


@login_required
def pool_export(request):
    """/experts/export/?format=csv|xlsx (the list's filters apply); audited."""
    require_manager(request.user)
    _filters, qs = _filtered(request)
    try:
        data, filename, content_type = export.expert_export(
            qs=qs, by=request.user, fmt=request.GET.get("format", "csv"))
    except ApplicationError as exc:
        refuse(request, exc)
        return redirect("experts-pool")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def import_template(request, fmt: str):
    """An empty sheet with the headers (no personal data)."""
    require_manager(request.user)
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    none = Expert.objects.none()
    data = export.export_csv(none) if fmt == "csv" else export.export_xlsx(none)
    content_type = ("text/csv; charset=utf-8" if fmt == "csv" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="experts-template.{fmt}"'
    return response


@login_required
def import_page(request):
    """/experts/import/: upload, then the report of every row."""
    require_manager(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    record, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = spreadsheet.expert_import(data=upload.read(), filename=upload.name,
                                                   by=request.user)
            except ApplicationError as exc:
                form.add_error("file", exc.message)
                status = exc.status
        else:
            status = 400
    elif request.GET.get("report", "").isdigit():
        record = ExpertImport.objects.filter(pk=int(request.GET["report"])).first()
    return render(request, "experts/import.html", {
        "form": form, "record": record, "columns": spreadsheet.COLUMNS,
        "labels": spreadsheet.OUTCOME_LABELS,
        "recent": ExpertImport.objects.select_related("imported_by")[:10]}, status=status)


def _form_values(form: forms.ExpertForm) -> dict:
    data = dict(form.cleaned_data)
    data["fields"] = list(data.pop("expertise"))
    return data


def _edit(request, expert: Expert | None):
    require_manager(request.user)
    initial = {}
    if expert is not None:
        initial = {**{n: getattr(expert, n) for n in ("name", "employer", "title",
                                                    "qualifications", "phone", "email",
                                                    "active", "note", "user")},
                   "industries": "；".join(expert.industries),
                   "expertise": list(expert.fields.all())}
    form = forms.ExpertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if expert is None:
                expert = services.expert_create(by=request.user, **_form_values(form))
            else:
                services.expert_update(expert=expert, by=request.user, **_form_values(form))
        except ApplicationError as exc:
            forms.add_service_errors(form, exc, {"fields": "expertise"})
        else:
            messages.success(request, _("已保存专家“{name}”。").format(name=expert.name))
            return redirect("experts-detail", expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "experts/expert_form.html", {"form": form, "expert": expert},
                  status=status)


@login_required
def expert_new(request):
    return _edit(request, None)


@login_required
def expert_edit(request, expert_id: int):
    return _edit(request, get_object_or_404(Expert, pk=expert_id))


def _detail(request, expert: Expert, *, contact: dict | None = None, bound: dict | None = None,
            status: int = 200):
    bound = bound or {}
    manager = is_pool_manager(request.user)
    invitations = Paginator(selectors.expert_invitations(expert), 20).get_page(
        request.GET.get("page"))
    return render(request, "experts/expert_detail.html", {
        "expert": expert, "manager": manager, "contact": contact,
        "fields": list(expert.fields.all()),
        "records": selectors.expert_records(expert), "invitations": invitations,
        "ratings": list(selectors.expert_ratings(expert)[:20]),
        "relations": list(expert.relations.select_related("applicant").order_by("-active",
                                                                                 "pk")),
        "unavailable": list(expert.unavailable.order_by("-start")[:50]),
        "relation_form": bound.get("relation") or forms.RelationForm(),
        "rating_form": bound.get("rating") or forms.RatingForm(),
        "unavailable_form": bound.get("unavailable") or forms.UnavailabilityForm(),
    }, status=status)


@login_required
def expert_page(request, expert_id: int):
    """/experts/<id>/: the expert, their records and what may be kept on the page."""
    return _detail(request, expert_get(request.user, expert_id))


@login_required
@require_POST
def expert_contact(request, expert_id: int):
    expert = expert_get(request.user, expert_id)
    try:
        contact = services.expert_contact_reveal(expert=expert, by=request.user,
                                                 purpose="expert page")
    except ApplicationError as exc:
        refuse(request, exc)
        return _detail(request, expert, status=exc.status)
    return _detail(request, expert, contact=contact)


def _after(request, expert: Expert, anchor: str):
    own = expert_of(request.user)
    if own is not None and own.pk == expert.pk and not is_pool_manager(request.user):
        return redirect(reverse("experts-me") + f"#{anchor}")
    return redirect(reverse("experts-detail", args=[expert.pk]) + f"#{anchor}")


@login_required
@require_POST
def relation_add(request, expert_id: int):
    expert = expert_get(request.user, expert_id)
    form, status = forms.RelationForm(request.POST), 400
    if form.is_valid():
        try:
            services.relation_declare(expert=expert, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已登记回避单位。"))
            return _after(request, expert, "relations")
    messages.error(request, forms.first_error(form))
    return _detail(request, expert, bound={"relation": form}, status=status)


@login_required
@require_POST
def relation_withdraw(request, expert_id: int, relation_id: int):
    expert = expert_get(request.user, expert_id)
    relation = get_object_or_404(ExpertRelation, pk=relation_id, expert=expert)
    try:
        services.relation_withdraw(relation=relation, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        return _detail(request, expert, status=exc.status)
    messages.success(request, _("已撤销该回避申报。"))
    return _after(request, expert, "relations")


@login_required
@require_POST
def rating_add(request, expert_id: int):
    expert = expert_get(request.user, expert_id)
    form, status = forms.RatingForm(request.POST), 400
    if form.is_valid():
        try:
            services.rating_add(expert=expert, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已记录质量评价。"))
            return _after(request, expert, "ratings")
    messages.error(request, forms.first_error(form))
    return _detail(request, expert, bound={"rating": form}, status=status)


@login_required
@require_POST
def unavailable_add(request, expert_id: int):
    expert = expert_get(request.user, expert_id)
    form, status = forms.UnavailabilityForm(request.POST), 400
    if form.is_valid():
        try:
            services.unavailability_add(expert=expert, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            forms.add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已登记不可用日期。"))
            return _after(request, expert, "unavailable")
    messages.error(request, forms.first_error(form))
    if expert_of(request.user) is not None and not is_pool_manager(request.user):
        from experts.web.me import render_me

        return render_me(request, expert, unavailable_form=form, status=status)
    return _detail(request, expert, bound={"unavailable": form}, status=status)


@login_required
@require_POST
def unavailable_remove(request, expert_id: int, period_id: int):
    expert = expert_get(request.user, expert_id)
    period = get_object_or_404(ExpertUnavailability, pk=period_id, expert=expert)
    try:
        services.unavailability_remove(period=period, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        return _detail(request, expert, status=exc.status)
    messages.success(request, _("已删除不可用日期。"))
    return _after(request, expert, "unavailable")
