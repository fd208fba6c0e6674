"""REST API for draws and invitations (/api/v1/experts/draws/..., .../invitations/...):
create a draw (dispatcher), read its record (bureau staff), verify it, refill, cancel;
the expert (or the dispatcher, for an answer given by telephone) accepts or declines;
the dispatcher records attendance."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Case
from experts import selectors
from experts.models import ExpertDraw, ExpertField, Invitation, MeetingMode
from experts.permissions import can_view_draw
from experts.services import draws as services
from experts.services import invitations as invitation_services
from portal.core.errors import ApplicationError


def _draw(request, draw_id: int) -> ExpertDraw:
    draw = selectors.draw_detail(draw_id)
    if draw is None or not can_view_draw(request.user, draw):
        raise ApplicationError(_("专家抽取记录不存在。"), "not_found", status=404)
    return draw


def _invitation(request, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_related("draw", "expert").filter(
        pk=invitation_id).first()
    if invitation is None or not invitation_services.may_answer(request.user, invitation):
        raise ApplicationError(_("邀请不存在。"), "not_found", status=404)
    return invitation


class RoundOutput(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    trigger = serializers.IntegerField(source="trigger_id", allow_null=True)
    seed = serializers.CharField()
    eligible = serializers.ListField(child=serializers.IntegerField(),
                                     help_text="符合条件的专家编号（升序，规范顺序）")
    excluded = serializers.DictField(child=serializers.CharField(),
                                     help_text="专家编号 → 排除原因")
    k = serializers.IntegerField()
    chosen = serializers.ListField(child=serializers.IntegerField())
    drawn_by = serializers.IntegerField(source="drawn_by_id", allow_null=True)
    drawn_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ExpertDrawRound"


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    expert = serializers.IntegerField(source="expert_id")
    expert_name = serializers.CharField(source="expert.name")
    round = serializers.IntegerField(source="round.number")
    status = serializers.CharField()
    invited_at = serializers.DateTimeField()
    reply_due = serializers.DateTimeField()
    replied_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    attended = serializers.BooleanField(allow_null=True)

    class Meta:
        ref_name = "ExpertInvitation"


class DrawOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    field = serializers.CharField(source="field.name")
    count = serializers.IntegerField()
    meeting_at = serializers.DateTimeField()
    mode = serializers.CharField()
    place = serializers.CharField()
    exclusions = serializers.DictField(child=serializers.CharField())
    cooling_off_days = serializers.IntegerField()
    status = serializers.CharField()
    requested_by = serializers.IntegerField(source="requested_by_id")
    requested_at = serializers.DateTimeField()
    meeting = serializers.SerializerMethodField()
    rounds = RoundOutput(many=True, source="rounds.all")
    invitations = InvitationOutput(many=True, source="invitations.all")
    verified = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ExpertDraw"

    def get_meeting(self, obj) -> int | None:
        meeting = getattr(obj, "meeting", None)
        return meeting.pk if meeting else None

    def get_verified(self, obj) -> bool:
        return services.draw_verified(obj)


class DrawListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number", allow_null=True)
    field = serializers.CharField(source="field.name")
    count = serializers.IntegerField()
    meeting_at = serializers.DateTimeField()
    status = serializers.CharField()
    n_accepted = serializers.IntegerField()
    n_pending = serializers.IntegerField()

    class Meta:
        ref_name = "ExpertDrawSummary"


class DrawListApi(ListAPIView):
    """GET: draws (bureau staff); POST: a draw for a case (dispatcher)."""

    serializer_class = DrawListOutput

    class InputSerializer(serializers.Serializer):
        case = serializers.IntegerField()
        field = serializers.IntegerField(help_text="专业领域编号")
        count = serializers.IntegerField(min_value=1, max_value=services.MAX_EXPERTS)
        meeting_at = serializers.DateTimeField()
        mode = serializers.ChoiceField(choices=MeetingMode.choices)
        place = serializers.CharField(max_length=200, required=False, default="",
                                      allow_blank=True)
        exclusions = serializers.DictField(child=serializers.CharField(max_length=200),
                                           required=False, default=dict,
                                           help_text="专家编号 → 排除理由")
        note = serializers.CharField(max_length=300, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "ExpertDrawInput"

    def get_queryset(self):
        if not self.request.user.is_bureau_staff:
            raise ApplicationError(_("无权查看专家抽取记录。"), "permission_denied", status=403)
        return selectors.draws(status=self.request.query_params.get("status", ""))

    @extend_schema(request=InputSerializer, responses={201: DrawOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = Case.objects.filter(pk=values.pop("case")).first()
        if case is None:
            raise ApplicationError(_("办件不存在。"), "not_found", status=404)
        field = ExpertField.objects.filter(pk=values.pop("field")).first()
        exclusions = values.pop("exclusions")
        if any(not str(k).isdigit() for k in exclusions):
            raise ApplicationError(_("排除名单须以专家编号为键。"), "invalid")
        draw = services.draw_create(case=case, field=field, by=request.user,
                                    exclusions={int(k): v for k, v in exclusions.items()},
                                    **values)
        return Response(DrawOutput(_draw(request, draw.pk)).data, status=201)


class DrawDetailApi(APIView):
    serializer_class = DrawOutput

    @extend_schema(responses=DrawOutput)
    def get(self, request, draw_id: int):
        return Response(DrawOutput(_draw(request, draw_id)).data)


class VerifyOutput(serializers.Serializer):
    verified = serializers.BooleanField()
    rounds = serializers.ListField(child=serializers.DictField())

    class Meta:
        ref_name = "ExpertDrawVerify"


class DrawVerifyApi(APIView):
    """GET: recompute every round from the record (what ``experts_verify_draw`` does)."""

    @extend_schema(responses=VerifyOutput)
    def get(self, request, draw_id: int):
        checks = services.draw_verify(_draw(request, draw_id))
        return Response({"verified": bool(checks) and all(c.ok for c in checks),
                         "rounds": [{"number": c.number, "ok": c.ok, "recorded": c.recorded,
                                     "recomputed": c.recomputed, "problems": c.problems}
                                    for c in checks]})


class DrawRefillApi(APIView):
    @extend_schema(request=None, responses={201: RoundOutput})
    def post(self, request, draw_id: int):
        round_ = services.draw_refill(draw=_draw(request, draw_id), by=request.user)
        return Response(RoundOutput(round_).data, status=201)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)

    class Meta:
        ref_name = "ExpertReasonInput"


class DrawCancelApi(APIView):
    @extend_schema(request=ReasonInput, responses=DrawOutput)
    def post(self, request, draw_id: int):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        draw = services.draw_cancel(draw=_draw(request, draw_id), by=request.user,
                                    reason=data.validated_data["reason"])
        return Response(DrawOutput(_draw(request, draw.pk)).data)


class InvitationAcceptApi(APIView):
    @extend_schema(request=None, responses=InvitationOutput)
    def post(self, request, invitation_id: int):
        invitation = invitation_services.invitation_accept(
            invitation=_invitation(request, invitation_id), by=request.user)
        return Response(InvitationOutput(invitation).data)


class DeclineOutput(serializers.Serializer):
    invitation = InvitationOutput()
    redraw = RoundOutput(allow_null=True)

    class Meta:
        ref_name = "ExpertDeclineOutput"


class InvitationDeclineApi(APIView):
    """POST {reason}: decline; the place is redrawn at once (``redraw`` null if nobody
    eligible was left)."""

    @extend_schema(request=ReasonInput, responses=DeclineOutput)
    def post(self, request, invitation_id: int):
        invitation = _invitation(request, invitation_id)
        reason = str(request.data.get("reason", "") or "")
        invitation, round_ = invitation_services.invitation_decline(
            invitation=invitation, by=request.user, reason=reason)
        return Response(DeclineOutput({"invitation": invitation, "redraw": round_}).data)


class InvitationAttendanceApi(APIView):
    class InputSerializer(serializers.Serializer):
        attended = serializers.BooleanField()

        class Meta:
            ref_name = "ExpertAttendanceInput"

    @extend_schema(request=InputSerializer, responses=InvitationOutput)
    def post(self, request, invitation_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitation_services.invitation_attendance(
            invitation=_invitation(request, invitation_id), by=request.user,
            attended=data.validated_data["attended"])
        return Response(InvitationOutput(invitation).data)
