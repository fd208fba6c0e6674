"""REST API for archive packages (/api/v1/archives/...): search, archive a closed case,
a package's record, its ZIP export and catalogue, verification (of a package, or of an
uploaded ZIP), and its paper location. Archivists may do everything; supervisors read;
everybody else gets 403."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Case
from archives import selectors, services
from archives.api.serializers import PackageOutput, PackageRowOutput, VerifyOutput
from archives.forms import SearchForm
from archives.models import ArchivePackage
from archives.services.access import require_archivist, require_reader
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError


def package_for(request, package_id: int) -> ArchivePackage:
    require_reader(request.user)
    package = selectors.package_detail(package_id)
    if package is None:
        raise ApplicationError(_("档案不存在。"), "not_found", status=404)
    return package


SEARCH_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.DATE if name.startswith("closed") else OpenApiTypes.STR,
                     description=str(label))
    for name, label in (("number", "档号"), ("case_number", "办件编号"), ("applicant", "申请人"),
                        ("matter", "事项编码或名称"), ("certificate", "证书编号"),
                        ("closed_from", "办结日期自"), ("closed_to", "办结日期至"))]


class PackageSearchApi(ListAPIView):
    """GET: search packages (masked applicant names), newest closing first."""

    serializer_class = PackageRowOutput

    def get_queryset(self):
        require_reader(self.request.user)
        form = SearchForm(self.request.query_params)
        if not form.is_valid():
            raise ApplicationError(_("查询条件有误：{error}").format(
                error="；".join(str(e[0]) for e in form.errors.values())), "invalid")
        return selectors.package_search(form.filters())

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PackageBindApi(APIView):
    """POST: archive a closed case (the archive transition binds its package)."""

    class InputSerializer(serializers.Serializer):
        case = serializers.IntegerField()
        note = serializers.CharField(max_length=500, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "ArchiveBindInput"

    @extend_schema(request=InputSerializer, responses={201: PackageOutput})
    def post(self, request):
        require_archivist(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = Case.objects.filter(pk=data.validated_data["case"]).first()
        if case is None:
            raise ApplicationError(_("办件不存在。"), "not_found", status=404)
        package = services.case_archive(case=case, by=request.user,
                                        note=data.validated_data["note"])
        return Response(PackageOutput(selectors.package_detail(package.pk)).data, status=201)


class PackageDetailApi(APIView):
    serializer_class = PackageOutput

    @extend_schema(responses=PackageOutput)
    def get(self, request, package_id: int):
        package = package_for(request, package_id)
        services.package_view(package=package, by=request.user)
        return Response(PackageOutput(package).data)


class PackageExportApi(APIView):
    """GET: the package as a ZIP (documents, manifest.json, catalogue.pdf)."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, package_id: int):
        result = services.package_export(package=package_for(request, package_id),
                                         by=request.user)
        response = FileResponse(result.handle, as_attachment=True, filename=result.filename,
                                content_type="application/zip")
        response["X-Content-Type-Options"] = "nosniff"
        return response


class PackageCatalogueApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, package_id: int):
        package = package_for(request, package_id)
        return download_response(services.catalogue_download(package=package, by=request.user))


class PackageVerifyApi(APIView):
    """POST: check every stored file against its recorded SHA-256 and the seal."""

    @extend_schema(request=None, responses=VerifyOutput, operation_id="archives_package_verify")
    def post(self, request, package_id: int):
        report = services.package_verify(package=package_for(request, package_id),
                                         by=request.user)
        return Response(VerifyOutput(report).data)


class ZipVerifyApi(APIView):
    """POST (multipart ``file``): check an exported ZIP against its manifest and record."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

        class Meta:
            ref_name = "ArchiveZipVerifyInput"

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses=VerifyOutput,
                   operation_id="archives_zip_verify")
    def post(self, request):
        require_reader(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.package_verify(zip_file=data.validated_data["file"], by=request.user)
        return Response(VerifyOutput(report).data)


class PackagePaperApi(APIView):
    """PUT: where the paper volume is and whether it is bound."""

    class InputSerializer(serializers.Serializer):
        box_number = serializers.CharField(max_length=30, required=False, default="",
                                           allow_blank=True)
        volume_number = serializers.CharField(max_length=30, required=False, default="",
                                              allow_blank=True)
        shelf_location = serializers.CharField(max_length=100, required=False, default="",
                                               allow_blank=True)
        binding_status = serializers.ChoiceField(choices=ArchivePackage.Binding.choices)

        class Meta:
            ref_name = "ArchivePaperInput"

    @extend_schema(request=InputSerializer, responses=PackageOutput)
    def put(self, request, package_id: int):
        package = package_for(request, package_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.paper_update(package=package, by=request.user,
                              location=services.PaperLocation(**data.validated_data))
        return Response(PackageOutput(selectors.package_detail(package.pk)).data)
