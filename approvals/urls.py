"""API routes of the approvals app (mounted under /api/v1/)."""

from django.urls import path

from approvals import apis

urlpatterns = [
    path("matters/", apis.MatterListApi.as_view(), name="api-matters"),
    path("matters/<str:code>/", apis.MatterDetailApi.as_view(), name="api-matter"),
    path("cases/", apis.CaseListApi.as_view(), name="api-cases"),
    path("cases/<int:case_id>/", apis.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:case_id>/<slug:transition>/", apis.CaseTransitionApi.as_view(),
         name="api-case-transition"),
]
