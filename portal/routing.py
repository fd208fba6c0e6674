"""Websocket URL routing (Channels). Consumers are added by the apps that own them."""

from django.urls import path

from inspections.video.consumers import CallConsumer
from portal.notifications.consumers import NotificationConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
    path("ws/inspections/tasks/<int:task_id>/call/", CallConsumer.as_asgi(),
         name="ws-inspection-call"),
]
