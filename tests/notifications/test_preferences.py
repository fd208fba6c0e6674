"""Channel preferences: defaults (in-app always, e-mail on, SMS for the applicant side on
key events), the user's choice respected, and the page and API that change them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.core.errors import ApplicationError
from portal.notifications.models import NotificationPreference, OutboxMessage
from portal.notifications.selectors import preference_list
from portal.notifications.services import notify, preference_channels, preferences_update
from tests.factories import ApplicantFactory, staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.urls")]


@pytest.fixture
def applicant_user(db):
    return ApplicantFactory(user__email="li@example.com").user


@pytest.fixture
def reviewer(db):
    return staff("reviewer", email="rev@example.gov.cn")


def channels_sent(user, key) -> set[str]:
    return set(OutboxMessage.objects.filter(dedupe_key__startswith=f"{key}:",
                                            recipient=user).values_list("channel", flat=True))


def test_applicant_defaults_email_on_and_sms_on_key_events(applicant_user):
    assert preference_channels(applicant_user, "case_accepted") == (True, True)
    assert preference_channels(applicant_user, "inspection_concluded") == (True, False)


def test_staff_defaults_email_on_sms_off(reviewer):
    assert preference_channels(reviewer, "deadline_overdue") == (True, False)


def test_staff_are_not_offered_applicant_events(reviewer, applicant_user):
    staff_events = {row.event for row in preference_list(user=reviewer)}
    assert "deadline_escalated" in staff_events and "case_accepted" not in staff_events
    assert "deadline_escalated" not in {r.event for r in preference_list(user=applicant_user)}


def test_choice_is_respected_in_app_always_delivered(applicant_user):
    preferences_update(user=applicant_user, changes=[
        {"event": "case_accepted", "email": False, "sms": False}])
    note = notify(recipient=applicant_user, event="case_accepted", key="p1", context={})
    assert note is not None and channels_sent(applicant_user, "p1") == set()
    notify(recipient=applicant_user, event="case_issued", key="p2", context={})
    assert channels_sent(applicant_user, "p2") == {"email", "sms"}


def test_staff_may_opt_in_to_sms(reviewer):
    preferences_update(user=reviewer, changes=[{"event": "deadline_overdue", "sms": True}])
    assert preference_channels(reviewer, "deadline_overdue") == (True, True)
    notify(recipient=reviewer, event="deadline_overdue", key="s", context={})
    assert channels_sent(reviewer, "s") == {"email", "sms"}


def test_unknown_event_is_refused(applicant_user):
    with pytest.raises(ApplicationError) as refused:
        preferences_update(user=applicant_user, changes=[{"event": "deadline_escalated"}])
    assert refused.value.code == "unknown_event"


def test_preferences_page_saves_the_checkboxes(client, applicant_user):
    client.force_login(applicant_user)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200 and "受理通知" in page.content.decode()
    response = client.post("/notifications/preferences/", {"email_case_accepted": "on"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=applicant_user, event="case_accepted")
    assert (pref.email, pref.sms) == (True, False)
    assert preference_channels(applicant_user, "case_issued") == (False, False)


def test_preferences_api_get_and_put(applicant_user):
    api = APIClient()
    api.force_authenticate(applicant_user)
    rows = api.get("/api/v1/notification-preferences/").json()
    accepted = next(r for r in rows if r["event"] == "case_accepted")
    assert accepted == {"event": "case_accepted", "label": "受理通知", "in_app": True,
                        "email": True, "sms": True}
    response = api.put("/api/v1/notification-preferences/",
                       [{"event": "case_accepted", "sms": False}], format="json")
    assert response.status_code == 200
    accepted = next(r for r in response.json() if r["event"] == "case_accepted")
    assert (accepted["email"], accepted["sms"]) == (True, False)
    bad = api.put("/api/v1/notification-preferences/", [{"event": "nope"}], format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_event"


def test_preferences_need_login(client):
    assert client.get("/notifications/preferences/").status_code == 302
    assert APIClient().get("/api/v1/notification-preferences/").status_code in (401, 403)
