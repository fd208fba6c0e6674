"""REST API of the dashboards: the same panels as the pages, as JSON, and the drill-down
list in keyset pages. Every view checks the user and filters with ``scope.filters_from``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.dashboards import drill as drills
from portal.dashboards import selectors
from portal.dashboards.models import STAGES
from portal.dashboards.scope import dimension_from, filters_from

FILTER_PARAMS = [
    OpenApiParameter("period", str, enum=["week", "month", "quarter", "year"],
                     description="统计周期（默认 month）"),
    OpenApiParameter("date", str, description="周期内任一日期 YYYY-MM-DD（默认今天）"),
    OpenApiParameter("section", str, description="科室代码"),
    OpenApiParameter("matter", str, description="事项编码"),
    OpenApiParameter("industry", str, description="行业"),
    OpenApiParameter("district", str, description="区划代码"),
]
DIM_PARAM = OpenApiParameter("dim", str, enum=["section", "matter", "industry", "district"],
                             description="分组维度（默认 section）")


class FiguresOutput(serializers.Serializer):
    applications = serializers.IntegerField()
    accepted = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    returned = serializers.IntegerField()
    closed = serializers.IntegerField()
    inspected = serializers.IntegerField()
    first_pass = serializers.IntegerField()
    rectified = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    return_rate = serializers.FloatField(allow_null=True)
    rectification_rate = serializers.FloatField(allow_null=True)
    first_pass_rate = serializers.FloatField(allow_null=True)
    avg_workdays = serializers.SerializerMethodField()

    def get_avg_workdays(self, obj) -> dict[str, float | None]:
        return {s: obj[f"avg_{s}"] for s in STAGES}


class SummaryOutput(FiguresOutput):
    overdue = serializers.IntegerField()
    near_due = serializers.IntegerField()


class BreakdownRowOutput(SummaryOutput):
    key = serializers.CharField()
    name = serializers.CharField()


class TrendRowOutput(FiguresOutput):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class StageRowOutput(serializers.Serializer):
    stage = serializers.CharField(help_text="acceptance, review, inspection, decision, issue")
    label = serializers.CharField()
    cases = serializers.IntegerField()
    avg_workdays = serializers.FloatField(allow_null=True)


class DeadlineRowOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    overdue = serializers.IntegerField()
    near_due = serializers.IntegerField()


class DeadlinesOutput(serializers.Serializer):
    as_of = serializers.DateField()
    near_due_workdays = serializers.IntegerField()
    overdue = serializers.IntegerField()
    near_due = serializers.IntegerField()
    rows = DeadlineRowOutput(many=True)


class WorkloadRowOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    section = serializers.CharField()
    total = serializers.IntegerField()
    by_stage = serializers.DictField(child=serializers.IntegerField())


class MapRowOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    applications = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class CaseRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    number = serializers.CharField(source="case.number", allow_null=True)
    matter = serializers.CharField(source="case.matter.code")
    matter_name = serializers.CharField(source="case.matter.name")
    section = serializers.CharField(source="case.matter.section.name")
    applicant = serializers.CharField(source="case.applicant.name")
    applicant_id_number = serializers.SerializerMethodField()
    district = serializers.CharField(source="case.district.code", allow_null=True,
                                     default=None)
    status = serializers.CharField(source="case.status")
    submitted_on = serializers.DateField(source="fact.submitted_on", allow_null=True,
                                         default=None)
    accepted_on = serializers.DateField(source="fact.accepted_on", allow_null=True,
                                        default=None)
    closed_on = serializers.DateField(source="fact.closed_on", allow_null=True, default=None)
    promised_date = serializers.DateField(source="case.promised_date", allow_null=True)
    outcome = serializers.CharField(source="fact.outcome", allow_null=True, default=None)
    on_time = serializers.BooleanField(source="fact.on_time", allow_null=True, default=None)
    value = serializers.IntegerField(allow_null=True)

    def get_applicant_id_number(self, obj) -> str:
        return drills.masked_id(obj.case)


class CasePageOutput(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    next_cursor = serializers.CharField(allow_null=True)
    results = CaseRowOutput(many=True)


class DashboardSummaryApi(APIView):
    @extend_schema(parameters=FILTER_PARAMS, responses=SummaryOutput)
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        return Response(SummaryOutput(selectors.summary(filters)).data)


class DashboardBreakdownApi(APIView):
    @extend_schema(parameters=[*FILTER_PARAMS, DIM_PARAM], responses=BreakdownRowOutput(many=True))
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        dim = dimension_from(request.query_params)
        return Response(BreakdownRowOutput(selectors.breakdown(filters, dim), many=True).data)


class DashboardTrendApi(APIView):
    @extend_schema(parameters=FILTER_PARAMS, responses=TrendRowOutput(many=True))
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        return Response(TrendRowOutput(selectors.trend(filters), many=True).data)


class DashboardStagesApi(APIView):
    @extend_schema(parameters=FILTER_PARAMS, responses=StageRowOutput(many=True))
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        return Response(StageRowOutput(selectors.stages(filters), many=True).data)


class DashboardDeadlinesApi(APIView):
    @extend_schema(parameters=[*FILTER_PARAMS, DIM_PARAM], responses=DeadlinesOutput)
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        dim = dimension_from(request.query_params)
        return Response(DeadlinesOutput(selectors.deadlines(filters, dim)).data)


class DashboardWorkloadApi(APIView):
    @extend_schema(parameters=FILTER_PARAMS, responses=WorkloadRowOutput(many=True))
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        return Response(WorkloadRowOutput(selectors.workload(filters), many=True).data)


class DashboardMapApi(APIView):
    @extend_schema(parameters=FILTER_PARAMS, responses=MapRowOutput(many=True))
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        return Response(MapRowOutput(selectors.district_map(filters), many=True).data)


class DashboardCasesApi(APIView):
    @extend_schema(parameters=[
        *FILTER_PARAMS,
        OpenApiParameter("metric", str, required=True,
                         description="统计指标（applications、completed、on_time、overdue、"
                                     "stage_review、workload …）"),
        OpenApiParameter("user", int, description="经办人 id（metric=workload）"),
        OpenApiParameter("stage", str, description="职责环节（metric=workload）"),
        OpenApiParameter("cursor", str, description="下一页游标（上一页返回的 next_cursor）"),
    ], responses=CasePageOutput)
    def get(self, request):
        filters = filters_from(request.query_params, request.user)
        drill = drills.drill_from(request.query_params, filters)
        rows, cursor = drills.drill_page(drill, request.query_params.get("cursor") or None)
        return Response(CasePageOutput({
            "metric": drill.metric, "label": drill.label, "count": drills.drill_count(drill),
            "next_cursor": cursor, "results": rows}).data)
