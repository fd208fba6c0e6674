"""REST API for one's own notifications and channel preferences (mounted under /api/v1/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.notifications import selectors, services


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "NotificationOutput"


class NotificationListApi(ListAPIView):
    """Your notifications, newest first (``?unread=1`` for unread only)."""

    serializer_class = NotificationOutput

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notification_list(user=self.request.user, unread_only=unread)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["unread_count"] = selectors.unread_count(user=request.user)
        return response


class NotificationReadApi(APIView):
    """Mark one of your notifications read."""

    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, notification_id: int):
        notification = selectors.notification_get(user=request.user,
                                                  notification_id=notification_id)
        notification = services.notification_mark_read(notification=notification,
                                                       by=request.user)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    """Mark all your notifications read."""

    @extend_schema(request=None, responses=inline_serializer(
        "NotificationReadAllOutput", {"marked": serializers.IntegerField(),
                                      "unread_count": serializers.IntegerField()}))
    def post(self, request):
        marked = services.notification_mark_all_read(by=request.user)
        return Response({"marked": marked,
                         "unread_count": selectors.unread_count(user=request.user)})


class PreferenceOutput(serializers.Serializer):
    event = serializers.CharField()
    label = serializers.CharField()
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()
    sms = serializers.BooleanField()

    class Meta:
        ref_name = "NotificationPreferenceOutput"


class NotificationPreferencesApi(APIView):
    """Your channels per event: in-app always; e-mail and SMS as you choose."""

    class InputSerializer(serializers.Serializer):
        event = serializers.CharField(max_length=40)
        email = serializers.BooleanField(required=False)
        sms = serializers.BooleanField(required=False)

        class Meta:
            ref_name = "NotificationPreferenceInput"

    @extend_schema(responses=PreferenceOutput(many=True))
    def get(self, request):
        rows = selectors.preference_list(user=request.user)
        return Response(PreferenceOutput(rows, many=True).data)

    @extend_schema(request=InputSerializer(many=True), responses=PreferenceOutput(many=True))
    def put(self, request):
        data = self.InputSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        services.preferences_update(user=request.user, changes=data.validated_data)
        rows = selectors.preference_list(user=request.user)
        return Response(PreferenceOutput(rows, many=True).data)
