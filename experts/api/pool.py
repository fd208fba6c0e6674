"""REST API for the pool (/api/v1/experts/...): list, create, read, update, delete, the
audited contact reveal, relations, ratings, unavailable dates, fields, spreadsheet import
(row-by-row report) and export, and the expert's own profile. Each view validates, fetches
what the user may see (404 otherwise) and calls one service."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from experts import selectors
from experts.api.serializers import (
    ContactOutput,
    ExpertDetailOutput,
    ExpertInput,
    ExpertOutput,
    FieldOutput,
    ImportOutput,
    MeOutput,
    RelationOutput,
    UnavailabilityOutput,
)
from experts.models import Expert, ExpertField, ExpertUnavailability
from experts.permissions import can_view_expert, expert_of, is_pool_manager
from experts.services import export, spreadsheet
from experts.services import pool as services
from portal.accounts.models import Applicant
from portal.core.errors import ApplicationError, PermissionRefused


def _expert(request, expert_id: int) -> Expert:
    expert = Expert.objects.select_related("user").filter(pk=expert_id).first()
    if expert is None or not can_view_expert(request.user, expert):
        raise ApplicationError(_("专家不存在。"), "not_found", status=404)
    return expert


def _require_manager(request) -> None:
    if not is_pool_manager(request.user):
        raise PermissionRefused(_("只有勘验调度员或督查人员可以管理专家库。"), "permission_denied")


def _values(data: dict) -> dict:
    """Input → service values: field names resolved (unknown names are refused)."""
    from django.contrib.auth import get_user_model

    values = dict(data)
    if "fields" in values:
        fields, unknown = services.fields_by_name(list(values["fields"]))
        if unknown:
            raise ApplicationError(_("专业领域不在登记目录中：{names}").format(
                names="、".join(unknown)), "unknown_field",
                extra={"errors": {"fields": _("未登记的专业领域：{n}").format(n="、".join(unknown))}})
        values["fields"] = fields
    if "user" in values:
        user_id = values["user"]
        values["user"] = (get_user_model().objects.filter(pk=user_id).first()
                          if user_id else None)
        if user_id and values["user"] is None:
            raise ApplicationError(_("登录账号不存在。"), "invalid",
                                   extra={"errors": {"user": _("登录账号不存在。")}})
    return values


class ExpertListApi(ListAPIView):
    """GET: the pool (pool managers; filters ``q``, ``field``, ``industry``, ``active``);
    POST: add an expert."""

    serializer_class = ExpertOutput

    def get_queryset(self):
        _require_manager(self.request)
        params = self.request.query_params
        active = {"true": True, "1": True, "false": False, "0": False}.get(
            params.get("active", "").lower())
        field = params.get("field", "")
        return selectors.pool_page_rows(selectors.pool(
            q=params.get("q", "").strip(), industry=params.get("industry", "").strip(),
            field_id=int(field) if field.isdigit() else None, active=active))

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("field", int),
                               OpenApiParameter("industry", str),
                               OpenApiParameter("active", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ExpertInput, responses={201: ExpertDetailOutput})
    def post(self, request):
        data = ExpertInput(data=request.data)
        data.is_valid(raise_exception=True)
        expert = services.expert_create(by=request.user, **_values(data.validated_data))
        return Response(ExpertDetailOutput(expert).data, status=201)


class ExpertDetailApi(APIView):
    """GET: one expert with records (pool managers, or the expert themself);
    PATCH: change (pool managers); DELETE: only an expert never drawn."""

    serializer_class = ExpertDetailOutput

    @extend_schema(responses=ExpertDetailOutput)
    def get(self, request, expert_id: int):
        return Response(ExpertDetailOutput(_expert(request, expert_id)).data)

    @extend_schema(request=ExpertInput(partial=True), responses=ExpertDetailOutput)
    def patch(self, request, expert_id: int):
        expert = _expert(request, expert_id)
        data = ExpertInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in request.data}
        expert = services.expert_update(expert=expert, by=request.user, **_values(values))
        return Response(ExpertDetailOutput(expert).data)

    @extend_schema(responses={204: None})
    def delete(self, request, expert_id: int):
        services.expert_delete(expert=_expert(request, expert_id), by=request.user)
        return Response(status=204)


class ExpertContactApi(APIView):
    """POST: the full phone and e-mail (audited as ``pii.view``)."""

    class InputSerializer(serializers.Serializer):
        purpose = serializers.CharField(max_length=200, required=False, default="")

        class Meta:
            ref_name = "ExpertContactInput"

    @extend_schema(request=InputSerializer, responses=ContactOutput)
    def post(self, request, expert_id: int):
        expert = _expert(request, expert_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.expert_contact_reveal(expert=expert, by=request.user,
                                                       **data.validated_data))


class RelationCreateApi(APIView):
    """POST: declare a relation (回避) with an applicant or an organisation."""

    class InputSerializer(serializers.Serializer):
        relation = serializers.CharField(max_length=100)
        applicant = serializers.IntegerField(required=False, allow_null=True, default=None)
        org = serializers.CharField(max_length=100, required=False, default="",
                                    help_text="单位名称或统一社会信用代码")

        class Meta:
            ref_name = "ExpertRelationInput"

    @extend_schema(request=InputSerializer, responses={201: RelationOutput})
    def post(self, request, expert_id: int):
        expert = _expert(request, expert_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        applicant_id = values.pop("applicant")
        applicant = get_object_or_404(Applicant, pk=applicant_id) if applicant_id else None
        row = services.relation_declare(expert=expert, by=request.user, applicant=applicant,
                                        **values)
        return Response(RelationOutput(row).data, status=201)


class RatingCreateApi(APIView):
    """POST: the bureau's quality rating (1–5) of an expert's work."""

    class InputSerializer(serializers.Serializer):
        score = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=300, required=False, default="")
        meeting = serializers.IntegerField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "ExpertRatingInput"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        score = serializers.IntegerField()
        comment = serializers.CharField()
        rated_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ExpertRatingOutput"

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, expert_id: int):
        from experts.models import ReviewMeeting

        expert = _expert(request, expert_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        meeting_id = values.pop("meeting")
        meeting = get_object_or_404(ReviewMeeting, pk=meeting_id) if meeting_id else None
        rating = services.rating_add(expert=expert, by=request.user, meeting=meeting, **values)
        return Response(self.OutputSerializer(rating).data, status=201)


class UnavailabilityApi(APIView):
    """GET: the expert's unavailable dates; POST: add a period (the expert or a manager)."""

    class InputSerializer(serializers.Serializer):
        start = serializers.DateField()
        end = serializers.DateField()
        reason = serializers.CharField(max_length=100, required=False, default="")

        class Meta:
            ref_name = "ExpertUnavailabilityInput"

    @extend_schema(responses=UnavailabilityOutput(many=True))
    def get(self, request, expert_id: int):
        expert = _expert(request, expert_id)
        return Response(UnavailabilityOutput(expert.unavailable.order_by("start"),
                                             many=True).data)

    @extend_schema(request=InputSerializer, responses={201: UnavailabilityOutput})
    def post(self, request, expert_id: int):
        expert = _expert(request, expert_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.unavailability_add(expert=expert, by=request.user, **data.validated_data)
        return Response(UnavailabilityOutput(row).data, status=201)


class UnavailabilityDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, expert_id: int, period_id: int):
        expert = _expert(request, expert_id)
        period = ExpertUnavailability.objects.filter(pk=period_id, expert=expert).first()
        if period is None:
            raise ApplicationError(_("不可用日期不存在。"), "not_found", status=404)
        services.unavailability_remove(period=period, by=request.user)
        return Response(status=204)


class FieldListApi(ListAPIView):
    """GET: the known fields of expertise."""

    serializer_class = FieldOutput
    pagination_class = None

    def get_queryset(self):
        return ExpertField.objects.order_by("name")


class ImportApi(APIView):
    """POST (multipart ``file``): import a CSV or XLSX; the report lists every row."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

        class Meta:
            ref_name = "ExpertImportInput"

    @extend_schema(request={"multipart/form-data": InputSerializer},
                   responses={201: ImportOutput})
    def post(self, request):
        _require_manager(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        record = spreadsheet.expert_import(data=upload.read(), filename=upload.name,
                                           by=request.user)
        return Response(ImportOutput(record).data, status=201)


class ExportApi(APIView):
    """GET ?format=csv|xlsx (and the list filters): the pool with full contact data
    (audited as ``pii.export``)."""

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"]),
                               OpenApiParameter("q", str), OpenApiParameter("field", int),
                               OpenApiParameter("industry", str),
                               OpenApiParameter("active", bool)],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request):
        _require_manager(request)
        params = request.query_params
        field = params.get("field", "")
        active = {"true": True, "1": True, "false": False, "0": False}.get(
            params.get("active", "").lower())
        qs = selectors.pool(q=params.get("q", "").strip(),
                            industry=params.get("industry", "").strip(),
                            field_id=int(field) if field.isdigit() else None, active=active)
        data, filename, content_type = export.expert_export(
            qs=qs, by=request.user, fmt=params.get("format", "csv"))
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class MeApi(APIView):
    """GET: the logged-in expert's profile, records and invitations."""

    @extend_schema(responses=MeOutput)
    def get(self, request):
        expert = expert_of(request.user)
        if expert is None:
            raise ApplicationError(_("您的账号尚未关联专家库记录。"), "not_found", status=404)
        invitations = list(selectors.expert_invitations(expert)[:100])
        return Response(MeOutput({"expert": expert, "invitations": invitations}).data)
