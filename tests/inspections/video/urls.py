"""The site's URLs plus the video call's, until ``inspections/urls.py`` includes them."""

from django.urls import include, path

from portal.urls import urlpatterns as site

urlpatterns = [
    path("api/v1/", include("inspections.api.urls_video")),
    path("", include("inspections.web.urls_video")),
    *site,
]
