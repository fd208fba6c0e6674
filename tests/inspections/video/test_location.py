"""精准定位: the premises' coordinates (from the applicant's registration, marked or
corrected on the task), the distance of every reported position to them, shown to the
inspectors (page and websocket) and written in the report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import InspectionTask
from inspections.video.consumers import call_group
from inspections.video.geo import distance_m
from inspections.video.models import CallLocation
from inspections.video.services import location_off_premises, location_record, task_set_premises
from portal.accounts.models import Applicant
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.factories import UserFactory
from tests.inspections.conftest import make_assigned_task, make_inspected_case
from tests.inspections.video.conftest import make_video_task

pytestmark = pytest.mark.django_db

#: 运城市盐湖区 (the demo district) and a point 0.01° of latitude north of it.
PREMISES = (Decimal("35.026300"), Decimal("111.006900"))


def test_distance_is_the_great_circle_distance():
    assert distance_m(*PREMISES, *PREMISES) == 0
    # 0.01° of latitude is about 1112 m anywhere
    assert distance_m(35.0263, 111.0069, 35.0363, 111.0069) == pytest.approx(1112, abs=2)
    # Beijing Tiananmen to Shanghai People's Square: about 1067 km
    assert distance_m(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(1_067_000,
                                                                              rel=0.01)
    assert distance_m(0, 179.9, 0, -179.9) == pytest.approx(22_239, abs=5)  # across 180°


def test_task_copies_the_registered_premises(crew, inspected_matter, dispatcher, inspectors):
    case = make_inspected_case(crew, inspected_matter)
    Applicant.objects.filter(pk=case.applicant_id).update(
        premises_latitude=PREMISES[0], premises_longitude=PREMISES[1])
    task = make_assigned_task([case], dispatcher, inspectors)
    assert (task.premises_latitude, task.premises_longitude) == PREMISES
    assert task.has_premises_position


def test_position_gets_its_distance_and_the_off_premises_flag(video, settings):
    settings.ONESEAL_LOCATION_TOLERANCE_M = 300
    unknown = location_record(task=video.task, by=video.applicant, latitude=35.0263,
                              longitude=111.0069)
    assert unknown.distance_m is None and not location_off_premises(unknown)
    task_set_premises(task=video.task, by=video.inspectors[0], latitude=PREMISES[0],
                      longitude=PREMISES[1])
    near = location_record(task=video.task, by=video.applicant, latitude=35.0273,
                           longitude=111.0069, accuracy_m=20)
    assert near.distance_m == pytest.approx(111, abs=1) and not location_off_premises(near)
    far = location_record(task=video.task, by=video.applicant, latitude=35.0363,
                          longitude=111.0069, accuracy_m=50)
    assert far.distance_m == pytest.approx(1112, abs=2) and location_off_premises(far)
    vague = location_record(task=video.task, by=video.applicant, latitude=35.0363,
                            longitude=111.0069, accuracy_m=1500)
    assert not location_off_premises(vague)  # within its own accuracy: cannot tell
    entry = AuditEntry.objects.filter(action="inspections.call_location").latest("id")
    assert entry.after["distance_m"] == vague.distance_m


def test_who_may_mark_the_premises(video, other_video, dispatcher):
    with pytest.raises(PermissionRefused):
        task_set_premises(task=video.task, by=video.applicant, latitude=1, longitude=1)
    with pytest.raises(PermissionRefused):
        task_set_premises(task=video.task, by=other_video.inspectors[0], latitude=1,
                          longitude=1)
    with pytest.raises(ApplicationError) as bad:
        task_set_premises(task=video.task, by=dispatcher, latitude=91, longitude=1)
    assert bad.value.code == "invalid_location"
    with pytest.raises(ApplicationError):
        task_set_premises(task=video.task, by=dispatcher, latitude=30, longitude=None)
    task = task_set_premises(task=video.task, by=dispatcher, latitude="30.274085",
                             longitude="120.15507", update_applicant=True)
    assert task.premises_latitude == Decimal("30.274085")
    applicant = Applicant.objects.get(pk=video.task.applicant_id)
    assert applicant.premises_longitude == Decimal("120.155070")
    entry = AuditEntry.objects.get(action="inspections.premises_position")
    assert entry.after["applicant_updated"] is True and entry.before["latitude"] == "None"
    InspectionTask.objects.filter(pk=video.task.pk).update(status="cancelled")
    with pytest.raises(ConflictError):
        task_set_premises(task=video.task, by=dispatcher, latitude=1, longitude=1)


def test_premises_form_on_the_task_page(video):
    client = Client()
    client.force_login(video.inspectors[0])
    url = reverse("inspection-premises", args=[video.task.pk])
    bad = client.post(url, {"latitude": "abc", "longitude": "111.0069"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "纬度须为数字" in html and 'value="111.0069"' in html  # what was typed is kept
    done = client.post(url, {"latitude": "35.0263", "longitude": "111.0069"})
    assert done.status_code == 302 and done["Location"].endswith("#video")
    video.task.refresh_from_db()
    assert video.task.premises_latitude == Decimal("35.026300")
    outsider = Client()
    outsider.force_login(UserFactory(roles=["applicant"]))
    assert outsider.post(url, {"latitude": "1", "longitude": "1"}).status_code == 404
    applicant = Client()
    applicant.force_login(video.applicant)
    refused = applicant.post(url, {"latitude": "1", "longitude": "1"})
    assert refused.status_code == 403 and "只有勘验调度员" in refused.content.decode()


def test_premises_and_locations_api(video):
    api = APIClient()
    api.force_authenticate(video.inspectors[1])
    url = reverse("api-inspection-premises", args=[video.task.pk])
    assert api.get(url).json()["latitude"] is None
    response = api.put(url, {"latitude": "35.0263", "longitude": "111.0069"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["latitude"] == "35.026300"
    assert api.put(url, {"latitude": "95", "longitude": "0"}, format="json").status_code == 400
    side = APIClient()
    side.force_authenticate(video.applicant)
    assert side.put(url, {"latitude": "1", "longitude": "1"}, format="json").status_code == 403
    posted = side.post(reverse("api-inspection-call-locations", args=[video.task.pk]),
                       {"latitude": 35.0363, "longitude": 111.0069, "accuracy_m": 10},
                       format="json")
    assert posted.status_code == 201 and posted.json()["distance_m"] == pytest.approx(1112, abs=2)
    listed = api.get(reverse("api-inspection-call-locations", args=[video.task.pk])).json()
    assert [x["distance_m"] for x in listed] == [posted.json()["distance_m"]]


def test_distance_on_the_call_page_and_the_task_page(video):
    task_set_premises(task=video.task, by=video.inspectors[0], latitude=PREMISES[0],
                      longitude=PREMISES[1])
    location_record(task=video.task, by=video.applicant, latitude=35.0363, longitude=111.0069,
                    accuracy_m=10)
    client = Client()
    client.force_login(video.inspectors[0])
    call = client.get(reverse("inspection-call", args=[video.task.pk])).content.decode()
    assert "距登记经营场所约 1112 米" in call or "距登记经营场所约 1111 米" in call
    assert 'class="off-premises"' in call
    page = client.get(reverse("inspection-task", args=[video.task.pk])).content.decode()
    assert "位置与经营场所不符" in page and "35.026300, 111.006900" in page
    assert reverse("inspection-call", args=[video.task.pk]) in page  # the way in


def test_location_push_carries_the_distance(video, django_capture_on_commit_callbacks):
    """What the inspectors' pages receive over the call's group when a position arrives."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(call_group(video.task.pk), channel)
    task_set_premises(task=video.task, by=video.inspectors[0], latitude=PREMISES[0],
                      longitude=PREMISES[1])
    with django_capture_on_commit_callbacks(execute=True):
        location_record(task=video.task, by=video.applicant, latitude=35.0363,
                        longitude=111.0069, accuracy_m=30)
    event = async_to_sync(layer.receive)(channel)
    async_to_sync(layer.group_discard)(call_group(video.task.pk), channel)
    assert event["type"] == "call.location"
    message = event["message"]
    assert message["latitude"] == "35.036300" and message["accuracy_m"] == 30
    assert message["distance_m"] == CallLocation.objects.get().distance_m > 1000
    assert message["off_premises"] is True


def test_second_task_keeps_its_own_premises(crew, inspected_matter, dispatcher, video):
    other = make_video_task(crew, inspected_matter, dispatcher, names=("郑勘验", "王勘验"))
    task_set_premises(task=video.task, by=dispatcher, latitude=1, longitude=2)
    other.task.refresh_from_db()
    assert other.task.premises_latitude is None
