"""REST API for online booking (在线预约). Each view validates, fetches the object the user
may see (404 otherwise) and calls one service of ``inspections.services.booking``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections.models import Slot
from inspections.selectors import booking_get, booking_task_get
from inspections.services import booking as services
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError, PermissionRefused


class SlotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    inspector = serializers.IntegerField(source="inspector_id")
    inspector_name = serializers.CharField(source="inspector")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField()
    off_hours = serializers.SerializerMethodField(help_text="错时/周末：休息日或 8:30–17:30 以外")

    class Meta:
        ref_name = "InspectionSlot"

    def get_off_hours(self, obj) -> bool:
        return services.slot_off_hours(obj, self.context.get("calendar"))


class OwnSlotOutput(SlotOutput):
    booked = serializers.SerializerMethodField()
    task_number = serializers.SerializerMethodField()

    class Meta:
        ref_name = "InspectionOwnSlot"

    def get_booked(self, obj) -> bool:
        return bool(obj.active_bookings)

    def get_task_number(self, obj) -> str | None:
        return obj.active_bookings[0].task.number if obj.active_bookings else None


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    slot = serializers.IntegerField(source="slot_id")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    booked_at = serializers.DateTimeField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()

    class Meta:
        ref_name = "InspectionBooking"


def _calendar_context() -> dict:
    return {"calendar": get_calendar()}


def _slot(slot_id: int) -> Slot:
    slot = Slot.objects.filter(pk=slot_id).first()
    if slot is None:
        raise ApplicationError(_("所选时段不存在，请刷新后重新选择。"), "slot_not_found")
    return slot


class SlotListApi(ListAPIView):
    """GET: my open slots from now on (inspectors); POST: publish one, or ``days`` in a row."""

    serializer_class = OwnSlotOutput

    class InputSerializer(serializers.Serializer):
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        note = serializers.CharField(max_length=100, required=False, default="",
                                     allow_blank=True)
        days = serializers.IntegerField(min_value=1, max_value=services.MAX_SERIES_DAYS,
                                        required=False, default=1)

        class Meta:
            ref_name = "InspectionSlotPublishInput"

    def get_queryset(self):
        if not self.request.user.has_role(Role.INSPECTOR):
            raise PermissionRefused(_("只有勘验员可以管理可预约时段。"), "permission_denied")
        return services.inspector_slots(inspector=self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | _calendar_context()

    @extend_schema(request=InputSerializer, responses={201: SlotOutput(many=True)})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slots = services.slot_publish_series(inspector=request.user, by=request.user,
                                             **data.validated_data)
        return Response(SlotOutput(slots, many=True, context=_calendar_context()).data,
                        status=status.HTTP_201_CREATED)


class SlotWithdrawApi(APIView):
    @extend_schema(request=None, responses=SlotOutput)
    def post(self, request, slot_id: int):
        slot = Slot.objects.filter(pk=slot_id, inspector=request.user).first()
        if slot is None:
            raise ApplicationError(_("时段不存在。"), "not_found", status=404)
        slot = services.slot_withdraw(slot=slot, by=request.user)
        return Response(SlotOutput(slot, context=_calendar_context()).data)


class BookableSlotListApi(APIView):
    """The slots the task may be booked into now, by time (applicant side, dispatchers)."""

    @extend_schema(responses=SlotOutput(many=True))
    def get(self, request, task_id: int):
        task = booking_task_get(request.user, task_id)
        slots = services.bookable_slots(task)
        return Response(SlotOutput(slots, many=True, context=_calendar_context()).data)


class SlotChoiceInput(serializers.Serializer):
    slot = serializers.IntegerField()

    class Meta:
        ref_name = "InspectionSlotChoiceInput"


class BookingCreateApi(APIView):
    @extend_schema(request=SlotChoiceInput, responses={201: BookingOutput})
    def post(self, request, task_id: int):
        task = booking_task_get(request.user, task_id)
        data = SlotChoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_create(task=task, slot=_slot(data.validated_data["slot"]),
                                          by=request.user)
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingRescheduleApi(APIView):
    @extend_schema(request=SlotChoiceInput, responses={201: BookingOutput})
    def post(self, request, booking_id: int):
        booking = booking_get(request.user, booking_id)
        data = SlotChoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.booking_reschedule(booking=booking,
                                          slot=_slot(data.validated_data["slot"]),
                                          by=request.user)
        return Response(BookingOutput(new).data, status=status.HTTP_201_CREATED)


class BookingCancelApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200, required=False, default="",
                                       allow_blank=True)

        class Meta:
            ref_name = "InspectionBookingCancelInput"

    @extend_schema(request=InputSerializer, responses=BookingOutput)
    def post(self, request, booking_id: int):
        booking = booking_get(request.user, booking_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_cancel(booking=booking, by=request.user,
                                          reason=data.validated_data["reason"])
        return Response(BookingOutput(booking).data)
