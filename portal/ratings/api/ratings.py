"""Ratings API: list (supervisors all, filtered; the applicant side its own) and submit
(online by the applicant side, or paper/phone on behalf by a clerk or supervisor), the
share of each level, and one case's steps with their ratings."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Case
from portal.core.errors import ApplicationError, PermissionRefused
from portal.ratings import selectors
from portal.ratings.api.serializers import RatingInput, RatingOutput, StatsOutput, StepOutput
from portal.ratings.case_panel import case_rating_panel
from portal.ratings.permissions import is_applicant_side, may_see_all_ratings
from portal.ratings.services.ratings import rating_submit
from portal.ratings.steps import Level, RatableStep

FILTERS = [
    OpenApiParameter("step", str, enum=RatableStep.values),
    OpenApiParameter("level", int, enum=Level.values),
    OpenApiParameter("channel", str),
    OpenApiParameter("section", int),
    OpenApiParameter("matter", int),
    OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("mine", bool, description="只看本人（申请人一侧）的评价"),
]


def _int(params, name: str) -> int | None:
    value = params.get(name, "")
    if value in ("", None):
        return None
    if not str(value).isdigit():
        raise ApplicationError(_("参数 {name} 须为数字。").format(name=name), "invalid")
    return int(value)


def _date(params, name: str):
    value = params.get(name, "")
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise ApplicationError(_("日期格式应为 YYYY-MM-DD：{value}").format(value=value),
                               "invalid_date")
    return parsed


def filtered_ratings(request):
    p = request.query_params
    step = p.get("step", "")
    if step and step not in RatableStep.values:
        raise ApplicationError(_("未知的服务环节。"), "invalid_step")
    return selectors.ratings(
        user=request.user, mine=p.get("mine") in ("1", "true"), step=step,
        level=_int(p, "level"), channel=p.get("channel", ""), section=_int(p, "section"),
        matter=_int(p, "matter"), date_from=_date(p, "date_from"), date_to=_date(p, "date_to"))


class RatingListApi(ListAPIView):
    """GET: ratings; POST: rate a step (one per case and step; 409 for a second)."""

    serializer_class = RatingOutput

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return filtered_ratings(self.request)

    @extend_schema(request=RatingInput, responses={201: RatingOutput})
    def post(self, request):
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = Case.objects.select_related("applicant").filter(pk=values["case"]).first()
        if case is None:
            raise ApplicationError(_("办件不存在。"), "not_found", status=404)
        rating = rating_submit(case=case, step=values["step"], level=values["level"],
                               comment=values["comment"], channel=values["channel"],
                               by=request.user)
        return Response(RatingOutput(rating).data, status=201)


class RatingStatsApi(APIView):
    """GET: the share of each level among the filtered ratings (supervisors)."""

    @extend_schema(parameters=FILTERS[:-1], responses=StatsOutput)
    def get(self, request):
        if not may_see_all_ratings(request.user):
            raise PermissionRefused(_("只有督查人员可以查看评价统计。"), "permission_denied")
        return Response(StatsOutput(selectors.rating_stats(filtered_ratings(request))).data)


class CaseRatingsApi(APIView):
    """GET: a case's steps that have happened, each with its rating or ``can_rate``."""

    @extend_schema(responses=StepOutput(many=True))
    def get(self, request, case_id: int):
        case = Case.objects.select_related("applicant").filter(pk=case_id).first()
        if case is None or not (is_applicant_side(request.user, case)
                                or request.user.is_bureau_staff):
            raise ApplicationError(_("办件不存在。"), "not_found", status=404)
        panel = case_rating_panel(case, request.user) or {"steps": [], "applicant_side": False}
        steps = [{"code": s["code"], "label": s["label"], "rating": s["rating"],
                  "can_rate": panel["applicant_side"] and s["rating"] is None}
                 for s in panel["steps"]]
        return Response(StepOutput(steps, many=True).data)
