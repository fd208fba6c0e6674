"""Licence API: list and download licences, their lifecycle (变更, 延续, 注销, 撤销, 出件),
and the public verification look-up."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors, verify
from approvals.services import certificates as services
from approvals.services import downloads
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError


class CertificateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    number = serializers.CharField()
    version = serializers.IntegerField()
    holder_name = serializers.CharField()
    matters = serializers.ListField(child=serializers.CharField())
    scope = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField(source="public_status")
    status_reason = serializers.CharField()
    verify_code = serializers.CharField()
    sha256 = serializers.CharField()
    delivery = serializers.CharField()
    delivery_note = serializers.CharField()
    issued_at = serializers.DateTimeField()


class CertificateListApi(ListAPIView):
    serializer_class = CertificateOutput

    def get_queryset(self):
        qs = selectors.certificate_list(user=self.request.user)
        case = self.request.query_params.get("case", "")
        return qs.filter(case_id=int(case)) if case.isdigit() else qs


def _certificate(request, certificate_id: int):
    cert = selectors.certificate_list(user=request.user).filter(pk=certificate_id).first()
    if cert is None:
        raise ApplicationError(_("证照不存在。"), "not_found", status=404)
    return cert


class CertificateDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, certificate_id: int):
        cert = _certificate(request, certificate_id)
        return download_response(downloads.certificate_download(certificate=cert,
                                                                by=request.user))


class CertificateActionApi(APIView):
    """POST /certificates/{id}/{change|renew|cancel|revoke|deliver}/"""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=500, required=False, default="")
        reason = serializers.CharField(max_length=500, required=False, default="")
        scope = serializers.CharField(max_length=2000, required=False)
        address = serializers.CharField(max_length=200, required=False)
        holder_name = serializers.CharField(max_length=100, required=False)
        valid_until = serializers.DateField(required=False)
        method = serializers.ChoiceField(choices=["pickup", "download", "post"], required=False)

        class Meta:
            ref_name = "CertificateActionInput"

    @extend_schema(request=InputSerializer, responses=CertificateOutput)
    def post(self, request, certificate_id: int, action: str):
        cert = _certificate(request, certificate_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        by = request.user
        if action == "change":
            result = services.certificate_change(
                certificate=cert, by=by, scope=v.get("scope"), address=v.get("address"),
                holder_name=v.get("holder_name"), note=v["note"])
        elif action == "renew":
            if "valid_until" not in v:
                raise ApplicationError(_("请填写延续后的有效期。"), "invalid_valid_until")
            result = services.certificate_renew(certificate=cert, by=by,
                                                valid_until=v["valid_until"], note=v["note"])
        elif action == "cancel":
            result = services.certificate_cancel(certificate=cert, by=by, reason=v["reason"])
        elif action == "revoke":
            result = services.certificate_revoke(certificate=cert, by=by, reason=v["reason"])
        elif action == "deliver":
            result = services.certificate_deliver(certificate=cert, by=by,
                                                  method=v.get("method", ""), note=v["note"])
        else:
            raise ApplicationError(_("未知的证照操作。"), "unknown_action", status=404)
        return Response(CertificateOutput(result).data)


class VerifyApi(APIView):
    """Public: the status and face of a licence by its verification code."""

    permission_classes = [AllowAny]
    authentication_classes = []

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        version = serializers.IntegerField()
        status = serializers.CharField(source="public_status")
        holder_name = serializers.CharField()
        holder_id = serializers.CharField()
        matters = serializers.ListField(child=serializers.CharField())
        scope = serializers.CharField()
        valid_from = serializers.DateField()
        valid_until = serializers.DateField(allow_null=True)

        class Meta:
            ref_name = "PublicCertificate"

    @extend_schema(responses=OutputSerializer)
    def get(self, request, code: str):
        if verify.rate_limited(request):
            raise ApplicationError(_("查询过于频繁，请一分钟后再试。"), "rate_limited", status=429)
        cert = verify.certificate_public(code)
        if cert is None:
            raise ApplicationError(_("未查询到该证照。"), "not_found", status=404)
        return Response(self.OutputSerializer(cert).data)
