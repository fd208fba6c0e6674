"""REST API for review meetings (/api/v1/experts/meetings/...): the meeting as the user
may see it (own sheet; others' scores and the aggregate only when the rules allow), save
or submit a sheet, choose the chair, record the conclusion, download the signed minutes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.models import Expert, MeetingMinutes, MeetingOutcome, ReviewMeeting
from experts.permissions import can_view_meeting
from experts.services import meetings as services
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError


def _meeting(request, meeting_id: int) -> ReviewMeeting:
    meeting = (ReviewMeeting.objects.select_related("draw__case", "chair")
               .filter(pk=meeting_id).first())
    if meeting is None or not can_view_meeting(request.user, meeting):
        raise ApplicationError(_("评审会不存在。"), "not_found", status=404)
    return meeting


class ItemOutput(serializers.Serializer):
    key = serializers.CharField()
    category = serializers.CharField()
    title = serializers.CharField()
    requirement = serializers.CharField()
    weight = serializers.IntegerField()
    veto = serializers.BooleanField()

    class Meta:
        ref_name = "ExpertMeetingItem"


class SheetOutput(serializers.Serializer):
    expert = serializers.IntegerField(source="expert_id")
    expert_name = serializers.CharField(source="expert.name")
    scores = serializers.DictField(child=serializers.DictField())
    opinion = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "ExpertScoreSheet"


class ItemStatsOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.IntegerField()
    n = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    min = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    stdev = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    divergent = serializers.BooleanField()
    veto_warning = serializers.BooleanField()

    class Meta:
        ref_name = "ExpertItemStats"


class AggregateOutput(serializers.Serializer):
    n = serializers.IntegerField()
    items = ItemStatsOutput(many=True)
    totals = serializers.DictField(child=serializers.DecimalField(max_digits=8,
                                                                  decimal_places=2))
    max_total = serializers.IntegerField()
    total_mean = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    total_min = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    total_max = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    total_stdev = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)

    class Meta:
        ref_name = "ExpertAggregate"


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    draw = serializers.IntegerField()
    case = serializers.IntegerField()
    status = serializers.CharField()
    chair = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField()
    conclusion = serializers.CharField()
    items = ItemOutput(many=True)
    own_sheet = SheetOutput(allow_null=True)
    sheets = SheetOutput(many=True, help_text="可查看的已提交评分表（提交本人评分前为空）")
    aggregate = AggregateOutput(allow_null=True)
    waiting_for = serializers.ListField(child=serializers.CharField())
    minutes = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "ExpertMeeting"


def _output(request, meeting: ReviewMeeting) -> dict:
    items = list(meeting.items.all())
    view = services.meeting_view(meeting, request.user, items=items)
    minutes = getattr(meeting, "minutes", None)
    return MeetingOutput({
        "id": meeting.pk, "draw": meeting.draw_id, "case": meeting.draw.case_id,
        "status": meeting.status, "chair": meeting.chair_id, "outcome": meeting.outcome,
        "conclusion": meeting.conclusion, "items": items, "own_sheet": view.own,
        "sheets": view.sheets, "aggregate": view.aggregate, "waiting_for": view.waiting_for,
        "minutes": minutes.pk if minutes else None}).data


class MeetingDetailApi(APIView):
    serializer_class = MeetingOutput

    @extend_schema(responses=MeetingOutput)
    def get(self, request, meeting_id: int):
        return Response(_output(request, _meeting(request, meeting_id)))


class SheetApi(APIView):
    """POST: save the expert's own sheet (``submit`` true makes it final). A dispatcher
    entering a paper sheet names the ``expert``."""

    class InputSerializer(serializers.Serializer):
        scores = serializers.DictField(child=serializers.JSONField(),
                                       help_text='{"item_key": {"score": "8.5", "comment": ""}}')
        opinion = serializers.CharField(max_length=2000, required=False, default="",
                                        allow_blank=True)
        submit = serializers.BooleanField(required=False, default=False)
        expert = serializers.IntegerField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "ExpertSheetInput"

    @extend_schema(request=InputSerializer, responses=MeetingOutput)
    def post(self, request, meeting_id: int):
        meeting = _meeting(request, meeting_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        expert_id = values.pop("expert")
        expert = Expert.objects.filter(pk=expert_id).first() if expert_id else None
        services.sheet_save(meeting=meeting, by=request.user, expert=expert, **values)
        return Response(_output(request, _meeting(request, meeting_id)))


class ChairApi(APIView):
    class InputSerializer(serializers.Serializer):
        expert = serializers.IntegerField()

        class Meta:
            ref_name = "ExpertChairInput"

    @extend_schema(request=InputSerializer, responses=MeetingOutput)
    def post(self, request, meeting_id: int):
        meeting = _meeting(request, meeting_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        expert = Expert.objects.filter(pk=data.validated_data["expert"]).first()
        if expert is None:
            raise ApplicationError(_("专家不存在。"), "invalid")
        services.meeting_set_chair(meeting=meeting, by=request.user, expert=expert)
        return Response(_output(request, _meeting(request, meeting_id)))


class MinutesOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ExpertMinutes"


class ConclusionApi(APIView):
    """POST: the chair's conclusion; the signed minutes are attached to the case."""

    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=MeetingOutcome.choices)
        conclusion = serializers.CharField(max_length=5000)

        class Meta:
            ref_name = "ExpertConclusionInput"

    @extend_schema(request=InputSerializer, responses={201: MinutesOutput})
    def post(self, request, meeting_id: int):
        meeting = _meeting(request, meeting_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        minutes = services.meeting_conclude(meeting=meeting, by=request.user,
                                            **data.validated_data)
        return Response(MinutesOutput(minutes).data, status=201)


class MinutesDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, minutes_id: int):
        minutes = MeetingMinutes.objects.select_related("meeting__draw").filter(
            pk=minutes_id).first()
        if minutes is None:
            raise ApplicationError(_("纪要不存在。"), "not_found", status=404)
        return download_response(services.minutes_download(minutes=minutes, by=request.user))
