"""Risk alert API (/api/v1/risk-alerts/...): the list by level and status, one alert,
assign (the alert role) and close with a note (assignee or the alert role)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.catalogue import RiskLevel
from portal.core.errors import ApplicationError, PermissionRefused
from portal.ratings import selectors
from portal.ratings.api.serializers import AlertOutput, AssignInput, NoteInput
from portal.ratings.models import AlertStatus, RiskRule
from portal.ratings.permissions import can_view_alert
from portal.ratings.services import alerts as services


def _alert(request, alert_id: int):
    alert = selectors.alert_detail(alert_id)
    if alert is None or not can_view_alert(request.user, alert):
        raise ApplicationError(_("风险预警不存在。"), "not_found", status=404)
    return alert


class AlertListApi(ListAPIView):
    serializer_class = AlertOutput

    @extend_schema(parameters=[
        OpenApiParameter("level", str, enum=RiskLevel.values),
        OpenApiParameter("status", str, enum=["active", *AlertStatus.values]),
        OpenApiParameter("rule", str, enum=RiskRule.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.request.user.is_bureau_staff:
            raise PermissionRefused(_("无权查看风险预警。"), "permission_denied")
        p = self.request.query_params
        level, status, rule = p.get("level", ""), p.get("status", ""), p.get("rule", "")
        if (level and level not in RiskLevel.values) or (rule and rule not in RiskRule.values) \
                or (status and status not in ["active", *AlertStatus.values]):
            raise ApplicationError(_("筛选条件有误。"), "invalid")
        return selectors.alerts(user=self.request.user, level=level, status=status, rule=rule)


class AlertDetailApi(APIView):
    serializer_class = AlertOutput

    @extend_schema(responses=AlertOutput)
    def get(self, request, alert_id: int):
        return Response(AlertOutput(_alert(request, alert_id)).data)


class AlertAssignApi(APIView):
    @extend_schema(request=AssignInput, responses=AlertOutput)
    def post(self, request, alert_id: int):
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = get_user_model().objects.filter(pk=data.validated_data["assignee"]).first()
        services.alert_assign(alert=_alert(request, alert_id), assignee=assignee,
                              note=data.validated_data["note"], by=request.user)
        return Response(AlertOutput(_alert(request, alert_id)).data)


class AlertCloseApi(APIView):
    @extend_schema(request=NoteInput, responses=AlertOutput)
    def post(self, request, alert_id: int):
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.alert_close(alert=_alert(request, alert_id), note=data.validated_data["note"],
                             by=request.user)
        return Response(AlertOutput(_alert(request, alert_id)).data)
