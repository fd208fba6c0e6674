"""Account API: obtain a token, read who I am."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.accounts.masking import mask_identity, mask_phone
from portal.accounts.models import Applicant
from portal.accounts.roles import Role
from portal.accounts.services import (
    applicant_find_or_create_walk_in,
    applicant_identity_reveal,
    applicant_register,
)


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


class RegisterApi(APIView):
    """Self-registration of an applicant (person or organisation); returns a token."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    class InputSerializer(serializers.Serializer):
        username = serializers.RegexField(r"^[A-Za-z0-9_.@+-]{3,150}$")
        password = serializers.CharField(max_length=128)
        kind = serializers.ChoiceField(choices=Applicant.Kind.choices)
        name = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        phone = serializers.CharField(max_length=20)
        address = serializers.CharField(max_length=200, required=False, default="")
        legal_representative = serializers.CharField(max_length=50, required=False, default="")

        class Meta:
            ref_name = "RegisterInput"

    @extend_schema(request=InputSerializer, responses={201: inline_serializer(
        "Registered", {"token": serializers.CharField(), "applicant": serializers.IntegerField()})})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant = applicant_register(**data.validated_data)
        token = Token.objects.get_or_create(user=applicant.user)[0]
        return Response({"token": token.key, "applicant": applicant.pk}, status=201)


class ApplicantOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    has_login = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ApplicantSummary"

    def get_id_number(self, obj) -> str:
        return mask_identity(obj.kind, obj.id_number)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_has_login(self, obj) -> bool:
        return obj.user_id is not None


class ApplicantCounterApi(APIView):
    """At the counter: look an applicant up by exact identity, or register a walk-in."""

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Applicant.Kind.choices)
        name = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        phone = serializers.CharField(max_length=20)
        address = serializers.CharField(max_length=200, required=False, default="")

        class Meta:
            ref_name = "WalkInInput"

    @extend_schema(responses=ApplicantOutput(many=True), parameters=[
        OpenApiParameter("id_number", str, required=True)])
    def get(self, request):
        if not request.user.has_role(Role.CLERK):
            raise PermissionDenied
        wanted = request.query_params.get("id_number", "").strip().upper()
        found = Applicant.objects.filter(id_number=wanted) if wanted else Applicant.objects.none()
        return Response(ApplicantOutput(found, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ApplicantOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applicant = applicant_find_or_create_walk_in(by=request.user, **data.validated_data)
        return Response(ApplicantOutput(applicant).data, status=201)
