"""API routes: booking (mounted at /api/v1/)."""

from django.urls import path

from inspections.api import booking as apis

urlpatterns = [
    path("inspection-slots/", apis.SlotListApi.as_view(), name="api-inspection-slots"),
    path("inspection-slots/<int:slot_id>/withdraw/", apis.SlotWithdrawApi.as_view(),
         name="api-inspection-slot-withdraw"),
    path("inspection-tasks/<int:task_id>/bookable-slots/", apis.BookableSlotListApi.as_view(),
         name="api-inspection-bookable-slots"),
    path("inspection-tasks/<int:task_id>/booking/", apis.BookingCreateApi.as_view(),
         name="api-inspection-booking"),
    path("inspection-bookings/<int:booking_id>/reschedule/",
         apis.BookingRescheduleApi.as_view(), name="api-inspection-booking-reschedule"),
    path("inspection-bookings/<int:booking_id>/cancel/", apis.BookingCancelApi.as_view(),
         name="api-inspection-booking-cancel"),
]
