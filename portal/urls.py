"""Top-level URL map: pages, the REST API (/api/v1/), its schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from archives import urls as archive_urls
from experts import urls as expert_urls
from inspections import urls as inspection_urls
from portal.accounts import apis as account_apis
from portal.core import views as core_views
from portal.dashboards import urls as dashboard_urls
from portal.notifications import urls as notification_urls
from portal.ratings import urls as rating_urls
from portal.regulators import urls as regulator_urls

api_v1 = [
    path("auth/token/", account_apis.TokenObtainApi.as_view(), name="api-token"),
    path("auth/register/", account_apis.RegisterApi.as_view(), name="api-register"),
    path("me/", account_apis.MeApi.as_view(), name="api-me"),
    path("applicants/", account_apis.ApplicantCounterApi.as_view(), name="api-applicants"),
    path("applicants/<int:applicant_id>/identity/", account_apis.ApplicantIdentityApi.as_view(),
         name="api-applicant-identity"),
    path("", include(inspection_urls.api_urlpatterns)),  # before approvals' cases/<id>/<action>/
    path("", include("approvals.urls")),
    path("", include(notification_urls.api_urlpatterns)),
    path("", include(expert_urls.api_urlpatterns)),
    path("", include(archive_urls.api_urlpatterns)),
    path("", include(dashboard_urls.api_urlpatterns)),
    path("", include(rating_urls.api_urlpatterns)),
    path("", include(regulator_urls.api_urlpatterns)),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("portal.web_urls")),
]
