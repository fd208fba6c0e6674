"""Page routes: booking (mounted at the site root)."""

from django.urls import path

from inspections.web import booking as views

urlpatterns = [
    path("inspections/slots/", views.slot_list_page, name="inspection-slots"),
    path("inspections/slots/<int:slot_id>/withdraw/", views.slot_withdraw_page,
         name="inspection-slot-withdraw"),
    path("inspections/tasks/<int:task_id>/booking/", views.booking_page,
         name="inspection-booking"),
    path("inspections/tasks/<int:task_id>/booking/book/", views.booking_book_page,
         name="inspection-booking-book"),
    path("inspections/tasks/<int:task_id>/booking/reschedule/", views.booking_reschedule_page,
         name="inspection-booking-reschedule"),
    path("inspections/bookings/<int:booking_id>/cancel/", views.booking_cancel_page,
         name="inspection-booking-cancel"),
]
