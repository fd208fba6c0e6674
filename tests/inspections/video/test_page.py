"""The call page: participants get the page with the call configuration; people who may
see the task but not join get the reason; others get 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from inspections.tiers import Mode
from inspections.video.services import location_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, task, client: Client | None = None):
    return (client or logged_in(user)).get(reverse("inspection-call", args=[task.pk]))


def config_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="call-config" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_inspector_gets_the_checklist_and_the_endpoints(video, settings,
                                                       django_assert_max_num_queries):
    settings.ONESEAL_ICE_SERVERS = [{"urls": "stun:stun.example.gov.cn:3478"}]
    location_record(task=video.task, by=video.applicant, latitude=35.0263, longitude=111.0069)
    client = logged_in(video.inspectors[0])
    with django_assert_max_num_queries(12):  # fixed: the checklist is one query
        response = page(video.inspectors[0], video.task, client)
    assert response.status_code == 200
    cfg = config_of(response)
    assert cfg["role"] == "inspector" and cfg["websocket"].endswith(f"/{video.task.pk}/call/")
    assert cfg["iceServers"] == [{"urls": "stun:stun.example.gov.cn:3478"}]
    assert [i["id"] for i in cfg["items"]] == list(
        video.task.items.order_by("order", "pk").values_list("pk", flat=True))
    assert cfg["urls"]["chunk"] == "/api/v1/inspection-recordings/0/chunks/0/"
    assert cfg["location"]["latitude"] == "35.026300" and cfg["location"]["distance_m"] is None
    html = response.content.decode()
    assert "35.026300, 111.006900" in html and "开始录制" in html and "js/video.js" in html


def test_applicant_side_gets_the_call_without_inspector_tools(video):
    response = page(video.applicant, video.task)
    assert response.status_code == 200
    cfg = config_of(response)
    assert cfg["role"] == "applicant" and cfg["items"] == [] and cfg["location"] is None
    assert "开始录制" not in response.content.decode()


def test_refusals(video, other_video):
    assert page(UserFactory(roles=["applicant"]), video.task).status_code == 404
    assert page(other_video.applicant, video.task).status_code == 404
    refused = page(other_video.inspectors[0], video.task)  # staff: sees the task only
    assert refused.status_code == 403 and "只有本任务指派的勘验人员" in refused.content.decode()
    type(video.task).objects.filter(pk=video.task.pk).update(mode=Mode.ONSITE)
    closed = page(video.applicant, video.task)
    assert closed.status_code == 409 and "不是视频勘验" in closed.content.decode()
