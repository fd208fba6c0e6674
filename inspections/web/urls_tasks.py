"""Page routes: tasks (mounted at the site root): the inspector's list, the applicant
side's list, the task page and its actions, evidence files."""

from django.urls import path

from inspections.web import tasks as views

T = "inspections/tasks/<int:task_id>/"

urlpatterns = [
    path("inspections/my/", views.my_tasks_page, name="inspection-my-tasks"),
    path("inspections/tasks/", views.task_list_page, name="inspection-task-list"),
    path(T, views.task_page, name="inspection-task"),
    path(T + "start/", views.task_start, name="inspection-task-start"),
    path(T + "items/<int:item_id>/result/", views.item_result, name="inspection-item-result"),
    path(T + "items/<int:item_id>/evidence/", views.item_evidence,
         name="inspection-item-evidence"),
    path(T + "conclusions/", views.conclusion_propose, name="inspection-conclusion-propose"),
    path(T + "conclusions/<int:conclusion_id>/confirm/", views.conclusion_confirm,
         name="inspection-conclusion-confirm"),
    path(T + "conclusions/<int:conclusion_id>/withdraw/", views.conclusion_withdraw,
         name="inspection-conclusion-withdraw"),
    path(T + "items/<int:item_id>/verify/", views.item_verify, name="inspection-item-verify"),
    path(T + "items/<int:item_id>/rectify/", views.item_rectify, name="inspection-item-rectify"),
    path(T + "rectification/submit/", views.rectification_submit,
         name="inspection-rectification-submit"),
    path("inspections/evidence/<int:evidence_id>/", views.evidence_file,
         name="inspection-evidence"),
]
