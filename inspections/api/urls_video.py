"""API routes: the live video inspection (mounted at /api/v1/)."""

from django.urls import path

from inspections.video import api as apis

urlpatterns = [
    path("inspection-tasks/<int:task_id>/call/", apis.CallConfigApi.as_view(),
         name="api-inspection-call"),
    path("inspection-tasks/<int:task_id>/recordings/", apis.TaskRecordingsApi.as_view(),
         name="api-inspection-recordings"),
    path("inspection-tasks/<int:task_id>/call-locations/", apis.CallLocationApi.as_view(),
         name="api-inspection-call-locations"),
    path("inspection-tasks/<int:task_id>/premises/", apis.PremisesApi.as_view(),
         name="api-inspection-premises"),
    path("inspection-tasks/<int:task_id>/call-fallbacks/", apis.CallFallbackApi.as_view(),
         name="api-inspection-call-fallbacks"),
    path("inspection-recordings/<int:recording_id>/chunks/<int:seq>/",
         apis.RecordingChunkApi.as_view(), name="api-inspection-recording-chunk"),
    path("inspection-recordings/<int:recording_id>/finish/", apis.RecordingFinishApi.as_view(),
         name="api-inspection-recording-finish"),
    path("inspection-recordings/<int:recording_id>/abandon/",
         apis.RecordingAbandonApi.as_view(), name="api-inspection-recording-abandon"),
    path("inspection-recordings/<int:recording_id>/download/",
         apis.RecordingDownloadApi.as_view(), name="api-inspection-recording-download"),
]
