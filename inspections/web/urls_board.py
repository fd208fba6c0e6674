"""Page routes: board (mounted at the site root)."""

from django.urls import path

from inspections.web import board

urlpatterns = [
    path("inspections/board/", board.board_page, name="inspection-board"),
    path("inspections/board/tasks/new/", board.board_task_create,
         name="inspection-board-task-create"),
    path("inspections/board/tasks/<int:task_id>/", board.task_page,
         name="inspection-board-task"),
    path("inspections/board/tasks/<int:task_id>/assign/", board.task_assign,
         name="inspection-board-task-assign"),
    path("inspections/board/tasks/<int:task_id>/draw/", board.task_draw,
         name="inspection-board-task-draw"),
    path("inspections/board/tasks/<int:task_id>/release/", board.task_release,
         name="inspection-board-task-release"),
    path("inspections/board/trips/new/", board.board_trip_create,
         name="inspection-board-trip-create"),
    path("inspections/board/trips/<int:trip_id>/", board.trip_page,
         name="inspection-board-trip"),
    path("inspections/board/trips/<int:trip_id>/draw/", board.trip_draw,
         name="inspection-board-trip-draw"),
]
