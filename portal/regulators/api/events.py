"""REST API for a department's results (/api/v1/regulators/events/...): pull the events
(the same payloads that are pushed, for departments without a receiver or to catch up)
and claim one. Only a department's own users, with their own token."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.errors import ApplicationError, PermissionRefused
from portal.regulators import selectors
from portal.regulators.models import Claim
from portal.regulators.permissions import department_of
from portal.regulators.services.claims import claim_result


def require_department(user):
    department = department_of(user)
    if department is None:
        raise PermissionRefused(_("只有行业主管部门的用户可以使用该接口。"), "not_regulator")
    return department


class ClaimOutput(serializers.Serializer):
    claim_due = serializers.DateField()
    limit_days = serializers.IntegerField()
    claimed_at = serializers.DateTimeField(allow_null=True)
    claimed_by = serializers.CharField(source="claimed_by.__str__", allow_null=True,
                                       default=None)
    via = serializers.CharField()

    class Meta:
        ref_name = "RegulatorClaim"


class EventOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    delivery_status = serializers.CharField(source="status")
    payload = serializers.JSONField(help_text="与推送报文相同（签名时的 JSON 对象）")
    claim = serializers.SerializerMethodField()

    class Meta:
        ref_name = "RegulatorEvent"

    @extend_schema(responses=ClaimOutput(allow_null=True))
    def get_claim(self, obj) -> dict | None:
        claim = getattr(obj, "claim", None)
        return ClaimOutput(claim).data if claim is not None else None


class EventListApi(ListAPIView):
    """Your department's events, newest first. ``state``: unclaimed / claimed / overdue;
    ``since``: only events written after this time (ISO 8601)."""

    serializer_class = EventOutput

    @extend_schema(parameters=[
        OpenApiParameter("state", str, enum=list(selectors.CLAIM_STATES), required=False),
        OpenApiParameter("since", str, description="ISO 8601 时间", required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        department = require_department(self.request.user)
        since = self.request.query_params.get("since")
        return selectors.department_events(
            department=department, state=self.request.query_params.get("state", ""),
            since=_parse_since(since) if since else None)


def _parse_since(value: str):
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise ApplicationError(_("since 须为 ISO 8601 时间，如 2026-11-20T08:00:00+08:00。"),
                               "invalid_since")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class EventClaimApi(APIView):
    """Claim a result for your department (idempotent; a colleague's claim wins: 409)."""

    @extend_schema(request=None, responses=ClaimOutput)
    def post(self, request, event_id):
        require_department(request.user)
        event = selectors.event_get(event_id)
        if event is None:
            raise ApplicationError(_("审批结果不存在。"), "not_found", status=404)
        claim = claim_result(event=event, by=request.user, via=Claim.Via.API)
        return Response(ClaimOutput(claim).data)
