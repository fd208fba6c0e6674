"""Inspection API: the checklist with results, evidence and score; start; record an item;
photos and videos with capture time and position; propose, confirm and withdraw the
conclusion; rectification (补齐补正) by the applicant side and its online verification.
Each view checks the object is visible to the user (404 otherwise), validates the input
and calls one ``inspections.services.conduct`` service, which decides who may act."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Case
from inspections.models import (
    ItemEvidence,
    Outcome,
    Result,
    TaskItem,
)
from inspections.selectors import conclusion_get, evidence_get, task_get, task_item_get
from inspections.services import conduct
from portal.core.downloads import download_response

# ---------------------------------------------------------------- output


class EvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    purpose = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    captured_at = serializers.DateTimeField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    accuracy_m = serializers.IntegerField(allow_null=True)
    uploaded_by = serializers.CharField()
    uploaded_at = serializers.DateTimeField()

    class Meta:
        ref_name = "InspectionEvidence"


class ItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    category = serializers.CharField()
    title = serializers.CharField()
    requirement = serializers.CharField()
    method = serializers.CharField()
    weight = serializers.IntegerField()
    veto = serializers.BooleanField()
    order = serializers.IntegerField()
    cases = serializers.SerializerMethodField()
    result = serializers.CharField()
    comment = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    rectify_required = serializers.BooleanField()
    rectify_note = serializers.CharField()
    rectify_verified = serializers.BooleanField(allow_null=True)
    rectify_comment = serializers.CharField()
    evidence = EvidenceOutput(many=True, source="evidence.all")

    class Meta:
        ref_name = "InspectionTaskItem"

    def get_cases(self, obj) -> list[str]:
        return [c.number for c in obj.cases.all()]


class ScoreOutput(serializers.Serializer):
    percent = serializers.DecimalField(max_digits=5, decimal_places=1)
    pass_line = serializers.IntegerField()
    passes = serializers.BooleanField()
    open_failures = serializers.SerializerMethodField()
    veto_failed = serializers.SerializerMethodField()
    unanswered = serializers.SerializerMethodField()

    class Meta:
        ref_name = "InspectionScore"

    def get_open_failures(self, obj) -> list[int]:
        return [i.pk for i in obj.open_failures]

    def get_veto_failed(self, obj) -> list[int]:
        return [i.pk for i in obj.veto_failed]

    def get_unanswered(self, obj) -> list[int]:
        return [i.pk for i in obj.unanswered]


class ChecklistOutput(serializers.Serializer):
    task = serializers.IntegerField(source="task.pk")
    status = serializers.CharField(source="task.status")
    items = ItemOutput(many=True)
    score = ScoreOutput()

    class Meta:
        ref_name = "InspectionChecklist"


class TaskStateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    outcome = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    rectify_due = serializers.DateField(allow_null=True)
    rectify_submitted_at = serializers.DateTimeField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "InspectionTaskState"


class ConclusionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    round = serializers.IntegerField()
    outcome = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    note = serializers.CharField()
    rectify_due = serializers.DateField(allow_null=True)
    proposed_by = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "InspectionConclusion"


# ---------------------------------------------------------------- helpers

def _item_out(item: TaskItem) -> dict:
    item = (TaskItem.objects.prefetch_related(
        Prefetch("evidence", queryset=ItemEvidence.objects.select_related("uploaded_by")),
        "cases").get(pk=item.pk))
    return ItemOutput(item).data


# ---------------------------------------------------------------- views

class TaskChecklistApi(APIView):
    """GET inspection-tasks/{id}/items/: the checklist, evidence metadata and the score."""

    @extend_schema(responses=ChecklistOutput)
    def get(self, request, task_id: int):
        task = task_get(request.user, task_id)
        items = list(task.items.prefetch_related(
            Prefetch("evidence", queryset=ItemEvidence.objects.select_related("uploaded_by")
                     .order_by("uploaded_at", "pk")),
            Prefetch("cases", queryset=Case.objects.order_by("pk"))))
        score = conduct.task_score(task, items)
        return Response(ChecklistOutput({"task": task, "items": items, "score": score}).data)


class TaskStartApi(APIView):
    """POST inspection-tasks/{id}/start/: 开始勘验 (an assigned inspector)."""

    @extend_schema(request=None, responses=TaskStateOutput)
    def post(self, request, task_id: int):
        task = conduct.task_start(task=task_get(request.user, task_id), by=request.user)
        return Response(TaskStateOutput(task).data)


class ItemResultApi(APIView):
    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=Result.choices)
        comment = serializers.CharField(max_length=2000, required=False, default="",
                                        allow_blank=True)

        class Meta:
            ref_name = "InspectionItemResultInput"

    @extend_schema(request=InputSerializer, responses=ItemOutput)
    def post(self, request, item_id: int):
        item = task_item_get(request.user, item_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = conduct.item_record(item=item, by=request.user, **data.validated_data)
        return Response(_item_out(item))


class ItemEvidenceApi(APIView):
    """POST inspection-task-items/{id}/evidence/: a photo or video (inspectors) or
    rectification evidence (the applicant side), multipart."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        captured_at = serializers.DateTimeField(required=False, allow_null=True)
        latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90,
                                          max_value=90)
        longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180,
                                           max_value=180)
        accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)

        class Meta:
            ref_name = "InspectionEvidenceInput"

    @extend_schema(request=InputSerializer, responses={201: EvidenceOutput})
    def post(self, request, item_id: int):
        item = task_item_get(request.user, item_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        evidence = conduct.evidence_add(
            item=item, upload=v["file"], by=request.user, captured_at=v.get("captured_at"),
            latitude=v.get("latitude"), longitude=v.get("longitude"),
            accuracy_m=v.get("accuracy_m"))
        return Response(EvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceDownloadApi(APIView):
    """GET inspection-evidence/{id}/download/ (audited)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, evidence_id: int):
        evidence = evidence_get(request.user, evidence_id)
        return download_response(conduct.evidence_download(evidence=evidence, by=request.user))


class ConclusionProposeApi(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        note = serializers.CharField(max_length=4000)
        rectify_due = serializers.DateField(required=False, allow_null=True)

        class Meta:
            ref_name = "InspectionConclusionInput"

    @extend_schema(request=InputSerializer, responses={201: ConclusionOutput})
    def post(self, request, task_id: int):
        task = task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        conclusion = conduct.conclusion_propose(task=task, outcome=v["outcome"], note=v["note"],
                                                rectify_due=v.get("rectify_due"),
                                                by=request.user)
        return Response(ConclusionOutput(conclusion).data, status=status.HTTP_201_CREATED)


class ConclusionConfirmApi(APIView):
    """POST inspection-conclusions/{id}/confirm/: the other inspector confirms."""

    @extend_schema(request=None, responses=ConclusionOutput)
    def post(self, request, conclusion_id: int):
        conclusion = conduct.conclusion_confirm(conclusion=conclusion_get(request.user, conclusion_id),
                                                by=request.user)
        return Response(ConclusionOutput(conclusion).data)


class ConclusionWithdrawApi(APIView):
    """POST inspection-conclusions/{id}/withdraw/: the proposer withdraws, or the other
    inspector declines with a reason."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300, required=False, default="",
                                       allow_blank=True)

        class Meta:
            ref_name = "InspectionWithdrawInput"

    @extend_schema(request=InputSerializer, responses=ConclusionOutput)
    def post(self, request, conclusion_id: int):
        conclusion = conclusion_get(request.user, conclusion_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conduct.conclusion_withdraw(conclusion=conclusion, by=request.user,
                                    reason=data.validated_data["reason"])
        conclusion.refresh_from_db()
        return Response(ConclusionOutput(conclusion).data)


class RectificationNoteApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000, allow_blank=True)

        class Meta:
            ref_name = "InspectionRectificationNoteInput"

    @extend_schema(request=InputSerializer, responses=ItemOutput)
    def post(self, request, item_id: int):
        item = task_item_get(request.user, item_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = conduct.rectification_note(item=item, note=data.validated_data["note"],
                                          by=request.user)
        return Response(_item_out(item))


class RectificationSubmitApi(APIView):
    """POST inspection-tasks/{id}/rectification/submit/: 提交整改 (the applicant side)."""

    @extend_schema(request=None, responses=TaskStateOutput)
    def post(self, request, task_id: int):
        task = conduct.rectification_submit(task=task_get(request.user, task_id),
                                            by=request.user)
        return Response(TaskStateOutput(task).data)


class RectifyVerifyApi(APIView):
    class InputSerializer(serializers.Serializer):
        ok = serializers.BooleanField()
        comment = serializers.CharField(max_length=2000, required=False, default="",
                                        allow_blank=True)

        class Meta:
            ref_name = "InspectionVerifyInput"

    @extend_schema(request=InputSerializer, responses=ItemOutput)
    def post(self, request, item_id: int):
        item = task_item_get(request.user, item_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = conduct.rectify_verify(item=item, by=request.user, **data.validated_data)
        return Response(_item_out(item))

