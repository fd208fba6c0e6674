"""REST API of the dispatcher board (勘验调度): open requests, tasks (list, create, detail),
eligibility, manual assignment, random draw, release, trips (合并勘验) and draw records.
Each view validates the input's shape, fetches through ``inspections.selectors`` and calls
one ``inspections.services.dispatch`` service; the services decide who may act."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections import selectors
from inspections.models import InspectionRequest, InspectionTask, TaskStatus, Trip
from inspections.services import dispatch
from inspections.tiers import Tier
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError, PermissionRefused

# ---------------------------------------------------------------- output


class BoardPersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class BoardClockOutput(serializers.Serializer):
    due = serializers.DateTimeField()
    remaining_seconds = serializers.SerializerMethodField()
    level = serializers.ChoiceField(choices=["overdue", "amber", "ok"])
    label = serializers.CharField()

    def get_remaining_seconds(self, obj) -> int:
        return int(obj.remaining.total_seconds())


class BoardOpenRequestOutput(serializers.Serializer):
    """An open request; the applicant by name only (no ID number, no phone)."""

    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number", allow_null=True)
    matter = serializers.CharField(source="case.matter.code")
    matter_name = serializers.CharField(source="case.matter.name")
    applicant = serializers.IntegerField(source="case.applicant_id")
    applicant_name = serializers.CharField(source="case.applicant.name")
    district = serializers.CharField(source="case.district.name", allow_null=True, default=None)
    address = serializers.CharField(source="case.address")
    mode = serializers.CharField()
    mode_label = serializers.CharField(source="get_mode_display")
    tier = serializers.CharField()
    tier_label = serializers.CharField(source="get_tier_display")
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()
    promised_by = serializers.DateTimeField()
    clock = serializers.SerializerMethodField()

    @extend_schema_field(BoardClockOutput)
    def get_clock(self, obj) -> dict:
        return BoardClockOutput(selectors.board_clock(start=obj.requested_at,
                                                 due=obj.promised_by)).data


class BoardTaskCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    matter = serializers.CharField(source="matter.code")
    matter_name = serializers.CharField(source="matter.name")


class BoardTripBrief(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()


class BoardTaskListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    mode = serializers.CharField()
    mode_label = serializers.CharField(source="get_mode_display")
    tier = serializers.CharField()
    tier_label = serializers.CharField(source="get_tier_display")
    promised_by = serializers.DateTimeField()
    address = serializers.CharField()
    district = serializers.CharField(source="district.name", allow_null=True, default=None)
    applicant = serializers.IntegerField(source="applicant_id")
    applicant_name = serializers.CharField(source="applicant.name")
    cases = BoardTaskCaseOutput(many=True, source="cases.all")
    inspectors = serializers.SerializerMethodField()
    trip = BoardTripBrief(allow_null=True)
    clock = serializers.SerializerMethodField()

    @extend_schema_field(BoardPersonOutput(many=True))
    def get_inspectors(self, obj) -> list[dict]:
        return BoardPersonOutput([a.inspector for a in obj.active_assignments], many=True).data

    @extend_schema_field(BoardClockOutput)
    def get_clock(self, obj) -> dict:
        return BoardClockOutput(selectors.board_task_clock(obj)).data


class BoardAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    inspector = BoardPersonOutput()
    method = serializers.CharField()
    method_label = serializers.CharField(source="get_method_display")
    reason = serializers.CharField()
    draw = serializers.IntegerField(source="draw_id", allow_null=True)
    assigned_by = BoardPersonOutput()
    assigned_at = serializers.DateTimeField()
    released_at = serializers.DateTimeField(allow_null=True)
    release_reason = serializers.CharField()


class BoardSharedItemOutput(serializers.Serializer):
    key = serializers.CharField(source="item.key")
    title = serializers.CharField(source="item.title")
    matters = serializers.ListField(child=serializers.CharField())


class BoardItemsSummaryOutput(serializers.Serializer):
    count = serializers.IntegerField()
    veto = serializers.IntegerField()
    shared = BoardSharedItemOutput(many=True)


class BoardTaskDetailOutput(BoardTaskListOutput):
    items = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField(
        help_text="指派记录（含已撤换）；仅审批局工作人员可见，其他人为 null")

    @extend_schema_field(BoardItemsSummaryOutput)
    def get_items(self, obj) -> dict:
        return BoardItemsSummaryOutput(selectors.board_checklist_summary(obj)).data

    @extend_schema_field(BoardAssignmentOutput(many=True, allow_null=True))
    def get_assignments(self, obj) -> list[dict] | None:
        if not self.context["request"].user.is_bureau_staff:
            return None
        return BoardAssignmentOutput(obj.all_assignments, many=True).data


class BoardEligibilityOutput(serializers.Serializer):
    inspector = BoardPersonOutput()
    eligible = serializers.BooleanField()
    reason = serializers.CharField()


class BoardDrawOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    seed = serializers.CharField()
    eligible = serializers.ListField(child=serializers.IntegerField())
    excluded = serializers.DictField(child=serializers.CharField())
    chosen = serializers.ListField(child=serializers.IntegerField())
    drawn_by = BoardPersonOutput()
    drawn_at = serializers.DateTimeField()
    verified = serializers.SerializerMethodField(help_text="按记录的种子与候选人重算，结果与记录一致")

    def get_verified(self, obj) -> bool:
        return selectors.board_draw_verified(obj)


class BoardTripOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    district = serializers.CharField(source="district.name")
    note = serializers.CharField()
    tasks = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_tasks(self, obj) -> list[int]:
        return sorted(t.pk for t in obj.tasks.all())


# ---------------------------------------------------------------- helpers

def _require_staff(user) -> None:
    if not user.is_bureau_staff:
        raise PermissionRefused(_("只有审批局工作人员可以查看勘验调度。"), "permission_denied")


def _task_detail(request, task_id: int) -> dict:
    task = selectors.task_get(request.user, task_id)
    if request.user.is_bureau_staff:
        task = selectors.board_task_get(user=request.user, task_id=task.pk)
    else:
        task = selectors.board_tasks(user=request.user, open_only=False).prefetch_related(
            "items__cases__matter").get(pk=task.pk)
        task.all_assignments = []
    return BoardTaskDetailOutput(task, context={"request": request}).data


def _inspector(pk: int) -> User:
    user = User.objects.filter(pk=pk, groups__name=Role.INSPECTOR).first()
    if user is None:
        raise ApplicationError(_("所选人员不是勘验员。"), "not_inspector")
    return user


def _choice(request, name: str, values) -> str:
    value = request.query_params.get(name, "")
    if value and value not in values:
        raise ApplicationError(_("筛选条件“{name}”的取值无效。").format(name=name),
                               "invalid_filter")
    return value


FILTERS = [
    OpenApiParameter("tier", str, enum=Tier.values, description="服务档次"),
    OpenApiParameter("district", int, description="区划编号"),
]


def _district(request) -> int | None:
    raw = request.query_params.get("district", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ApplicationError(_("筛选条件“district”须为区划编号。"), "invalid_filter")
    return int(raw)


# ---------------------------------------------------------------- views

@extend_schema(parameters=FILTERS)
class OpenRequestListApi(ListAPIView):
    """GET inspection-requests/open/: requests no task covers yet (bureau staff)."""

    serializer_class = BoardOpenRequestOutput

    def get_queryset(self):
        _require_staff(self.request.user)
        return selectors.board_open_requests(tier=_choice(self.request, "tier", Tier.values),
                                             district_id=_district(self.request))


class TaskListApi(ListAPIView):
    """GET inspection-tasks/: the tasks you may see (applicants: their own);
    POST: one task from open requests of one applicant (dispatchers)."""

    serializer_class = BoardTaskListOutput

    class InputSerializer(serializers.Serializer):
        requests = serializers.ListField(child=serializers.IntegerField(), min_length=1,
                                         max_length=50)

        class Meta:
            ref_name = "InspectionTaskCreateInput"

    @extend_schema(parameters=[*FILTERS, OpenApiParameter("status", str,
                                                          enum=TaskStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.board_tasks(
            user=self.request.user, open_only=False,
            status=_choice(self.request, "status", TaskStatus.values),
            tier=_choice(self.request, "tier", Tier.values), district_id=_district(self.request))

    @extend_schema(request=InputSerializer, responses={201: BoardTaskDetailOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["requests"])
        found = list(InspectionRequest.objects.filter(pk__in=ids))
        if len(found) != len(ids):
            raise ApplicationError(_("所选勘验申请不存在，请刷新后重试。"), "unknown_requests")
        task = dispatch.task_create(requests=found, by=request.user)
        return Response(_task_detail(request, task.pk), status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    @extend_schema(responses=BoardTaskDetailOutput)
    def get(self, request, task_id: int):
        return Response(_task_detail(request, task_id))


class TaskEligibilityApi(APIView):
    """Every inspector for the task: eligible, or excluded with the reason (bureau staff)."""

    @extend_schema(responses=BoardEligibilityOutput(many=True))
    def get(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        _require_staff(request.user)
        return Response(BoardEligibilityOutput(selectors.board_eligibility(task), many=True).data)


class TaskAssignApi(APIView):
    """Assign an inspector by hand, with the reason (dispatchers)."""

    class InputSerializer(serializers.Serializer):
        inspector = serializers.IntegerField()
        reason = serializers.CharField(max_length=300, allow_blank=True)

        class Meta:
            ref_name = "InspectionAssignInput"

    @extend_schema(request=InputSerializer, responses={201: BoardTaskDetailOutput})
    def post(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispatch.task_assign(task=task, inspector=_inspector(data.validated_data["inspector"]),
                             by=request.user, reason=data.validated_data["reason"])
        return Response(_task_detail(request, task.pk), status=status.HTTP_201_CREATED)


class TaskDrawApi(APIView):
    """Fill the free places by a recorded random draw among the eligible (dispatchers)."""

    @extend_schema(request=None, responses={201: BoardDrawOutput})
    def post(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        draw = dispatch.task_draw(task=task, by=request.user)
        return Response(BoardDrawOutput(draw).data, status=status.HTTP_201_CREATED)


class TaskReleaseApi(APIView):
    """Take an inspector off a task that has not started, with the reason (dispatchers)."""

    class InputSerializer(serializers.Serializer):
        inspector = serializers.IntegerField()
        reason = serializers.CharField(max_length=300, allow_blank=True)

        class Meta:
            ref_name = "InspectionReleaseInput"

    @extend_schema(request=InputSerializer, responses=BoardTaskDetailOutput)
    def post(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispatch.task_release(task=task, inspector=_inspector(data.validated_data["inspector"]),
                              by=request.user, reason=data.validated_data["reason"])
        return Response(_task_detail(request, task.pk))


class TripCreateApi(APIView):
    """合并勘验: open tasks of one district visited together on one day (dispatchers)."""

    class InputSerializer(serializers.Serializer):
        tasks = serializers.ListField(child=serializers.IntegerField(), min_length=1,
                                      max_length=50)
        date = serializers.DateField()
        note = serializers.CharField(max_length=200, required=False, default="",
                                     allow_blank=True)

        class Meta:
            ref_name = "InspectionTripCreateInput"

    @extend_schema(request=InputSerializer, responses={201: BoardTripOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["tasks"])
        tasks = list(InspectionTask.objects.filter(pk__in=ids))
        if len(tasks) != len(ids):
            raise ApplicationError(_("所选勘验任务不存在，请刷新后重试。"), "unknown_tasks")
        trip = dispatch.trip_create(tasks=tasks, day=data.validated_data["date"],
                                    by=request.user, note=data.validated_data["note"])
        trip = Trip.objects.select_related("district").prefetch_related("tasks").get(pk=trip.pk)
        return Response(BoardTripOutput(trip).data, status=status.HTTP_201_CREATED)


class TripDrawApi(APIView):
    """One pair for every task of the trip, drawn among those eligible for all (dispatchers)."""

    @extend_schema(request=None, responses={201: BoardDrawOutput(many=True)})
    def post(self, request, trip_id: int):
        trip = selectors.board_trip_get(user=request.user, trip_id=trip_id)
        draws = dispatch.trip_draw(trip=trip, by=request.user)
        return Response(BoardDrawOutput(draws, many=True).data, status=status.HTTP_201_CREATED)


class DrawDetailApi(APIView):
    """A draw record and whether its result follows from its seed (bureau staff)."""

    @extend_schema(responses=BoardDrawOutput)
    def get(self, request, draw_id: int):
        return Response(BoardDrawOutput(selectors.board_draw_get(user=request.user,
                                                            draw_id=draw_id)).data)
