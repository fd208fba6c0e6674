"""Pages: the live video inspection (mounted at the site root)."""

from django.urls import path

from inspections.video import views

urlpatterns = [
    path("inspections/tasks/<int:task_id>/call/", views.call_page, name="inspection-call"),
    path("inspections/tasks/<int:task_id>/premises/", views.premises_set,
         name="inspection-premises"),
    path("inspections/tasks/<int:task_id>/call/fallback/", views.call_fallback,
         name="inspection-call-fallback"),
    path("inspections/recordings/<int:recording_id>/", views.recording_file,
         name="inspection-recording-file"),
]
