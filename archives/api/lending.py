"""REST API for loans of paper volumes (/api/v1/archives/loans/...,
/api/v1/archives/<id>/loans/): list (open, overdue, all), lend, return."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from archives import selectors, services
from archives.api.packages import package_for
from archives.api.serializers import LoanOutput
from archives.models import Loan
from archives.services.access import require_archivist, require_reader
from portal.core.errors import ApplicationError

SHOW = {"open": {"open_only": True}, "overdue": {"overdue": True}, "all": {}}


class LoanListApi(ListAPIView):
    """GET: loans; ``show`` = open (default), overdue or all."""

    serializer_class = LoanOutput

    def get_queryset(self):
        require_reader(self.request.user)
        show = self.request.query_params.get("show", "open")
        if show not in SHOW:
            raise ApplicationError(_("show 只能是 open、overdue 或 all。"), "invalid")
        return selectors.loans(**SHOW[show])

    @extend_schema(parameters=[OpenApiParameter("show", OpenApiTypes.STR,
                                                enum=list(SHOW), description="借阅范围")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PackageLoansApi(APIView):
    """GET: the package's loans; POST: lend its paper volume."""

    serializer_class = LoanOutput

    class InputSerializer(serializers.Serializer):
        borrower_name = serializers.CharField(max_length=50)
        borrower_unit = serializers.CharField(max_length=100, required=False, default="",
                                              allow_blank=True)
        purpose = serializers.CharField(max_length=300)
        due_date = serializers.DateField()

        class Meta:
            ref_name = "ArchiveLoanInput"

    @extend_schema(responses=LoanOutput(many=True), operation_id="archives_package_loans_list")
    def get(self, request, package_id: int):
        package = package_for(request, package_id)
        return Response(LoanOutput(package.loans.select_related("package"), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: LoanOutput},
                   operation_id="archives_package_loans_create")
    def post(self, request, package_id: int):
        package = package_for(request, package_id)
        require_archivist(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_create(package=package, by=request.user, **data.validated_data)
        return Response(LoanOutput(loan).data, status=201)


class LoanReturnApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=300, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "ArchiveLoanReturnInput"

    @extend_schema(request=InputSerializer, responses=LoanOutput)
    def post(self, request, loan_id: int):
        require_archivist(request.user)
        loan = Loan.objects.select_related("package").filter(pk=loan_id).first()
        if loan is None:
            raise ApplicationError(_("借阅记录不存在。"), "not_found", status=404)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_return(loan=loan, by=request.user, note=data.validated_data["note"])
        return Response(LoanOutput(loan).data)
