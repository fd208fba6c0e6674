"""The notification list page, the unread badge and the API: users see and change only
their own notifications."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from rest_framework.test import APIClient

from portal.notifications.models import Notification
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.urls")]


@pytest.fixture
def alice(db):
    return UserFactory(roles=["applicant"])


@pytest.fixture
def bob(db):
    return UserFactory(roles=["applicant"])


def _notes(user, n=2, link="/cases/1/"):
    return [notify(recipient=user, event="case_accepted", key=f"{user.pk}:{i}", link=link,
                   context={"case_number": f"SP-2026-00000{i}", "matter": "食品经营许可"})
            for i in range(n)]


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_list_page_shows_own_notifications_with_unread_count(client, alice, bob):
    _notes(alice)
    _notes(bob, 1)
    client.force_login(alice)
    html = client.get("/notifications/").content.decode()
    assert html.count("您的申请已受理") == 2 and "2 条未读" in html


def test_mark_read_and_open_the_link(client, alice):
    note, _other = _notes(alice)
    client.force_login(alice)
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/cases/1/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_external_link_is_not_followed(client, alice):
    [note] = _notes(alice, 1, link="https://evil.example.com/")
    client.force_login(alice)
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_cannot_mark_another_users_notification(client, alice, bob):
    [theirs] = _notes(bob, 1)
    client.force_login(alice)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_page(client, alice, bob):
    _notes(alice)
    _notes(bob, 1)
    client.force_login(alice)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_api_lists_own_notifications_newest_first(api, alice, bob):
    first, second = _notes(alice)
    _notes(bob, 1)
    body = api.get("/api/v1/notifications/").json()
    assert [r["id"] for r in body["results"]] == [second.pk, first.pk]
    assert body["unread_count"] == 2 and body["count"] == 2
    assert set(body["results"][0]) == {"id", "event", "title", "body", "link",
                                       "created_at", "read_at"}


def test_api_mark_read_and_unread_filter(api, alice):
    first, second = _notes(alice)
    response = api.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    unread = api.get("/api/v1/notifications/?unread=1").json()
    assert [r["id"] for r in unread["results"]] == [second.pk] and unread["unread_count"] == 1


def test_api_cannot_read_another_users_notification(api, bob):
    [theirs] = _notes(bob, 1)
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_read_all(api, alice):
    _notes(alice, 3)
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 3,
                                                                  "unread_count": 0}


def test_api_needs_authentication():
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_badge_renders_the_unread_count_without_javascript(alice):
    _notes(alice, 3)
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("components/notification_badge.html", {"user": alice},
                            request=request)
    assert 'href="/notifications/"' in html and ">3</span>" in html
    assert 'data-notifications-ws="/ws/notifications/"' in html and "notifications.js" in html


def test_badge_hides_a_zero_count_and_is_empty_for_anonymous(alice):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("components/notification_badge.html", {"user": alice},
                            request=request)
    assert "data-notification-count hidden" in html
    request.user = AnonymousUser()
    assert render_to_string("components/notification_badge.html",
                            {"user": request.user}, request=request).strip() == ""


def test_openapi_schema_has_the_notification_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 "--urlconf", "tests.notifications.urls")
    text = out.read_text()
    for path in ("/api/v1/notifications/", "/api/v1/notifications/{notification_id}/read/",
                 "/api/v1/notifications/read-all/", "/api/v1/notification-preferences/"):
        assert f"{path}:" in text
