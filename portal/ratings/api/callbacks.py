"""Callback API (/api/v1/ratings/callback-tasks/..., .../callback-samples/...): the sampled
cases to call back, one task with its calls, recording a call, and each day's sample with
its seed and a recomputation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.errors import ApplicationError, PermissionRefused
from portal.ratings import selectors
from portal.ratings.api.serializers import (
    CallbackTaskDetailOutput,
    CallbackTaskOutput,
    CallInput,
    CallOutput,
    SampleDetailOutput,
    SampleOutput,
)
from portal.ratings.models import CallbackSample, CallbackTaskStatus
from portal.ratings.permissions import can_view_callback_task, is_callback_staff
from portal.ratings.services.callbacks import callback_call_record, sample_verify


def _task(request, task_id: int):
    task = selectors.callback_task_detail(task_id)
    if task is None or not can_view_callback_task(request.user, task):
        raise ApplicationError(_("回访任务不存在。"), "not_found", status=404)
    return task


class CallbackTaskListApi(ListAPIView):
    serializer_class = CallbackTaskOutput

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=CallbackTaskStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.request.user.is_bureau_staff:
            raise PermissionRefused(_("无权查看回访任务。"), "permission_denied")
        status = self.request.query_params.get("status", "")
        if status and status not in CallbackTaskStatus.values:
            raise ApplicationError(_("未知的回访任务状态。"), "invalid_status")
        return selectors.callback_tasks(user=self.request.user, status=status)


class CallbackTaskDetailApi(APIView):
    serializer_class = CallbackTaskDetailOutput

    @extend_schema(responses=CallbackTaskDetailOutput)
    def get(self, request, task_id: int):
        return Response(CallbackTaskDetailOutput(_task(request, task_id)).data)


class CallbackCallApi(APIView):
    """POST: record one call of the task (a reached outcome completes it)."""

    @extend_schema(request=CallInput, responses={201: CallOutput})
    def post(self, request, task_id: int):
        data = CallInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = callback_call_record(task=_task(request, task_id), by=request.user,
                                      **data.validated_data)
        return Response(CallOutput(record).data, status=201)


class SampleListApi(ListAPIView):
    serializer_class = SampleOutput

    def get_queryset(self):
        if not is_callback_staff(self.request.user):
            raise PermissionRefused(_("无权查看回访抽样记录。"), "permission_denied")
        return CallbackSample.objects.order_by("-day")


class SampleDetailApi(APIView):
    serializer_class = SampleDetailOutput

    @extend_schema(responses=SampleDetailOutput)
    def get(self, request, sample_id: int):
        if not is_callback_staff(request.user):
            raise PermissionRefused(_("无权查看回访抽样记录。"), "permission_denied")
        sample = CallbackSample.objects.filter(pk=sample_id).first()
        if sample is None:
            raise ApplicationError(_("抽样记录不存在。"), "not_found", status=404)
        check = sample_verify(sample)
        data = SampleOutput(sample).data | {
            "verified": check.ok, "recomputed": check.recomputed,
            "population_matches": check.population_matches}
        return Response(data)
