"""API routes of the approvals app (mounted under /api/v1/)."""

from django.urls import path

from approvals.apis import cases as apis
from approvals.apis import certificates as certificate_apis
from approvals.apis import intake as intake_apis

urlpatterns = [
    path("matters/", apis.MatterListApi.as_view(), name="api-matters"),
    path("matters/<str:code>/", apis.MatterDetailApi.as_view(), name="api-matter"),
    path("cases/", apis.CaseListApi.as_view(), name="api-cases"),
    path("cases/<int:case_id>/", apis.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:case_id>/form/", intake_apis.CaseFormApi.as_view(), name="api-case-form"),
    path("cases/<int:case_id>/materials/", intake_apis.CaseMaterialListApi.as_view(),
         name="api-case-materials"),
    path("cases/<int:case_id>/opinions/", intake_apis.CaseOpinionApi.as_view(),
         name="api-case-opinions"),
    path("cases/<int:case_id>/commitment/", intake_apis.CaseCommitmentApi.as_view(),
         name="api-case-commitment"),
    path("cases/<int:case_id>/instant-approve/", intake_apis.CaseInstantApproveApi.as_view(),
         name="api-case-instant-approve"),
    path("materials/<int:material_id>/download/", intake_apis.MaterialDownloadApi.as_view(),
         name="api-material-download"),
    path("notices/<int:notice_id>/download/", intake_apis.NoticeDownloadApi.as_view(),
         name="api-notice-download"),
    path("bundles/", intake_apis.BundleListApi.as_view(), name="api-bundles"),
    path("bundles/<str:code>/apply/", intake_apis.BundleApplyApi.as_view(),
         name="api-bundle-apply"),
    path("case-groups/<int:group_id>/submit/", intake_apis.CaseGroupSubmitApi.as_view(),
         name="api-case-group-submit"),
    path("agent-authorizations/", intake_apis.AgentAuthorizationListApi.as_view(),
         name="api-agent-authorizations"),
    path("agent-authorizations/<int:authorization_id>/revoke/",
         intake_apis.AgentAuthorizationRevokeApi.as_view(), name="api-agent-revoke"),
    path("certificates/", certificate_apis.CertificateListApi.as_view(), name="api-certificates"),
    path("certificates/<int:certificate_id>/download/",
         certificate_apis.CertificateDownloadApi.as_view(), name="api-certificate-download"),
    path("certificates/<int:certificate_id>/<slug:action>/",
         certificate_apis.CertificateActionApi.as_view(), name="api-certificate-action"),
    path("verify/<str:code>/", certificate_apis.VerifyApi.as_view(), name="api-verify"),
    path("counter/queue/", intake_apis.CounterQueueApi.as_view(), name="api-counter-queue"),
    path("deficiencies/overdue/", intake_apis.OverdueDeficiencyListApi.as_view(),
         name="api-deficiencies-overdue"),
    path("cases/<int:case_id>/<slug:transition>/", apis.CaseTransitionApi.as_view(),
         name="api-case-transition"),
]
