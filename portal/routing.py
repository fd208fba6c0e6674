"""Websocket URL routing (Channels). Consumers are added by the apps that own them."""

websocket_urlpatterns: list = []
