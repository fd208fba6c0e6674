"""Routes of the notifications app. The project includes ``api_urlpatterns`` under
/api/v1/ and ``web_urlpatterns`` among the pages; the websocket is in portal/routing.py."""

from django.urls import path

from portal.notifications import apis, views

api_urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", apis.NotificationReadAllApi.as_view(),
         name="api-notifications-read-all"),
    path("notifications/<int:notification_id>/read/", apis.NotificationReadApi.as_view(),
         name="api-notification-read"),
    path("notification-preferences/", apis.NotificationPreferencesApi.as_view(),
         name="api-notification-preferences"),
]

web_urlpatterns = [
    path("notifications/", views.notification_list_page, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all,
         name="notification-read-all"),
    path("notifications/<int:notification_id>/read/", views.notification_read,
         name="notification-read"),
    path("notifications/preferences/", views.notification_preferences_page,
         name="notification-preferences"),
]
