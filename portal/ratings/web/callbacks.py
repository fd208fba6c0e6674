"""Callback pages (回访): the sampled cases to call back (the callback role sees all, others
their own), one task with its call records and the form to record a call, an audited reveal
of the applicant's full phone number, and each day's sample with its seed and a check that
the choice recomputes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.services import applicant_identity_reveal
from portal.core.errors import ApplicationError
from portal.ratings import forms, selectors
from portal.ratings.models import CallbackSample, CallbackTaskStatus
from portal.ratings.permissions import is_callback_staff
from portal.ratings.services.callbacks import callback_call_record, sample_verify
from portal.ratings.web.common import callback_task_get, query_string, refuse


@login_required
def callback_list_page(request):
    """/ratings/callbacks/: callback tasks, pending first; the latest samples."""
    if not request.user.is_bureau_staff:
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in CallbackTaskStatus.values else ""
    page = Paginator(selectors.callback_tasks(user=request.user, status=status), 50) \
        .get_page(request.GET.get("page"))
    samples = list(selectors.samples()[:7]) if is_callback_staff(request.user) else []
    return render(request, "ratings/callbacks.html", {
        "page": page, "status": status, "statuses": CallbackTaskStatus.choices,
        "samples": samples, "query": query_string({"status": status})})


def _task_page(request, task, *, form=None, phone: str = "", status: int = 200):
    return render(request, "ratings/callback.html", {
        "task": task, "calls": list(task.calls.all()), "form": form or forms.CallForm(),
        "phone": phone, "can_call": task.status == CallbackTaskStatus.PENDING},
        status=status)


@login_required
def callback_page(request, task_id: int):
    """/ratings/callbacks/<id>/: GET the task; POST a call record."""
    task = callback_task_get(request.user, task_id)
    if request.method != "POST":
        return _task_page(request, task)
    form = forms.CallForm(request.POST)
    if not form.is_valid():
        return _task_page(request, task, form=form, status=400)
    data = form.cleaned_data
    try:
        callback_call_record(task=task, channel=data["channel"], outcome=data["outcome"],
                             response=data["response"], called_at=data["called_at"],
                             by=request.user)
    except ApplicationError as exc:
        forms.add_service_error(form, exc)
        return _task_page(request, callback_task_get(request.user, task_id), form=form,
                          status=exc.status)
    messages.success(request, _("已登记回访记录。"))
    return redirect("ratings-callback", task.pk)


@login_required
@require_POST
def callback_reveal(request, task_id: int):
    """Show the applicant's full phone number for the call; the view is audited."""
    task = callback_task_get(request.user, task_id)
    try:
        identity = applicant_identity_reveal(applicant=task.case.applicant, by=request.user,
                                             purpose=f"回访 callback-task {task.pk}")
    except ApplicationError as exc:
        refuse(request, exc)
        return redirect("ratings-callback", task.pk)
    return _task_page(request, task, phone=identity["phone"])


@login_required
def sample_page(request, sample_id: int):
    """/ratings/callbacks/samples/<id>/: the record of one day's draw, recomputed."""
    if not is_callback_staff(request.user):
        raise PermissionDenied
    sample = CallbackSample.objects.filter(pk=sample_id).first()
    if sample is None:
        raise Http404
    return render(request, "ratings/sample.html", {
        "sample": sample, "check": sample_verify(sample),
        "tasks": list(sample.tasks.select_related("case", "assignee").order_by("pk"))})
