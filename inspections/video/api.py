"""Video call API (mounted at /api/v1/ by ``inspections/api/urls_video.py``): start,
upload chunks of, finish and close a recording; list and download recordings; report the
applicant's position; the premises' coordinates; giving a call up (改期/转现场); the
call's configuration (ICE servers, websocket path). Each view
looks the object up as visible to the user (404 otherwise), validates the input and calls
one ``inspections.video.services`` service, which decides who may act."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections.selectors import task_get
from inspections.video import services
from inspections.video.access import call_admit
from inspections.video.ice import ice_servers
from inspections.video.models import CallFallback
from inspections.video.selectors import recording_get, task_recordings
from portal.core.downloads import download_response


class RecordingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    status = serializers.CharField()
    started_by = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    chunk_count = serializers.IntegerField()
    size = serializers.IntegerField()
    missing_chunks = serializers.ListField(child=serializers.IntegerField())
    sha256 = serializers.CharField()

    class Meta:
        ref_name = "InspectionCallRecording"


class ChunkOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()

    class Meta:
        ref_name = "InspectionCallRecordingChunk"


class LocationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    accuracy_m = serializers.IntegerField(allow_null=True)
    captured_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField()
    distance_m = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "InspectionCallLocation"


class FallbackOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    kind = serializers.CharField()
    reason = serializers.CharField()
    resume_at = serializers.DateTimeField(allow_null=True)
    by = serializers.CharField()
    at = serializers.DateTimeField()
    recordings = serializers.ListField(child=serializers.IntegerField())
    cancelled_booking = serializers.IntegerField(source="cancelled_booking_id", allow_null=True)

    class Meta:
        ref_name = "InspectionCallFallback"


class PremisesOutput(serializers.Serializer):
    task = serializers.IntegerField(source="pk")
    address = serializers.CharField()
    latitude = serializers.DecimalField(source="premises_latitude", max_digits=9,
                                        decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(source="premises_longitude", max_digits=9,
                                         decimal_places=6, allow_null=True)

    class Meta:
        ref_name = "InspectionPremises"


class CallConfigOutput(serializers.Serializer):
    role = serializers.CharField()
    websocket = serializers.CharField()
    ice_servers = serializers.ListField(child=serializers.DictField())

    class Meta:
        ref_name = "InspectionCallConfig"


class CallConfigApi(APIView):
    """GET inspection-tasks/{id}/call/: what a participant's browser needs to join."""

    @extend_schema(responses=CallConfigOutput)
    def get(self, request, task_id: int):
        task = task_get(request.user, task_id)
        participant = call_admit(request.user, task)
        return Response(CallConfigOutput({
            "role": participant.role,
            "websocket": f"/ws/inspections/tasks/{task.pk}/call/",
            "ice_servers": ice_servers(request.user.pk)}).data)


class TaskRecordingsApi(APIView):
    """GET: the task's recordings; POST: an inspector in the call starts one."""

    @extend_schema(responses=RecordingOutput(many=True))
    def get(self, request, task_id: int):
        task = task_get(request.user, task_id)
        return Response(RecordingOutput(task_recordings(task), many=True).data)

    @extend_schema(request=None, responses={201: RecordingOutput})
    def post(self, request, task_id: int):
        recording = services.recording_start(task=task_get(request.user, task_id),
                                             by=request.user)
        return Response(RecordingOutput(recording).data, status=status.HTTP_201_CREATED)


class RecordingChunkApi(APIView):
    """POST inspection-recordings/{id}/chunks/{seq}/: one timeslice, multipart ``file``.
    Sending a chunk again with the same bytes is harmless."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

        class Meta:
            ref_name = "InspectionCallChunkInput"

    @extend_schema(request=InputSerializer, responses={201: ChunkOutput})
    def post(self, request, recording_id: int, seq: int):
        recording = recording_get(request.user, recording_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chunk = services.recording_chunk(recording=recording, seq=seq,
                                         upload=data.validated_data["file"], by=request.user)
        return Response(ChunkOutput(chunk).data, status=status.HTTP_201_CREATED)


class RecordingFinishApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        expected_chunks = serializers.IntegerField(required=False, allow_null=True,
                                                   min_value=0, max_value=100_000)

        class Meta:
            ref_name = "InspectionCallFinishInput"

    @extend_schema(request=InputSerializer, responses=RecordingOutput)
    def post(self, request, recording_id: int):
        recording = recording_get(request.user, recording_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recording = services.recording_finish(
            recording=recording, by=request.user,
            expected_chunks=data.validated_data.get("expected_chunks"))
        return Response(RecordingOutput(recording).data)


class RecordingAbandonApi(APIView):
    """POST inspection-recordings/{id}/abandon/: close a dropped recording from what
    arrived (the recorder, or the other inspector once it has gone quiet)."""

    @extend_schema(request=None, responses=RecordingOutput)
    def post(self, request, recording_id: int):
        recording = services.recording_abandon(
            recording=recording_get(request.user, recording_id), by=request.user)
        return Response(RecordingOutput(recording).data)


class RecordingDownloadApi(APIView):
    """GET inspection-recordings/{id}/download/ (audited)."""

    @extend_schema(responses={(200, "video/webm"): bytes})
    def get(self, request, recording_id: int):
        recording = recording_get(request.user, recording_id)
        return download_response(services.recording_download(recording=recording,
                                                              by=request.user), inline=True)


class CallLocationApi(APIView):
    """POST inspection-tasks/{id}/call-locations/: the applicant side's browser position."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        latitude = serializers.FloatField(min_value=-90, max_value=90)
        longitude = serializers.FloatField(min_value=-180, max_value=180)
        accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)
        captured_at = serializers.DateTimeField(required=False, allow_null=True)

        class Meta:
            ref_name = "InspectionCallLocationInput"

    @extend_schema(responses=LocationOutput(many=True))
    def get(self, request, task_id: int):
        """The positions reported in the task's calls, with their distance to the premises."""
        task = task_get(request.user, task_id)
        return Response(LocationOutput(task.call_locations.order_by("received_at", "pk"),
                                       many=True).data)

    @extend_schema(request=InputSerializer, responses={201: LocationOutput})
    def post(self, request, task_id: int):
        task = task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = services.location_record(task=task, by=request.user, **data.validated_data)
        return Response(LocationOutput(location).data, status=status.HTTP_201_CREATED)


class PremisesApi(APIView):
    """GET/PUT inspection-tasks/{id}/premises/: the premises' coordinates (WGS-84) the
    applicant's position is compared with; PUT by a dispatcher or the task's inspector."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90,
                                            max_value=90)
        longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180,
                                             max_value=180)
        update_applicant = serializers.BooleanField(required=False, default=False)

        class Meta:
            ref_name = "InspectionPremisesInput"

    @extend_schema(responses=PremisesOutput)
    def get(self, request, task_id: int):
        return Response(PremisesOutput(task_get(request.user, task_id)).data)

    @extend_schema(request=InputSerializer, responses=PremisesOutput)
    def put(self, request, task_id: int):
        task = task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_set_premises(task=task, by=request.user, **data.validated_data)
        return Response(PremisesOutput(task).data)


class CallFallbackApi(APIView):
    """GET inspection-tasks/{id}/call-fallbacks/: calls given up; POST: give the call up
    (``reschedule`` or ``onsite``), keeping what was recorded."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=CallFallback.Kind.choices)
        reason = serializers.CharField(max_length=300)
        resume_at = serializers.DateTimeField(required=False, allow_null=True)

        class Meta:
            ref_name = "InspectionCallFallbackInput"

    @extend_schema(responses=FallbackOutput(many=True))
    def get(self, request, task_id: int):
        task = task_get(request.user, task_id)
        return Response(FallbackOutput(task.call_fallbacks.select_related("by")
                                       .order_by("at", "pk"), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: FallbackOutput})
    def post(self, request, task_id: int):
        task = task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fallback = services.call_fallback(task=task, by=request.user, **data.validated_data)
        return Response(FallbackOutput(fallback).data, status=status.HTTP_201_CREATED)
