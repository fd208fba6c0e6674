"""The archive API alone, so its schema is checked without the other apps' warnings."""

from django.urls import include, path

from archives.urls import api_urlpatterns

urlpatterns = [path("api/v1/", include(api_urlpatterns))]
