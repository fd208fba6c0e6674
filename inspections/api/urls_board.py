"""API routes: board (mounted at /api/v1/)."""

from django.urls import path

from inspections.api import board

urlpatterns = [
    path("inspection-requests/open/", board.OpenRequestListApi.as_view(),
         name="api-inspection-requests-open"),
    path("inspection-tasks/", board.TaskListApi.as_view(), name="api-inspection-tasks"),
    path("inspection-tasks/<int:task_id>/", board.TaskDetailApi.as_view(),
         name="api-inspection-task"),
    path("inspection-tasks/<int:task_id>/eligibility/", board.TaskEligibilityApi.as_view(),
         name="api-inspection-task-eligibility"),
    path("inspection-tasks/<int:task_id>/assign/", board.TaskAssignApi.as_view(),
         name="api-inspection-task-assign"),
    path("inspection-tasks/<int:task_id>/draw/", board.TaskDrawApi.as_view(),
         name="api-inspection-task-draw"),
    path("inspection-tasks/<int:task_id>/release/", board.TaskReleaseApi.as_view(),
         name="api-inspection-task-release"),
    path("inspection-trips/", board.TripCreateApi.as_view(), name="api-inspection-trips"),
    path("inspection-trips/<int:trip_id>/draw/", board.TripDrawApi.as_view(),
         name="api-inspection-trip-draw"),
    path("inspection-draws/<int:draw_id>/", board.DrawDetailApi.as_view(),
         name="api-inspection-draw"),
]
