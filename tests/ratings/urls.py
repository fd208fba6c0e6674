"""Only the ratings API, so the schema test reports this app's warnings alone."""

from django.urls import include, path

from portal.ratings.urls import api_urlpatterns

urlpatterns = [path("api/v1/", include(api_urlpatterns))]
