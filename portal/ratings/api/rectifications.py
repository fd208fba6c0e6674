"""Rectification API (/api/v1/ratings/rectifications/...): list (supervisors all, handlers
their own), detail (also the applicant side, without staff names and call records), and
the actions: assign, answer, callback, dismiss, appeal (applicant side), decision."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.errors import ApplicationError, PermissionRefused
from portal.ratings import selectors
from portal.ratings.api.serializers import (
    AppealOutput,
    AssignInput,
    CallInput,
    CallOutput,
    DecisionInput,
    MeasuresInput,
    ReasonInput,
    RectificationBrief,
    RectificationOutput,
)
from portal.ratings.models import Rectification, RectificationStatus
from portal.ratings.permissions import can_view_rectification
from portal.ratings.services import rectifications as services


def _item(request, item_id: int) -> Rectification:
    item = selectors.rectification_detail(item_id)
    if item is None or not can_view_rectification(request.user, item):
        raise ApplicationError(_("整改事项不存在。"), "not_found", status=404)
    return item


def _out(request, item_id: int) -> Response:
    return Response(RectificationOutput(_item(request, item_id),
                                        context={"staff": request.user.is_bureau_staff}).data)


def _input(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class RectificationListApi(ListAPIView):
    serializer_class = RectificationBrief

    @extend_schema(parameters=[
        OpenApiParameter("status", str, enum=RectificationStatus.values),
        OpenApiParameter("overdue", bool, description="只看答复已超期的")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.request.user.is_bureau_staff:
            raise PermissionRefused(_("无权查看整改事项清单。"), "permission_denied")
        status = self.request.query_params.get("status", "")
        if status and status not in RectificationStatus.values:
            raise ApplicationError(_("未知的整改状态。"), "invalid_status")
        return selectors.rectifications(
            user=self.request.user, status=status,
            overdue=self.request.query_params.get("overdue") in ("1", "true"))


class RectificationDetailApi(APIView):
    serializer_class = RectificationOutput

    @extend_schema(responses=RectificationOutput)
    def get(self, request, item_id: int):
        return _out(request, item_id)


class RectificationAssignApi(APIView):
    @extend_schema(request=AssignInput, responses=RectificationOutput)
    def post(self, request, item_id: int):
        data = _input(AssignInput, request)
        assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
        services.rectification_assign(item=_item(request, item_id), assignee=assignee,
                                      note=data["note"], by=request.user)
        return _out(request, item_id)


class RectificationAnswerApi(APIView):
    @extend_schema(request=MeasuresInput, responses=RectificationOutput)
    def post(self, request, item_id: int):
        data = _input(MeasuresInput, request)
        services.rectification_answer(item=_item(request, item_id), measures=data["measures"],
                                      by=request.user)
        return _out(request, item_id)


class RectificationCallbackApi(APIView):
    @extend_schema(request=CallInput, responses={201: CallOutput})
    def post(self, request, item_id: int):
        data = _input(CallInput, request)
        record = services.rectification_callback(item=_item(request, item_id), by=request.user,
                                                 **data)
        return Response(CallOutput(record).data, status=201)


class RectificationDismissApi(APIView):
    @extend_schema(request=ReasonInput, responses=RectificationOutput)
    def post(self, request, item_id: int):
        data = _input(ReasonInput, request)
        services.rectification_dismiss(item=_item(request, item_id), reason=data["reason"],
                                       by=request.user)
        return _out(request, item_id)


class RectificationAppealApi(APIView):
    @extend_schema(request=ReasonInput, responses={201: AppealOutput})
    def post(self, request, item_id: int):
        data = _input(ReasonInput, request)
        appeal = services.rectification_appeal(item=_item(request, item_id),
                                               reason=data["reason"], by=request.user)
        return Response(AppealOutput(appeal).data, status=201)


class RectificationDecisionApi(APIView):
    @extend_schema(request=DecisionInput, responses=AppealOutput)
    def post(self, request, item_id: int):
        data = _input(DecisionInput, request)
        appeal = services.appeal_decide(item=_item(request, item_id), by=request.user, **data)
        return Response(AppealOutput(appeal).data)
