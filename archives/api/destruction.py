"""REST API for retention (/api/v1/archives/retention/due/) and destruction lists
(/api/v1/archives/destruction-lists/...): packages due for review, an archivist's
proposal, and a supervisor's decision."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from archives import selectors, services
from archives.api.serializers import DestructionOutput, PackageRowOutput
from archives.models import ArchivePackage, DestructionList
from archives.services.access import require_archivist, require_reader
from portal.core.errors import ApplicationError


def _list_qs():
    return selectors.destruction_lists().prefetch_related("items__package")


class RetentionDueApi(ListAPIView):
    """GET: packages past their review date, not destroyed and not on a pending list."""

    serializer_class = PackageRowOutput

    def get_queryset(self):
        require_reader(self.request.user)
        return selectors.packages_due()


class ItemInput(serializers.Serializer):
    package = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, help_text="销毁理由")

    class Meta:
        ref_name = "ArchiveDestructionItemInput"


class DestructionListApi(ListAPIView):
    """GET: destruction lists; POST: propose one (archivist)."""

    serializer_class = DestructionOutput

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000, help_text="鉴定意见")
        items = ItemInput(many=True, allow_empty=False)

        class Meta:
            ref_name = "ArchiveDestructionInput"

    def get_queryset(self):
        require_reader(self.request.user)
        return _list_qs()

    @extend_schema(request=InputSerializer, responses={201: DestructionOutput})
    def post(self, request):
        require_archivist(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["items"]
        packages = ArchivePackage.objects.in_bulk([i["package"] for i in items])
        missing = [str(i["package"]) for i in items if i["package"] not in packages]
        if missing:
            raise ApplicationError(_("档案不存在：{ids}").format(ids="、".join(missing)),
                                   "not_found", status=404)
        destruction = services.destruction_propose(
            by=request.user, reason=data.validated_data["reason"],
            items=[(packages[i["package"]], i["reason"]) for i in items])
        return Response(DestructionOutput(_list_qs().get(pk=destruction.pk)).data, status=201)


def _destruction(request, destruction_id: int) -> DestructionList:
    require_reader(request.user)
    destruction = _list_qs().filter(pk=destruction_id).first()
    if destruction is None:
        raise ApplicationError(_("销毁清册不存在。"), "not_found", status=404)
    return destruction


class DestructionDetailApi(APIView):
    serializer_class = DestructionOutput

    @extend_schema(responses=DestructionOutput)
    def get(self, request, destruction_id: int):
        return Response(DestructionOutput(_destruction(request, destruction_id)).data)


class DestructionDecisionApi(APIView):
    """POST: approve (and carry out) or reject a proposed list (supervisor)."""

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        note = serializers.CharField(max_length=2000, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "ArchiveDestructionDecisionInput"

    @extend_schema(request=InputSerializer, responses=DestructionOutput)
    def post(self, request, destruction_id: int):
        destruction = _destruction(request, destruction_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.destruction_decide(destruction=destruction, by=request.user,
                                    **data.validated_data)
        return Response(DestructionOutput(_list_qs().get(pk=destruction.pk)).data)
