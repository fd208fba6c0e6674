"""Routes: pages (``web_urlpatterns``, site root) and API (``api_urlpatterns``, /api/v1/)."""

from django.urls import path

from portal.regulators.api import events as event_apis
from portal.regulators.api import requests as request_apis
from portal.regulators.web import bureau, results

R = "regulators/requests/<int:request_id>/"

web_urlpatterns = [
    path("regulators/", results.inbox_page, name="regulators-inbox"),
    path("regulators/events/<uuid:event_id>/", results.event_page, name="regulators-event"),
    path("regulators/events/<uuid:event_id>/claim/", results.event_claim,
         name="regulators-event-claim"),
    path("regulators/requests/", bureau.requests_page, name="regulators-requests"),
    path("regulators/requests/new/", results.request_new, name="regulators-request-new"),
    path(R, bureau.request_page, name="regulators-request"),
    path(R + "handle/", bureau.request_handle, name="regulators-request-handle"),
    path(R + "attachments/<int:attachment_id>/", bureau.attachment_download,
         name="regulators-request-attachment"),
    path("regulators/outbox/", bureau.outbox_page, name="regulators-outbox"),
    path("regulators/outbox/retry/", bureau.outbox_retry_view, name="regulators-outbox-retry"),
]

api_urlpatterns = [
    path("regulators/events/", event_apis.EventListApi.as_view(), name="api-regulator-events"),
    path("regulators/events/<uuid:event_id>/claim/", event_apis.EventClaimApi.as_view(),
         name="api-regulator-event-claim"),
    path("regulators/requests/", request_apis.RequestListCreateApi.as_view(),
         name="api-regulator-requests"),
    path("regulators/requests/<int:request_id>/", request_apis.RequestDetailApi.as_view(),
         name="api-regulator-request"),
    path("regulators/requests/<int:request_id>/handle/",
         request_apis.RequestHandleApi.as_view(), name="api-regulator-request-handle"),
]
