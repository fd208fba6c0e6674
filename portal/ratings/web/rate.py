"""The applicant side's pages: rate a step of a case (five big buttons and a comment),
"我的评价" (own ratings and rectification items), and the appeal against a dismissal;
and the counter's page to record a paper or telephone rating on an applicant's behalf."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.ratings import forms, selectors
from portal.ratings.models import Rating, RatingChannel
from portal.ratings.permissions import is_applicant_side, may_record_on_behalf
from portal.ratings.services.ratings import case_steps_done, rating_submit
from portal.ratings.services.rectifications import rectification_appeal
from portal.ratings.steps import BAD_LEVELS, Level, RatableStep
from portal.ratings.web.common import case_get, rectification_get


@login_required
def rate_page(request, case_id: int, step: str):
    """/ratings/cases/<id>/rate/<step>/: GET the form, POST the rating."""
    case = case_get(case_id)
    if not is_applicant_side(request.user, case):
        raise Http404
    if step not in RatableStep.values:
        raise Http404
    existing = Rating.objects.filter(case=case, step=step).first()
    form = forms.RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                rating = rating_submit(case=case, step=step, by=request.user,
                                       level=form.cleaned_data["level"],
                                       comment=form.cleaned_data["comment"])
            except ApplicationError as exc:
                forms.add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("感谢您的评价！") if not rating.is_bad else
                                 _("已收到您的评价，我们将在规定时限内核实整改并回访。"))
                return redirect("case-detail", case.pk)
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    return render(request, "ratings/rate.html", {
        "case": case, "step": RatableStep(step), "form": form, "existing": existing,
        "happened": step in case_steps_done(case), "levels": Level.choices,
        "bad_levels": sorted(BAD_LEVELS)}, status=status)


@login_required
def mine_page(request):
    """/ratings/mine/: 我的评价 and the rectification items they opened."""
    ratings = Paginator(selectors.ratings(user=request.user, mine=True), 30) \
        .get_page(request.GET.get("page"))
    items = list(selectors.applicant_rectifications(user=request.user)[:50])
    return render(request, "ratings/mine.html", {"page": ratings, "items": items})


@login_required
def appeal_page(request, item_id: int):
    """/ratings/rectifications/<id>/appeal/: the applicant side appeals a dismissal once."""
    item = rectification_get(request.user, item_id)
    if not is_applicant_side(request.user, item.case):
        raise Http404
    form = forms.ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rectification_appeal(item=item, reason=form.cleaned_data["reason"],
                                     by=request.user)
            except ApplicationError as exc:
                forms.add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("申诉已提交，复核结果将另行通知。"))
                return redirect("ratings-rectification", item.pk)
        else:
            status = 400
    return render(request, "ratings/appeal.html", {"item": item, "form": form}, status=status)


@login_required
def record_page(request, case_id: int):
    """/ratings/cases/<id>/record/: a clerk or supervisor records a paper/phone rating."""
    if not may_record_on_behalf(request.user):
        raise PermissionDenied
    case = case_get(case_id)
    form = forms.RecordRatingForm(request.POST or None,
                                  initial={"channel": RatingChannel.PAPER})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                rating_submit(case=case, step=data["step"], level=data["level"],
                              comment=data["comment"], channel=data["channel"], by=request.user)
            except ApplicationError as exc:
                forms.add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已代录评价（{channel}）。").format(
                    channel=RatingChannel(data["channel"]).label))
                return redirect("case-detail", case.pk)
        else:
            status = 400
    rated = set(Rating.objects.filter(case=case).values_list("step", flat=True))
    return render(request, "ratings/record.html", {
        "case": case, "form": form, "done": [RatableStep(s) for s in case_steps_done(case)],
        "rated": rated}, status=status)
