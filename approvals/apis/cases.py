"""REST API for the catalogue and cases. Each view validates, selects, calls one service."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors, services
from approvals.models import Matter, ReturnReason
from approvals.workflow import TRANSITIONS_BY_SLUG, CaseStatus
from inspections.tiers import Mode, Tier
from portal.accounts.masking import mask_identity, mask_phone
from portal.accounts.models import Applicant
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


class CurrentMaterialOutput(serializers.Serializer):
    """An uploaded material file (the current version for its requirement)."""

    id = serializers.IntegerField()
    requirement = serializers.IntegerField(source="requirement_id", allow_null=True)
    name = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DeficiencyOutput(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement_id")
    material = serializers.CharField(source="requirement.name")
    promise_date = serializers.DateField()
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()


class NoticeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField(source="get_kind_display")
    number = serializers.CharField()
    sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()


class SupplementLineOutput(serializers.Serializer):
    material_name = serializers.CharField()
    problem = serializers.CharField()
    reason = serializers.CharField()


class CaseDetailOutput(CaseListOutput):
    address = serializers.CharField()
    form_data = serializers.JSONField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    history = HistoryOutput(many=True, source="history.all")
    stages = StageOutput(many=True, source="stages.all")
    materials = CurrentMaterialOutput(many=True, source="current_materials")
    deficiencies = DeficiencyOutput(many=True, source="deficiencies.all")
    notices = NoticeOutput(many=True, source="notices.all")
    supplement_items = serializers.SerializerMethodField()
    commitment_signed_at = serializers.DateTimeField(allow_null=True)
    group = serializers.IntegerField(source="group_id", allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    @extend_schema_field(SupplementLineOutput(many=True))
    def get_supplement_items(self, obj) -> list[dict]:
        request = getattr(obj, "supplement_request", None)
        if request is None:
            return []
        return SupplementLineOutput(request.items.all(), many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return [spec.slug for spec in services.case_allowed_transitions(case=obj, user=user)]


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="客户端生成的 UUID；重复提交同一键只创建一件办件，返回第一次的结果。")


def idempotency_key(request) -> UUID | None:
    raw = request.headers.get("Idempotency-Key", "").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ApplicationError(_("Idempotency-Key 须为 UUID。"), "invalid_idempotency_key") from None


def _applicant_for(user, applicant_id: int | None) -> Applicant:
    """Yourself; or, for an agent or a counter clerk, the applicant named in the request."""
    if applicant_id is None:
        applicant = getattr(user, "applicant", None)
        if applicant is None:
            raise PermissionRefused(_("只有已登记的申请人可以网上申报。"), "not_applicant")
        return applicant
    applicant = Applicant.objects.filter(pk=applicant_id).first()
    if applicant is None:
        raise ApplicationError(_("申请人不存在。"), "not_found", status=404)
    return applicant


class CaseListApi(ListAPIView):
    """List the cases you may see (``?status=``), or create a draft."""

    serializer_class = CaseListOutput

    class InputSerializer(serializers.Serializer):
        matter = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Matter.objects.filter(is_active=True))
        title = serializers.CharField(max_length=200, required=False, default="")
        address = serializers.CharField(max_length=200, required=False, default="")
        form_data = serializers.JSONField(required=False, default=dict)
        applicant = serializers.IntegerField(required=False, help_text="代办员或窗口代为申报时填写")
        channel = serializers.ChoiceField(choices=["online", "counter"], default="online")

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

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutput,
                                                       200: CaseDetailOutput},
                   parameters=[IDEMPOTENCY_KEY])
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant = _applicant_for(request.user, data.validated_data.get("applicant"))
        token = idempotency_key(request)
        repeat = token is not None and selectors.case_list(user=request.user).filter(
            created_by=request.user, client_token=token).exists()
        case = services.case_create(matter=data.validated_data["matter"], applicant=applicant,
                                    by=request.user, title=data.validated_data["title"],
                                    address=data.validated_data["address"],
                                    form_data=data.validated_data["form_data"],
                                    channel=data.validated_data["channel"], token=token)
        case = selectors.case_get(user=request.user, case_id=case.pk)
        return Response(CaseDetailOutput(case, context={"request": request}).data,
                        status=status.HTTP_200_OK if repeat else status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOutput)
    def get(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        return Response(CaseDetailOutput(case, context={"request": request}).data)



class CaseTransitionApi(APIView):
    """Run a workflow transition: POST /api/v1/cases/{id}/{transition}/ (kebab-case)."""

    class SupplementItemInput(serializers.Serializer):
        requirement = serializers.IntegerField(required=False, allow_null=True)
        material_name = serializers.CharField(max_length=200, required=False, default="")
        problem = serializers.ChoiceField(choices=["missing", "defective"], default="missing")
        reason = serializers.CharField(max_length=500)

        class Meta:
            ref_name = "SupplementItemInput"

    class ToleratedInput(serializers.Serializer):
        requirement = serializers.IntegerField()
        promise_date = serializers.DateField()

        class Meta:
            ref_name = "ToleratedInput"

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                     default="")
        items = serializers.ListField(required=False, max_length=100,
                                      child=serializers.DictField())
        tolerated = serializers.ListField(required=False, max_length=50,
                                          child=serializers.DictField())
        legal_basis = serializers.CharField(max_length=300, required=False, default="")
        scope = serializers.CharField(max_length=2000, required=False, default="",
                                      help_text="出证：许可范围")
        reason_code = serializers.ChoiceField(choices=ReturnReason.choices, required=False,
                                              help_text="退件：原因代码")
        mode = serializers.ChoiceField(choices=Mode.choices, required=False,
                                       help_text="提请勘验：勘验方式")
        tier = serializers.ChoiceField(choices=Tier.choices, required=False,
                                       help_text="提请勘验：服务档次")
        valid_years = serializers.IntegerField(required=False, min_value=1, max_value=30,
                                               help_text="出证：有效期（年）")

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
        payload = self._payload(data.validated_data)
        services.case_transition(case_id=case_id, name=spec.name, by=request.user,
                                 note=data.validated_data["note"], data=payload)
        case = selectors.case_get(user=request.user, case_id=case_id)
        return Response(CaseDetailOutput(case, context={"request": request}).data)

    def _payload(self, validated: dict) -> dict:
        """Transition data, each list item validated by its own serializer."""
        payload = {}
        for key, serializer in (("items", self.SupplementItemInput),
                                ("tolerated", self.ToleratedInput)):
            if validated.get(key):
                rows = serializer(data=validated[key], many=True)
                rows.is_valid(raise_exception=True)
                payload[key] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                 for k, v in row.items()} for row in rows.validated_data]
        for key in ("legal_basis", "scope", "valid_years", "reason_code", "mode", "tier"):
            if validated.get(key):
                payload[key] = validated[key]
        return payload
