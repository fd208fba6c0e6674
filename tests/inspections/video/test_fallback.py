"""A call that cannot be completed: rescheduled (a booked inspection loses its booking and
the applicant books again; one under way is continued at an agreed time) or turned into an
on-site visit, by the task's inspectors or a dispatcher, with a reason the applicant is
told. Whatever was recorded until then is kept: open recordings are closed from the chunks
that arrived, results and snapshots stay, the report names both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspections.models import Booking, TaskStatus
from inspections.services import conduct
from inspections.services.booking import booking_create, slot_publish
from inspections.tiers import Mode
from inspections.video.models import CallFallback, CallRecording
from inspections.video.services import (
    call_fallback,
    recording_chunk,
    recording_start,
)
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from tests.inspections.video.test_recording import part, read_stored, webm_chunks

pytestmark = pytest.mark.django_db

ONSITE, RESCHEDULE = CallFallback.Kind.ONSITE, CallFallback.Kind.RESCHEDULE


def book(video):
    start = (timezone.now() + timedelta(hours=48)).replace(second=0, microsecond=0)
    slot = slot_publish(inspector=video.inspectors[0], starts_at=start,
                        ends_at=start + timedelta(hours=1), by=video.inspectors[0])
    return booking_create(task=video.task, slot=slot, by=video.applicant)


def recording_with_chunks(video, n: int = 3) -> tuple[CallRecording, list[bytes]]:
    recorder = video.inspectors[0]
    recording = recording_start(task=video.task, by=recorder)
    chunks = webm_chunks(n)
    for seq, data in enumerate(chunks):
        recording_chunk(recording=recording, seq=seq, upload=part(data, seq), by=recorder)
    return recording, chunks


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, event="appointment_changed")
                .order_by("id").values_list("title", flat=True))


def bodies(user) -> str:
    return "\n".join(Notification.objects.filter(recipient=user, event="appointment_changed")
                     .values_list("body", flat=True))


def test_reschedule_a_booked_call_cancels_the_booking_and_keeps_the_recording(video):
    booking = book(video)
    recording, chunks = recording_with_chunks(video)
    fallback = call_fallback(task=video.task, by=video.inspectors[1], kind=RESCHEDULE,
                             reason="申请人网络信号差，无法连线")
    video.task.refresh_from_db()
    assert video.task.status == TaskStatus.ASSIGNED and video.task.mode == Mode.VIDEO
    assert Booking.objects.get(pk=booking.pk).cancelled_at is not None
    assert fallback.cancelled_booking_id == booking.pk and fallback.resume_at is None
    recording.refresh_from_db()
    assert recording.status == CallRecording.Status.ABANDONED
    assert read_stored(recording) == b"".join(chunks)  # nothing that arrived is lost
    assert fallback.recordings == [recording.pk]
    assert any("预约已取消" in t for t in titles(video.applicant))
    assert "视频连线未能完成：申请人网络信号差" in bodies(video.applicant)
    assert "请重新选择时段预约" in bodies(video.applicant)
    entry = AuditEntry.objects.get(action="inspections.call_fallback")
    assert entry.after["kind"] == "reschedule" and entry.after["recordings"] == [recording.pk]


def test_a_call_under_way_is_continued_at_an_agreed_time(video):
    conduct.task_start(task=video.task, by=video.inspectors[0])
    item = video.task.items.order_by("order").first()
    conduct.item_record(item=item, result="pass", by=video.inspectors[0])
    with pytest.raises(ApplicationError) as missing:
        call_fallback(task=video.task, by=video.inspectors[0], kind=RESCHEDULE, reason="断线")
    assert missing.value.code == "resume_at_required"
    with pytest.raises(ApplicationError) as past:
        call_fallback(task=video.task, by=video.inspectors[0], kind=RESCHEDULE, reason="断线",
                      resume_at=timezone.now() - timedelta(minutes=1))
    assert past.value.code == "resume_at_past"
    resume = timezone.now() + timedelta(days=1)
    fallback = call_fallback(task=video.task, by=video.inspectors[0], kind=RESCHEDULE,
                             reason="断线", resume_at=resume)
    video.task.refresh_from_db()
    assert video.task.status == TaskStatus.IN_PROGRESS and fallback.resume_at == resume
    item.refresh_from_db()
    assert item.result == "pass"  # what was recorded stays
    assert titles(video.applicant)[-1].startswith("视频勘验改期继续")
    assert reverse("inspection-call", args=[video.task.pk]) in bodies(video.applicant)
    assert titles(video.inspectors[1])  # the other inspector hears of it too
    # the call may be held again: the page still admits the applicant
    client = Client()
    client.force_login(video.applicant)
    assert client.get(reverse("inspection-call", args=[video.task.pk])).status_code == 200


def test_turn_into_an_on_site_visit(video, dispatcher):
    booking = book(video)
    recording, chunks = recording_with_chunks(video, 2)
    fallback = call_fallback(task=video.task, by=dispatcher, kind=ONSITE,
                             reason="经营场所内无法使用摄像头")
    video.task.refresh_from_db()
    assert video.task.mode == Mode.ONSITE and video.task.status == TaskStatus.BOOKED
    assert Booking.objects.get(pk=booking.pk).cancelled_at is None  # same time, on site
    recording.refresh_from_db()
    assert recording.file and recording.status == CallRecording.Status.ABANDONED
    assert fallback.recordings == [recording.pk]
    assert "视频勘验改为现场勘验" in titles(video.applicant)[-1]
    assert "请届时在经营场所等候勘验人员" in bodies(video.applicant)
    client = Client()
    client.force_login(video.applicant)
    assert client.get(reverse("inspection-call", args=[video.task.pk])).status_code == 409
    # the task page still shows the recording and what happened
    page = client.get(reverse("inspection-task", args=[video.task.pk])).content.decode()
    assert "转为现场勘验" in page and "经营场所内无法使用摄像头" in page
    assert reverse("inspection-recording-file", args=[recording.pk]) in page
    with pytest.raises(ConflictError) as again:
        call_fallback(task=video.task, by=dispatcher, kind=ONSITE, reason="再次")
    assert again.value.code == "not_video_task"


def test_who_may_give_up_a_call(video, other_video):
    for outsider in (video.applicant, other_video.inspectors[0]):
        with pytest.raises(PermissionRefused):
            call_fallback(task=video.task, by=outsider, kind=ONSITE, reason="x")
    with pytest.raises(ApplicationError) as no_reason:
        call_fallback(task=video.task, by=video.inspectors[0], kind=ONSITE, reason="  ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ApplicationError):
        call_fallback(task=video.task, by=video.inspectors[0], kind="phone", reason="x")
    type(video.task).objects.filter(pk=video.task.pk).update(status=TaskStatus.CANCELLED)
    with pytest.raises(ConflictError) as closed:
        call_fallback(task=video.task, by=video.inspectors[0], kind=ONSITE, reason="x")
    assert closed.value.code == "call_closed"
    assert not CallFallback.objects.exists()


def test_fallback_form_keeps_what_was_typed_and_the_api(video):
    client = Client()
    client.force_login(video.inspectors[0])
    url = reverse("inspection-call-fallback", args=[video.task.pk])
    bad = client.post(url, {"kind": "onsite", "reason": ""})
    assert bad.status_code == 400 and "请填写视频勘验未能完成的原因" in bad.content.decode()
    chosen = bad.content.decode().split('value="onsite"')[1].split(">")[0]
    assert "checked" in chosen  # the choice made is kept
    api = APIClient()
    api.force_authenticate(video.inspectors[1])
    api_url = reverse("api-inspection-call-fallbacks", args=[video.task.pk])
    refused = APIClient()
    refused.force_authenticate(video.applicant)
    assert refused.post(api_url, {"kind": "onsite", "reason": "x"},
                        format="json").status_code == 403
    made = api.post(api_url, {"kind": "reschedule", "reason": "摄像头故障"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "reschedule" and made.json()["recordings"] == []
    listed = api.get(api_url).json()
    assert [f["reason"] for f in listed] == ["摄像头故障"]
    done = client.post(url, {"kind": "onsite", "reason": "仍无法连线"})
    assert done.status_code == 302 and done["Location"].endswith("#video")
    video.task.refresh_from_db()
    assert video.task.mode == Mode.ONSITE
