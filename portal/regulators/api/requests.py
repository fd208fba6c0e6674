"""REST API for requests from regulator departments (/api/v1/regulators/requests/...):
a department submits (JSON, or multipart with attachments; idempotent by its own
``request_id``: a repeat returns the first request with 200) and follows its requests;
the bureau lists them and records the handling."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.errors import ApplicationError, PermissionRefused
from portal.regulators import selectors
from portal.regulators.models import RequestKind
from portal.regulators.permissions import can_view_request, department_of
from portal.regulators.services.requests import regulator_request_handle, regulator_request_submit

KIND_HELP = "；".join(f"{value} {label}" for value, label in RequestKind.choices)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()

    class Meta:
        ref_name = "RegulatorRequestAttachment"


class RequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.CharField()
    department = serializers.CharField(source="department.code")
    kind = serializers.CharField()
    status = serializers.CharField()
    case_number = serializers.CharField(source="case.number")
    certificate_number = serializers.CharField(source="certificate.number", allow_null=True,
                                               default=None)
    content = serializers.CharField()
    received_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    handled_at = serializers.DateTimeField(allow_null=True)
    handler = serializers.CharField(source="handler.__str__", allow_null=True, default=None)
    response_note = serializers.CharField()
    attachments = AttachmentOutput(many=True, source="attachments.all")

    class Meta:
        ref_name = "RegulatorRequest"


def _visible_or_404(request, request_id: int):
    item = selectors.request_get(request_id)
    if item is None or not can_view_request(request.user, item):
        raise ApplicationError(_("监管请求不存在。"), "not_found", status=404)
    return item


class RequestListCreateApi(ListAPIView):
    """GET: your department's requests (regulators) or the incoming requests (bureau;
    ``status``: open / accepted / rejected / handled / active). POST: submit a request."""

    serializer_class = RequestOutput
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        request_id = serializers.CharField(max_length=64,
                                           help_text="部门自己的请求编号（幂等键）")
        # plain strings (checked by the service): an enum named "kind" or "action" would
        # collide with other components' enums in the OpenAPI schema
        kind = serializers.CharField(max_length=24, help_text=KIND_HELP)
        case_number = serializers.CharField(max_length=32, required=False, default="",
                                            allow_blank=True)
        certificate_number = serializers.CharField(max_length=40, required=False, default="",
                                                   allow_blank=True)
        content = serializers.CharField(max_length=5000)
        attachments = serializers.ListField(child=serializers.FileField(), required=False,
                                            default=list, help_text="PDF/JPG/PNG，最多 10 个")

        class Meta:
            ref_name = "RegulatorRequestInput"

    def get_queryset(self):
        user = self.request.user
        department = department_of(user)
        if department is None and not user.is_bureau_staff:
            raise PermissionRefused(_("您没有查看监管请求的权限。"), "permission_denied")
        return selectors.requests_visible(user=user, department=department,
                                          status=self.request.query_params.get("status", ""))

    @extend_schema(request=InputSerializer, responses={201: RequestOutput, 200: RequestOutput})
    def post(self, request):
        if department_of(request.user) is None:
            raise PermissionRefused(_("只有行业主管部门的用户可以提交监管请求。"), "not_regulator")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made, created = regulator_request_submit(by=request.user, **data.validated_data)
        made = selectors.request_get(made.pk)
        return Response(RequestOutput(made).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RequestDetailApi(APIView):
    """One request with its status and the bureau's note."""

    @extend_schema(responses=RequestOutput)
    def get(self, request, request_id: int):
        return Response(RequestOutput(_visible_or_404(request, request_id)).data)


class RequestHandleApi(APIView):
    """Bureau: accept (受理), reject (不予采纳, note required) or complete (办结, note
    required). A revocation itself is made on the licence, never here."""

    class InputSerializer(serializers.Serializer):
        action = serializers.CharField(max_length=10, help_text="accept 受理；reject 不予采纳"
                                       "（须填写 note）；complete 办结（须填写 note）")
        note = serializers.CharField(max_length=2000, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "RegulatorRequestHandleInput"

    @extend_schema(request=InputSerializer, responses=RequestOutput)
    def post(self, request, request_id: int):
        item = _visible_or_404(request, request_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        regulator_request_handle(request=item, by=request.user, **data.validated_data)
        return Response(RequestOutput(selectors.request_get(item.pk)).data)
