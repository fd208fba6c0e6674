"""The project's URLs plus the notifications routes (until the project includes them)."""

from django.urls import include, path

from portal import urls as project
from portal.notifications.urls import api_urlpatterns, web_urlpatterns

urlpatterns = [
    path("api/v1/", include(api_urlpatterns)),
    path("", include(web_urlpatterns)),
    *project.urlpatterns,
]
