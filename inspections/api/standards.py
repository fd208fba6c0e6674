"""REST API for inspection standards: the list of inspected matters with their standard,
a matter's versions (each with items and guidance media metadata), publishing the next
version (dispatchers), and the version a case will be inspected against.

Published standards are public documents ("开卷考试"), so any signed-in user may read them
and the current version's guidance files; earlier versions' files are for bureau staff, and
a case's files for whoever may see the case.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Matter
from inspections.models import CaseStandard, Category, StandardVersion
from inspections.services.guidance import (
    case_media_get,
    inspected_matters,
    matter_media_get,
    media_download,
    require_standards_editor,
    standard_case_get,
    standard_revise,
)
from inspections.services.standards import case_standard, current_version
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError


class MediaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    caption = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="有权查看时的文件地址，否则为 null")

    def get_url(self, obj) -> str | None:
        link = self.context.get("media_url")
        return link(obj) if link else None


class ItemOutput(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    title = serializers.CharField()
    requirement = serializers.CharField()
    method = serializers.CharField()
    weight = serializers.IntegerField()
    veto = serializers.BooleanField()
    guidance = serializers.CharField()
    media = MediaOutput(many=True, source="media.all")


class VersionSummaryOutput(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    pass_score = serializers.IntegerField()
    note = serializers.CharField()
    published_at = serializers.DateTimeField()
    item_count = serializers.IntegerField()


class VersionOutput(serializers.Serializer):
    matter = serializers.CharField(source="standard.matter.code")
    matter_id = serializers.IntegerField(source="standard.matter_id")
    code = serializers.CharField(source="standard.code")
    title = serializers.CharField(source="standard.title")
    number = serializers.IntegerField()
    label = serializers.CharField()
    pass_score = serializers.IntegerField()
    note = serializers.CharField()
    published_at = serializers.DateTimeField()
    is_current = serializers.SerializerMethodField()
    items = ItemOutput(many=True, source="items.all")

    def get_is_current(self, obj) -> bool:
        return obj.number == self.context.get("current_number")


class StandardListOutput(serializers.Serializer):
    matter_id = serializers.IntegerField(source="pk")
    matter = serializers.CharField(source="code")
    matter_name = serializers.CharField(source="name")
    code = serializers.CharField(source="inspection_standard.code", allow_null=True)
    title = serializers.CharField(source="inspection_standard.title", allow_null=True)
    current_version = serializers.IntegerField(source="latest_number", allow_null=True)
    item_count = serializers.IntegerField(allow_null=True)
    published_at = serializers.DateTimeField(source="latest_published_at", allow_null=True)


def _versions(matter: Matter):
    return (StandardVersion.objects.filter(standard__matter=matter)
            .select_related("standard", "standard__matter"))


def _with_items(qs):
    return qs.prefetch_related("items__media")


def _matter_media_link(request, matter: Matter, version: StandardVersion, current: int | None):
    """Bureau staff may fetch every version's files; others the current version's."""
    user = request.user
    if version.number == current or user.is_bureau_staff or user.is_staff:
        return lambda m: request.build_absolute_uri(
            reverse("api-inspection-standard-media", args=[matter.pk, m.pk]))
    return None


def _media_file(media) -> FileResponse:
    return download_response(media_download(media), inline=True)


class StandardItemInput(serializers.Serializer):
    """One checklist item of a new version (validated again by the service)."""

    key = serializers.CharField(max_length=60, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    requirement = serializers.CharField(max_length=4000, allow_blank=True)
    method = serializers.CharField(max_length=2000, allow_blank=True, default="")
    weight = serializers.IntegerField(min_value=0, max_value=100)
    veto = serializers.BooleanField(default=False)
    guidance = serializers.CharField(max_length=4000, allow_blank=True, default="")
    drop_media = serializers.BooleanField(
        default=False, help_text="不沿用该编码在上一版中的指引图片/视频")

    class Meta:
        ref_name = "StandardItemInput"


class StandardListApi(ListAPIView):
    """GET /api/v1/inspection-standards/ (``?matter=<id>``): inspected matters and their
    current version."""

    serializer_class = StandardListOutput

    @extend_schema(parameters=[OpenApiParameter("matter", int, description="事项 ID")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = inspected_matters()
        raw = self.request.query_params.get("matter")
        if raw:
            if not raw.isdigit():
                raise ApplicationError(_("事项 ID 须为数字。"), "invalid_filter")
            qs = qs.filter(pk=int(raw))
        return qs


class StandardVersionListApi(APIView):
    """GET: a matter's versions, newest first. POST (dispatchers): publish the next."""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000, help_text="修订说明（必填）")
        pass_score = serializers.IntegerField(min_value=0, max_value=100, required=False)
        base_version = serializers.IntegerField(
            min_value=0, required=False, allow_null=True,
            help_text="修订所依据的版本号；若此后已有他人发布新版本，则返回 409")
        items = StandardItemInput(many=True, allow_empty=False, max_length=60)

    @extend_schema(responses=VersionSummaryOutput(many=True))
    def get(self, request, matter_id: int):
        matter = get_object_or_404(Matter, pk=matter_id)
        versions = _versions(matter).annotate(item_count=Count("items")).order_by("-number")
        return Response(VersionSummaryOutput(versions, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: VersionOutput})
    def post(self, request, matter_id: int):
        require_standards_editor(request.user)
        matter = get_object_or_404(Matter, pk=matter_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = standard_revise(matter=matter, items=data.validated_data["items"],
                                  by=request.user,
                                  note=data.validated_data["note"],
                                  pass_score=data.validated_data.get("pass_score"),
                                  base_number=data.validated_data.get("base_version"))
        version = _with_items(_versions(matter)).get(pk=version.pk)
        context = {"current_number": version.number,
                   "media_url": _matter_media_link(request, matter, version, version.number)}
        return Response(VersionOutput(version, context=context).data,
                        status=status.HTTP_201_CREATED)


class StandardVersionDetailApi(APIView):
    @extend_schema(responses=VersionOutput)
    def get(self, request, matter_id: int, number: int):
        matter = get_object_or_404(Matter, pk=matter_id)
        version = get_object_or_404(_with_items(_versions(matter)), number=number)
        current = current_version(matter)
        context = {"current_number": current.number if current else None,
                   "media_url": _matter_media_link(request, matter, version, current.number)}
        return Response(VersionOutput(version, context=context).data)


class CaseStandardOutput(serializers.Serializer):
    case = serializers.IntegerField()
    pinned = serializers.BooleanField(help_text="是否已确定为本件适用版本（提交申请时确定）")
    version = VersionOutput(allow_null=True)


class CaseStandardApi(APIView):
    """GET /api/v1/cases/{id}/inspection-standard/: the version the case is inspected
    against (a draft: the current one), for the applicant side and bureau staff."""

    @extend_schema(responses=CaseStandardOutput)
    def get(self, request, case_id: int):
        case = standard_case_get(user=request.user, case_id=case_id)
        version = case_standard(case)
        pinned = False
        context = {}
        if version is not None:
            pinned = CaseStandard.objects.filter(case=case, version=version).exists()
            version = _with_items(StandardVersion.objects.select_related(
                "standard", "standard__matter")).get(pk=version.pk)
            current = current_version(case.matter)
            context = {"current_number": current.number if current else None,
                       "media_url": lambda m: request.build_absolute_uri(
                           reverse("api-case-inspection-standard-media",
                                   args=[case.pk, m.pk]))}
        body = {"case": case.pk, "pinned": pinned, "version": version}
        return Response(CaseStandardOutput(body, context=context).data)


_MEDIA_RESPONSES = {(200, "image/png"): bytes, (200, "image/jpeg"): bytes,
                    (200, "video/mp4"): bytes, (200, "video/webm"): bytes}


class StandardMediaApi(APIView):
    """A guidance file of a matter's standard: the current version's for anyone signed
    in, every version's for bureau staff."""

    @extend_schema(responses=_MEDIA_RESPONSES)
    def get(self, request, matter_id: int, media_id: int):
        matter = get_object_or_404(Matter, pk=matter_id)
        return _media_file(matter_media_get(user=request.user, matter=matter,
                                            media_id=media_id))


class CaseStandardMediaApi(APIView):
    """A guidance file of the version a case is inspected against."""

    @extend_schema(responses=_MEDIA_RESPONSES)
    def get(self, request, case_id: int, media_id: int):
        return _media_file(case_media_get(user=request.user, case_id=case_id,
                                          media_id=media_id))
