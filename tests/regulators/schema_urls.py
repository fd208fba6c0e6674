"""Only the regulator API, for checking its part of the OpenAPI schema on its own."""

from django.urls import include, path

from portal.regulators.urls import api_urlpatterns

urlpatterns = [path("api/v1/", include(api_urlpatterns))]
