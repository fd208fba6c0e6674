"""API routes: doing the inspection (mounted at /api/v1/). The task list and detail
(GET inspection-tasks/ and inspection-tasks/{id}/) live with the board."""

from django.urls import path

from inspections.api import tasks as apis

urlpatterns = [
    path("inspection-tasks/<int:task_id>/items/", apis.TaskChecklistApi.as_view(),
         name="api-inspection-task-items"),
    path("inspection-tasks/<int:task_id>/start/", apis.TaskStartApi.as_view(),
         name="api-inspection-task-start"),
    path("inspection-tasks/<int:task_id>/conclusions/", apis.ConclusionProposeApi.as_view(),
         name="api-inspection-task-conclusions"),
    path("inspection-tasks/<int:task_id>/rectification/submit/",
         apis.RectificationSubmitApi.as_view(), name="api-inspection-rectification-submit"),
    path("inspection-task-items/<int:item_id>/result/", apis.ItemResultApi.as_view(),
         name="api-inspection-item-result"),
    path("inspection-task-items/<int:item_id>/evidence/", apis.ItemEvidenceApi.as_view(),
         name="api-inspection-item-evidence"),
    path("inspection-task-items/<int:item_id>/rectification-note/",
         apis.RectificationNoteApi.as_view(), name="api-inspection-item-rectification-note"),
    path("inspection-task-items/<int:item_id>/verify/", apis.RectifyVerifyApi.as_view(),
         name="api-inspection-item-verify"),
    path("inspection-evidence/<int:evidence_id>/download/", apis.EvidenceDownloadApi.as_view(),
         name="api-inspection-evidence-download"),
    path("inspection-conclusions/<int:conclusion_id>/confirm/",
         apis.ConclusionConfirmApi.as_view(), name="api-inspection-conclusion-confirm"),
    path("inspection-conclusions/<int:conclusion_id>/withdraw/",
         apis.ConclusionWithdrawApi.as_view(), name="api-inspection-conclusion-withdraw"),
]
