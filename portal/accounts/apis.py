"""Account API: obtain a token, read who I am."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.accounts.masking import mask_phone


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

        def get_phone(self, obj) -> str:
            return mask_phone(obj.phone)

        def get_roles(self, obj) -> list[str]:
            return sorted(obj.role_codes)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)
