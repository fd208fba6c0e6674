"""Routes: pages (``web_urlpatterns``, site root) and API (``api_urlpatterns``, /api/v1/)."""

web_urlpatterns: list = []
api_urlpatterns: list = []
