"""Account API: obtain a token, read who I am."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.accounts.masking import mask_phone
from portal.accounts.models import Applicant
from portal.accounts.services import applicant_identity_reveal


class TokenObtainApi(ObtainAuthToken):
    """POST username + password, get a token (failures count towards the login lockout)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        real_name = serializers.CharField()
        phone = serializers.SerializerMethodField()
        roles = serializers.SerializerMethodField()
        section = serializers.CharField(source="section.name", allow_null=True, default=None)

        class Meta:
            ref_name = "Me"

        def get_phone(self, obj) -> str:
            return mask_phone(obj.phone)

        def get_roles(self, obj) -> list[str]:
            return sorted(obj.role_codes)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


class ApplicantIdentityApi(APIView):
    """Full ID number and phone of an applicant (bureau staff or self); every call is audited."""

    class OutputSerializer(serializers.Serializer):
        id_number = serializers.CharField()
        phone = serializers.CharField()

        class Meta:
            ref_name = "ApplicantIdentity"

    @extend_schema(responses=OutputSerializer)
    def get(self, request, applicant_id: int):
        applicant = get_object_or_404(Applicant, pk=applicant_id)
        data = applicant_identity_reveal(applicant=applicant, by=request.user,
                                         purpose=request.query_params.get("purpose", ""))
        return Response(self.OutputSerializer(data).data)
