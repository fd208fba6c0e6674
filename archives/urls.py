"""Routes: pages (``web_urlpatterns``, site root) and API (``api_urlpatterns``, /api/v1/)."""

from django.urls import path

from archives.api import destruction as destruction_apis
from archives.api import lending as loan_apis
from archives.api import packages as package_apis
from archives.web import lending, package, retention, search

P = "archives/<int:package_id>/"

web_urlpatterns = [
    path("archives/", search.search_page, name="archives-search"),
    path("archives/pending/", search.pending_page, name="archives-pending"),
    path("archives/bind/<int:case_id>/", search.bind, name="archives-bind"),
    path("archives/verify/", package.verify_zip_page, name="archives-verify-zip"),
    path(P, package.package_page, name="archives-package"),
    path(P + "verify/", package.verify, name="archives-verify"),
    path(P + "export/", package.export, name="archives-export"),
    path(P + "catalogue/", package.catalogue, name="archives-catalogue"),
    path(P + "documents/<int:seq>/", package.document, name="archives-document"),
    path(P + "paper/", package.paper, name="archives-paper"),
    path(P + "loans/", package.loan_create, name="archives-loan-create"),
    path("archives/loans/", lending.loans_page, name="archives-loans"),
    path("archives/loans/<int:loan_id>/return/", lending.loan_return,
         name="archives-loan-return"),
    path("archives/retention/", retention.retention_page, name="archives-retention"),
    path("archives/destruction/", retention.propose, name="archives-destruction-propose"),
    path("archives/destruction/<int:destruction_id>/", retention.destruction_page,
         name="archives-destruction"),
    path("archives/destruction/<int:destruction_id>/decide/", retention.decide,
         name="archives-destruction-decide"),
]

api_urlpatterns = [
    path("archives/", package_apis.PackageSearchApi.as_view(), name="api-archives"),
    path("archives/bind/", package_apis.PackageBindApi.as_view(), name="api-archives-bind"),
    path("archives/verify/", package_apis.ZipVerifyApi.as_view(), name="api-archives-verify-zip"),
    path(P, package_apis.PackageDetailApi.as_view(), name="api-archive"),
    path(P + "export/", package_apis.PackageExportApi.as_view(), name="api-archive-export"),
    path(P + "catalogue/", package_apis.PackageCatalogueApi.as_view(),
         name="api-archive-catalogue"),
    path(P + "verify/", package_apis.PackageVerifyApi.as_view(), name="api-archive-verify"),
    path(P + "paper/", package_apis.PackagePaperApi.as_view(), name="api-archive-paper"),
    path(P + "loans/", loan_apis.PackageLoansApi.as_view(), name="api-archive-loans"),
    path("archives/loans/", loan_apis.LoanListApi.as_view(), name="api-archives-loans"),
    path("archives/loans/<int:loan_id>/return/", loan_apis.LoanReturnApi.as_view(),
         name="api-archives-loan-return"),
    path("archives/retention/due/", destruction_apis.RetentionDueApi.as_view(),
         name="api-archives-retention-due"),
    path("archives/destruction-lists/", destruction_apis.DestructionListApi.as_view(),
         name="api-archives-destruction-lists"),
    path("archives/destruction-lists/<int:destruction_id>/",
         destruction_apis.DestructionDetailApi.as_view(), name="api-archives-destruction-list"),
    path("archives/destruction-lists/<int:destruction_id>/decision/",
         destruction_apis.DestructionDecisionApi.as_view(),
         name="api-archives-destruction-decision"),
]
