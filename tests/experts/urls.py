"""The project's URLs plus the experts routes (until the project includes them)."""

from django.urls import include, path

from experts.urls import api_urlpatterns, web_urlpatterns
from portal import urls as project

urlpatterns = [
    path("api/v1/", include(api_urlpatterns)),
    path("", include(web_urlpatterns)),
    *project.urlpatterns,
]
