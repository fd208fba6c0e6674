"""REST API for the catalogue and cases. Each view validates, selects, calls one service."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors, services
from approvals.models import Matter
from approvals.workflow import TRANSITIONS_BY_SLUG, CaseStatus
from portal.accounts.masking import mask_identity, mask_phone
from portal.core.errors import ApplicationError, PermissionRefused


class MaterialOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    required = serializers.BooleanField()
    tolerable = serializers.BooleanField()


class MatterOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    section = serializers.CharField(source="section.name")
    industry = serializers.CharField()
    legal_basis = serializers.CharField()
    conditions = serializers.CharField()
    statutory_days = serializers.IntegerField()
    promised_days = serializers.IntegerField()
    fee = serializers.DecimalField(max_digits=10, decimal_places=2)
    risk_level = serializers.CharField()
    needs_inspection = serializers.BooleanField()
    inspection_modes = serializers.ListField(child=serializers.CharField())
    needs_expert_review = serializers.BooleanField()
    commitment_eligible = serializers.BooleanField()
    single_approver = serializers.BooleanField()
    form_schema = serializers.JSONField()
    materials = MaterialOutput(many=True, source="materials.all")


class MatterListApi(ListAPIView):
    serializer_class = MatterOutput

    def get_queryset(self):
        return selectors.matter_list()


class MatterDetailApi(APIView):
    @extend_schema(responses=MatterOutput)
    def get(self, request, code: str):
        matter = get_object_or_404(selectors.matter_list(), code=code)
        return Response(MatterOutput(matter).data)


class ApplicantBrief(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    def get_id_number(self, obj) -> str:
        return mask_identity(obj.kind, obj.id_number)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)


class CaseListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    matter = serializers.CharField(source="matter.code")
    matter_name = serializers.CharField(source="matter.name")
    applicant = ApplicantBrief()
    channel = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField(allow_null=True)
    promised_date = serializers.DateField(allow_null=True)


class HistoryOutput(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    transition = serializers.CharField()
    actor_role = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class StageOutput(serializers.Serializer):
    name = serializers.CharField()
    start_date = serializers.DateField()
    limit_days = serializers.IntegerField()
    paused_days = serializers.IntegerField()
    due_date = serializers.DateField()
    ended_at = serializers.DateTimeField(allow_null=True)
    calendar_uncertain = serializers.BooleanField()


class CaseDetailOutput(CaseListOutput):
    address = serializers.CharField()
    form_data = serializers.JSONField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    history = HistoryOutput(many=True, source="history.all")
    stages = StageOutput(many=True, source="stages.all")
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return [spec.slug for spec in services.case_allowed_transitions(case=obj, user=user)]


class CaseListApi(ListAPIView):
    """List the cases you may see (``?status=``), or create a draft."""

    serializer_class = CaseListOutput

    class InputSerializer(serializers.Serializer):
        matter = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Matter.objects.filter(is_active=True))
        title = serializers.CharField(max_length=200, required=False, default="")
        address = serializers.CharField(max_length=200, required=False, default="")
        form_data = serializers.JSONField(required=False, default=dict)

        class Meta:
            ref_name = "CaseCreateInput"

    def get_queryset(self):
        qs = selectors.case_list(user=self.request.user).order_by("-created_at", "-id")
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in CaseStatus.values:
                raise ApplicationError(_("未知的状态。"), "invalid_status")
            qs = qs.filter(status=wanted)
        return qs

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant = getattr(request.user, "applicant", None)
        if applicant is None:
            raise PermissionRefused(_("只有已登记的申请人可以网上申报。"), "not_applicant")
        case = services.case_create(matter=data.validated_data["matter"], applicant=applicant,
                                    by=request.user, title=data.validated_data["title"],
                                    address=data.validated_data["address"],
                                    form_data=data.validated_data["form_data"])
        case = selectors.case_get(user=request.user, case_id=case.pk)
        return Response(CaseDetailOutput(case, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOutput)
    def get(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        return Response(CaseDetailOutput(case, context={"request": request}).data)


class CaseTransitionApi(APIView):
    """Run a workflow transition: POST /api/v1/cases/{id}/{transition}/ (kebab-case)."""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                     default="")

        class Meta:
            ref_name = "CaseTransitionInput"

    @extend_schema(
        operation_id="cases_transition",
        request=InputSerializer,
        responses={200: CaseDetailOutput, 400: inline_serializer(
            "Refusal", {"code": serializers.CharField(), "detail": serializers.CharField()})},
    )
    def post(self, request, case_id: int, transition: str):
        spec = TRANSITIONS_BY_SLUG.get(transition)
        if spec is None:
            raise ApplicationError(_("未知的办理动作。"), "unknown_transition", status=404)
        selectors.case_get(user=request.user, case_id=case_id)  # 404 for strangers
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_transition(case_id=case_id, name=spec.name, by=request.user,
                                 note=data.validated_data["note"])
        case = selectors.case_get(user=request.user, case_id=case_id)
        return Response(CaseDetailOutput(case, context={"request": request}).data)
