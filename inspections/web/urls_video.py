"""Pages: the live video inspection (mounted at the site root)."""

from django.urls import path

from inspections.video import views

urlpatterns = [
    path("inspections/tasks/<int:task_id>/call/", views.call_page, name="inspection-call"),
]
