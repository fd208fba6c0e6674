"""API routes: standards (mounted at /api/v1/)."""

from django.urls import path

from inspections.api import standards as apis

urlpatterns = [
    path("inspection-standards/", apis.StandardListApi.as_view(),
         name="api-inspection-standards"),
    path("inspection-standards/<int:matter_id>/versions/",
         apis.StandardVersionListApi.as_view(), name="api-inspection-standard-versions"),
    path("inspection-standards/<int:matter_id>/versions/<int:number>/",
         apis.StandardVersionDetailApi.as_view(), name="api-inspection-standard-version"),
    path("inspection-standards/<int:matter_id>/media/<int:media_id>/",
         apis.StandardMediaApi.as_view(), name="api-inspection-standard-media"),
    path("cases/<int:case_id>/inspection-standard/", apis.CaseStandardApi.as_view(),
         name="api-case-inspection-standard"),
    path("cases/<int:case_id>/inspection-standard/media/<int:media_id>/",
         apis.CaseStandardMediaApi.as_view(), name="api-case-inspection-standard-media"),
]
