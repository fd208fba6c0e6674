"""Intake API (受理): forms, materials, downloads, bundles, commitments, agents, the counter
queue and 即办件. Each view validates, selects with object-level checks, calls a service."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors
from approvals.apis.cases import (
    CaseDetailOutput,
    CaseListOutput,
    CurrentMaterialOutput,
    _applicant_for,
    idempotency_key,
)
from approvals.models import Bundle, CaseGroup
from approvals.services import downloads, intake
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError, PermissionRefused


def _detail(request, case_id: int) -> Response:
    case = selectors.case_get(user=request.user, case_id=case_id)
    return Response(CaseDetailOutput(case, context={"request": request}).data)


class CaseFormApi(APIView):
    """Save the application form (partial answers allowed in a draft)."""

    class InputSerializer(serializers.Serializer):
        form_data = serializers.DictField()
        title = serializers.CharField(max_length=200, required=False)
        address = serializers.CharField(max_length=200, required=False)

        class Meta:
            ref_name = "CaseFormInput"

    @extend_schema(request=InputSerializer, responses=CaseDetailOutput)
    def patch(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        errors = intake.case_save_form(case=case, by=request.user, **data.validated_data)
        response = _detail(request, case_id)
        response.data["form_errors"] = errors
        return response


class CaseMaterialListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        requirement = serializers.IntegerField()
        file = serializers.FileField()

        class Meta:
            ref_name = "MaterialUploadInput"

    @extend_schema(responses=CurrentMaterialOutput(many=True))
    def get(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        return Response(CurrentMaterialOutput(case.current_materials, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CurrentMaterialOutput})
    def post(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = case.matter.materials.filter(pk=data.validated_data["requirement"]).first()
        if requirement is None:
            raise ApplicationError(_("该材料不属于本事项。"), "wrong_requirement")
        material = intake.material_upload(case=case, requirement=requirement,
                                          upload=data.validated_data["file"], by=request.user)
        return Response(CurrentMaterialOutput(material).data, status=status.HTTP_201_CREATED)


class MaterialDownloadApi(APIView):
    """Download an uploaded material (may hold personal data: every view is audited)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, material_id: int):
        material = selectors.material_get(user=request.user, material_id=material_id)
        return download_response(downloads.material_download(material=material,
                                                              by=request.user))


class NoticeDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, notice_id: int):
        notice = selectors.notice_get(user=request.user, notice_id=notice_id)
        return download_response(downloads.notice_download(notice=notice, by=request.user))


class CaseCommitmentApi(APIView):
    class InputSerializer(serializers.Serializer):
        signer_name = serializers.CharField(max_length=100)

        class Meta:
            ref_name = "CommitmentInput"

    @extend_schema(request=InputSerializer, responses=CaseDetailOutput)
    def post(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intake.commitment_sign(case=case, by=request.user, **data.validated_data)
        return _detail(request, case_id)


class CaseInstantApproveApi(APIView):
    """即办件: accept, review and approve in one sitting (single-approver matters only)."""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000, required=False, default="")

        class Meta:
            ref_name = "InstantApproveInput"

    @extend_schema(request=InputSerializer, responses=CaseDetailOutput)
    def post(self, request, case_id: int):
        selectors.case_get(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intake.case_instant_approve(case_id=case_id, by=request.user, **data.validated_data)
        return _detail(request, case_id)


class BundleOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    matters = serializers.SerializerMethodField()

    def get_matters(self, obj) -> list[str]:
        return [item.matter.code for item in obj.items.all()]


class BundleListApi(ListAPIView):
    serializer_class = BundleOutput

    def get_queryset(self):
        return Bundle.objects.filter(is_active=True).prefetch_related("items__matter")


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    bundle = serializers.CharField(source="bundle.code")
    cases = CaseListOutput(many=True, source="cases.all")


class BundleApplyApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200, required=False, default="")
        address = serializers.CharField(max_length=200, required=False, default="")
        form_data = serializers.DictField(required=False, default=dict)
        applicant = serializers.IntegerField(required=False)

        class Meta:
            ref_name = "BundleApplyInput"

    @extend_schema(request=InputSerializer, responses={201: GroupOutput})
    def post(self, request, code: str):
        bundle = get_object_or_404(Bundle, code=code, is_active=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant = _applicant_for(request.user, data.validated_data.pop("applicant", None))
        group = intake.bundle_apply(bundle=bundle, applicant=applicant, by=request.user,
                                    token=idempotency_key(request), **data.validated_data)
        return Response(GroupOutput(group).data, status=status.HTTP_201_CREATED)


class CaseGroupSubmitApi(APIView):
    @extend_schema(request=None, responses=GroupOutput)
    def post(self, request, group_id: int):
        group = get_object_or_404(CaseGroup, pk=group_id)
        if not selectors.case_list(user=request.user).filter(group=group).exists():
            raise ApplicationError(_("申请不存在。"), "not_found", status=404)
        intake.bundle_submit(group=group, by=request.user)
        return Response(GroupOutput(group).data)


class AuthorizationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    applicant = serializers.CharField(source="applicant.name")
    agent = serializers.CharField(source="agent.username")
    granted_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()


class AgentAuthorizationListApi(ListAPIView):
    serializer_class = AuthorizationOutput

    class InputSerializer(serializers.Serializer):
        agent = serializers.CharField(max_length=150, help_text="代办员用户名")
        applicant = serializers.IntegerField(required=False, help_text="窗口办理时填写")
        valid_until = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(max_length=200, required=False, default="")

        class Meta:
            ref_name = "AgentAuthorizationInput"

    def get_queryset(self):
        return selectors.agent_authorizations(user=self.request.user).order_by("-granted_at")

    @extend_schema(request=InputSerializer, responses={201: AuthorizationOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agent = get_user_model().objects.filter(username=data.validated_data["agent"]).first()
        if agent is None:
            raise ApplicationError(_("找不到该代办员账号。"), "not_agent")
        applicant = _applicant_for(request.user, data.validated_data.get("applicant"))
        authorization = intake.agent_authorize(
            applicant=applicant, agent=agent, by=request.user,
            valid_until=data.validated_data.get("valid_until"),
            note=data.validated_data["note"])
        return Response(AuthorizationOutput(authorization).data, status=status.HTTP_201_CREATED)


class AgentAuthorizationRevokeApi(APIView):
    @extend_schema(request=None, responses=AuthorizationOutput)
    def post(self, request, authorization_id: int):
        authorization = selectors.agent_authorizations(user=request.user).filter(
            pk=authorization_id).first()
        if authorization is None:
            raise ApplicationError(_("授权不存在。"), "not_found", status=404)
        authorization = intake.agent_revoke(authorization=authorization, by=request.user)
        return Response(AuthorizationOutput(authorization).data)


class CounterQueueApi(ListAPIView):
    """Cases waiting for a decision at the counter, the nearest acceptance deadline first."""

    serializer_class = CaseListOutput

    def get_queryset(self):
        if not self.request.user.has_role("clerk"):
            raise PermissionRefused(_("只有综合窗口受理员可以查看受理队列。"), "permission_denied")
        return selectors.counter_queue(user=self.request.user)




class OverdueDeficiencyOutput(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    matter = serializers.CharField(source="case.matter.name")
    applicant = serializers.CharField(source="case.applicant.name")
    material = serializers.CharField(source="requirement.name")
    promise_date = serializers.DateField()


class OverdueDeficiencyListApi(ListAPIView):
    """容缺 promises past their date (clerks and supervisors)."""

    serializer_class = OverdueDeficiencyOutput

    def get_queryset(self):
        if not self.request.user.has_role("clerk", "supervisor"):
            raise PermissionRefused(_("只有窗口和督查人员可以查看容缺逾期清单。"), "permission_denied")
        return selectors.deficiencies_overdue()


class CaseOpinionApi(APIView):
    """Reviewer's opinion on one material (``material``) or on the whole case."""

    class InputSerializer(serializers.Serializer):
        verdict = serializers.ChoiceField(choices=["conforms", "problem"])
        text = serializers.CharField(max_length=4000, required=False, default="")
        material = serializers.IntegerField(required=False, allow_null=True)

        class Meta:
            ref_name = "ReviewOpinionInput"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        material = serializers.IntegerField(source="material_id", allow_null=True)
        verdict = serializers.CharField()
        text = serializers.CharField()
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ReviewOpinion"

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, case_id: int):
        case = selectors.case_get(user=request.user, case_id=case_id)
        if not request.user.is_bureau_staff:
            raise PermissionRefused(_("审查意见仅供审批人员查看。"), "permission_denied")
        return Response(self.OutputSerializer(case.opinions.all(), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, case_id: int):
        from approvals.services.review import review_opinion_add

        case = selectors.case_get(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = review_opinion_add(case=case, by=request.user,
                                     verdict=data.validated_data["verdict"],
                                     text=data.validated_data["text"],
                                     material_id=data.validated_data.get("material"))
        return Response(self.OutputSerializer(opinion).data, status=status.HTTP_201_CREATED)
