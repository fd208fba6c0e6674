"""Booking pages and API: the inspector's slots page, the task's booking page for the
applicant side and dispatchers, the same services behind the API, object-level 404s for
strangers, Chinese refusals, and query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inspections.models import Booking, Slot, TaskStatus
from inspections.services.booking import booking_create, slot_publish
from tests.factories import ApplicantFactory, staff
from tests.inspections.conftest import make_inspector

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def publish(inspector, hours: float = 48, minutes: int = 60) -> Slot:
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return slot_publish(inspector=inspector, starts_at=start,
                        ends_at=start + timedelta(minutes=minutes), by=inspector)


def next_saturday() -> datetime:
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def booking_url(task) -> str:
    return f"/inspections/tasks/{task.pk}/booking/"


# --- the inspector's slots page -------------------------------------------------------------

def test_inspector_publishes_a_weekend_slot_from_the_page(inspectors):
    day = next_saturday()
    client = page_client(inspectors[0])
    response = client.post("/inspections/slots/", {"day": day.isoformat(), "start": "09:00",
                                                    "end": "10:30", "days": "1", "note": "周末"})
    assert response.status_code == 302
    slot = Slot.objects.get(inspector=inspectors[0])
    assert timezone.localtime(slot.starts_at).date() == day
    html = client.get("/inspections/slots/").content.decode()
    assert "错时/周末" in html and "可预约" in html and "09:00–10:30" in html


def test_bad_slot_input_is_refused_in_chinese_and_kept(inspectors):
    client = page_client(inspectors[0])
    publish(inspectors[0], hours=48)
    day = timezone.localdate(Slot.objects.get().starts_at)
    start = timezone.localtime(Slot.objects.get().starts_at).strftime("%H:%M")
    overlap = client.post("/inspections/slots/", {"day": day.isoformat(), "start": start,
                                                   "end": "23:59", "days": "1",
                                                   "note": "保留我"})
    assert overlap.status_code == 400
    html = overlap.content.decode()
    assert "重叠" in html and "保留我" in html
    backwards = client.post("/inspections/slots/", {"day": day.isoformat(), "start": "10:00",
                                                     "end": "09:00", "days": "1"})
    assert backwards.status_code == 400 and "结束时间须晚于开始时间" in backwards.content.decode()
    assert Slot.objects.count() == 1


def test_slots_page_is_for_inspectors_only(dispatcher):
    assert page_client(dispatcher).get("/inspections/slots/").status_code == 403


def test_inspector_withdraws_own_slot_but_not_anothers(inspectors):
    mine, theirs = publish(inspectors[0]), publish(inspectors[1])
    client = page_client(inspectors[0])
    assert client.post(f"/inspections/slots/{theirs.pk}/withdraw/").status_code == 404
    assert client.post(f"/inspections/slots/{mine.pk}/withdraw/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.withdrawn_at is not None and theirs.withdrawn_at is None


def test_inspector_cancels_a_booking_from_the_slots_page(assigned_task, inspectors):
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]),
                             by=assigned_task.applicant.user)
    client = page_client(inspectors[1])
    html = client.get("/inspections/slots/").content.decode()
    assert html.count("已预约") == 0  # the slot is inspectors[0]'s; not on this page
    page = page_client(inspectors[0]).get("/inspections/slots/").content.decode()
    assert assigned_task.number in page and "取消预约" in page
    refused = client.post(f"/inspections/bookings/{booking.pk}/cancel/", {"reason": ""},
                          follow=True)
    assert "请填写取消原因" in refused.content.decode()
    client.post(f"/inspections/bookings/{booking.pk}/cancel/", {"reason": "临时公务"})
    booking.refresh_from_db()
    assert booking.cancel_reason == "临时公务"


def test_slots_page_query_count_is_flat(assigned_task, inspectors, django_assert_max_num_queries):
    client = page_client(inspectors[0])
    booking_create(task=assigned_task, slot=publish(inspectors[0], hours=30),
                   by=assigned_task.applicant.user)
    publish(inspectors[0], hours=40)
    with CaptureQueriesContext(connection) as few:
        client.get("/inspections/slots/")
    for hours in range(50, 110, 2):
        publish(inspectors[0], hours=hours)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/inspections/slots/").status_code == 200


# --- the booking page ------------------------------------------------------------------------

def test_applicant_sees_slots_by_day_books_reschedules_and_cancels(assigned_task, inspectors):
    applicant = assigned_task.applicant.user
    first, second = publish(inspectors[0], hours=30), publish(inspectors[1], hours=54)
    client = page_client(applicant)
    html = client.get(booking_url(assigned_task)).content.decode()
    assert "周勘验" in html and "吴勘验" in html and "预约此时段" in html
    assert "至少提前 2 小时预约" in html and "最多在线改约 2 次" in html
    assert client.post(booking_url(assigned_task) + "book/", {"slot": first.pk}).status_code \
        == 302
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.BOOKED
    html = client.get(booking_url(assigned_task)).content.decode()
    assert "改约到此时段" in html and "还可改约 2 次" in html
    client.post(booking_url(assigned_task) + "reschedule/", {"slot": second.pk})
    current = Booking.objects.get(cancelled_at__isnull=True)
    assert current.slot == second and current.replaces.slot == first
    response = client.post(f"/inspections/bookings/{current.pk}/cancel/", {"reason": ""},
                           follow=True)
    assert "预约已取消" in response.content.decode()
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED


def test_booking_errors_are_shown_in_chinese(assigned_task, inspectors):
    soon = publish(inspectors[0], hours=1)
    client = page_client(assigned_task.applicant.user)
    response = client.post(booking_url(assigned_task) + "book/", {"slot": soon.pk}, follow=True)
    assert "须至少提前 2 小时预约" in response.content.decode()
    response = client.post(booking_url(assigned_task) + "book/", {"slot": "x"}, follow=True)
    assert "请选择一个可预约的时段" in response.content.decode()
    assert not Booking.objects.exists()


def test_dispatcher_may_open_the_booking_page(assigned_task, dispatcher, inspectors):
    slot = publish(inspectors[0])
    client = page_client(dispatcher)
    assert client.get(booking_url(assigned_task)).status_code == 200
    client.post(booking_url(assigned_task) + "book/", {"slot": slot.pk})
    assert Booking.objects.get().booked_by == dispatcher


@pytest.mark.parametrize("who", ["other_applicant", "reviewer", "assigned_inspector"])
def test_strangers_get_404_on_the_booking_page(assigned_task, inspectors, who):
    user = {"other_applicant": lambda: ApplicantFactory().user,
            "reviewer": lambda: staff("reviewer"),
            "assigned_inspector": lambda: inspectors[0]}[who]()
    slot = publish(inspectors[0])
    client = page_client(user)
    assert client.get(booking_url(assigned_task)).status_code == 404
    assert client.post(booking_url(assigned_task) + "book/", {"slot": slot.pk}).status_code \
        == 404
    assert not Booking.objects.exists()


def test_booking_page_query_count_is_flat(assigned_task, inspectors,
                                          django_assert_max_num_queries):
    client = page_client(assigned_task.applicant.user)
    publish(inspectors[0], hours=30)
    with CaptureQueriesContext(connection) as few:
        client.get(booking_url(assigned_task))
    for hours in range(40, 160, 3):
        publish(inspectors[hours % 2], hours=hours)
    with django_assert_max_num_queries(len(few)):
        html = client.get(booking_url(assigned_task)).content.decode()
    assert html.count("预约此时段") == 41


# --- the API ---------------------------------------------------------------------------------

def test_api_publish_list_and_withdraw_slots(inspectors):
    client = api_client(inspectors[0])
    start = timezone.make_aware(datetime.combine(next_saturday(), datetime.min.time())) \
        + timedelta(hours=19)
    created = client.post("/api/v1/inspection-slots/", {
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
        "days": 2}, format="json")
    assert created.status_code == 201, created.json()
    assert [s["off_hours"] for s in created.json()] == [True, True]
    listed = client.get("/api/v1/inspection-slots/").json()
    assert listed["count"] == 2 and listed["results"][0]["booked"] is False
    bad = client.post("/api/v1/inspection-slots/", {
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=9)).isoformat()},
        format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_length"
    slot_id = created.json()[0]["id"]
    assert api_client(inspectors[1]).post(
        f"/api/v1/inspection-slots/{slot_id}/withdraw/").status_code == 404
    assert client.post(f"/api/v1/inspection-slots/{slot_id}/withdraw/").status_code == 200
    assert client.get("/api/v1/inspection-slots/").json()["count"] == 1


def test_api_slots_are_for_inspectors_only(dispatcher):
    response = api_client(dispatcher).get("/api/v1/inspection-slots/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_api_book_reschedule_and_cancel(assigned_task, inspectors, inspected_matter):
    client = api_client(assigned_task.applicant.user)
    outsider_slot = publish(make_inspector(inspected_matter), hours=20)
    first, second = publish(inspectors[0], hours=30), publish(inspectors[1], hours=40)
    url = f"/api/v1/inspection-tasks/{assigned_task.pk}/"
    assert [s["id"] for s in client.get(url + "bookable-slots/").json()] == [first.pk, second.pk]
    refused = client.post(url + "booking/", {"slot": outsider_slot.pk}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "slot_unavailable"
    booked = client.post(url + "booking/", {"slot": first.pk}, format="json")
    assert booked.status_code == 201 and booked.json()["slot"] == first.pk
    again = client.post(url + "booking/", {"slot": second.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    moved = client.post(f"/api/v1/inspection-bookings/{booked.json()['id']}/reschedule/",
                        {"slot": second.pk}, format="json")
    assert moved.status_code == 201 and moved.json()["replaces"] == booked.json()["id"]
    cancelled = client.post(f"/api/v1/inspection-bookings/{moved.json()['id']}/cancel/",
                            {"reason": "另有安排"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "另有安排"
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED


def test_api_strangers_get_404(assigned_task, inspectors):
    slot = publish(inspectors[0])
    booking = booking_create(task=assigned_task, slot=slot, by=assigned_task.applicant.user)
    stranger = api_client(ApplicantFactory().user)
    url = f"/api/v1/inspection-tasks/{assigned_task.pk}/"
    assert stranger.get(url + "bookable-slots/").status_code == 404
    assert stranger.post(url + "booking/", {"slot": slot.pk}, format="json").status_code == 404
    for action in ("reschedule", "cancel"):
        response = stranger.post(f"/api/v1/inspection-bookings/{booking.pk}/{action}/",
                                 {"slot": slot.pk, "reason": "x"}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    booking.refresh_from_db()
    assert booking.active


def test_api_assigned_inspector_cancels_with_reason_only(assigned_task, inspectors):
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]),
                             by=assigned_task.applicant.user)
    client = api_client(inspectors[1])
    url = f"/api/v1/inspection-bookings/{booking.pk}/cancel/"
    no_reason = client.post(url, {}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    assert client.post(url, {"reason": "临时公务"}, format="json").status_code == 200
    assert client.get(f"/api/v1/inspection-tasks/{assigned_task.pk}/bookable-slots/") \
        .status_code == 404  # an inspector does not book for the applicant
