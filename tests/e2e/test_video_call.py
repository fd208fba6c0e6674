"""In two real browsers, a live video inspection (云踏勘) over the ASGI server:

an inspector and the applicant open the task's call page in separate browser contexts with
Chromium's fake camera and microphone; each sees the other's video. The applicant's browser
reports a fixed position, which reaches the inspector's page. The inspector starts the
inspection and the recording, walks one checklist item (the applicant's page shows it),
records a result, takes a snapshot, and stops the recording after a few slices. The
database then holds the result, the PNG snapshot with its capture time and position, the
position report and the assembled WebM recording whose stored bytes match its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect

from inspections.models import ItemEvidence, TaskItem, TaskStatus
from inspections.services.standards import standard_publish
from inspections.video.models import CallLocation, CallRecording
from portal.accounts.roles import Role
from tests.factories import MatterFactory
from tests.factories.workflow import Crew
from tests.inspections.video.conftest import make_video_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOT = "/tmp/e2e-video-call.png"
PASSWORD = "pw-12345678"  # tests.factories.UserFactory
POSITION = {"latitude": 35.026312, "longitude": 111.006947, "accuracy": 8}
ITEMS = [
    {"key": "licence", "category": "system", "title": "营业执照公示", "requirement": "在显著位置公示",
     "method": "查看", "weight": 40, "veto": False, "guidance": ""},
    {"key": "kitchen", "category": "premises", "title": "后厨布局与分区", "requirement": "生熟分开",
     "method": "视频查看", "weight": 60, "veto": True, "guidance": ""},
]
WAIT = 20_000  # ms, for anything that crosses the network or the media stack
REMOTE_PLAYING = """() => {
  const v = document.querySelector("[data-remote-videos] video");
  return !!v && !v.paused && v.videoWidth > 0 && v.readyState >= 2;
}"""


def join_call(context, site: str, user, task_id: int) -> Page:
    """Log in (the login page sends the user on to the call) and wait for the socket."""
    page = context.new_page()
    call = f"/inspections/tasks/{task_id}/call/"
    page.goto(f"{site}/accounts/login/?next={call}")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{site}{call}")
    expect(page.locator("[data-call-status]")).to_contain_text(re.compile("已加入|已连线"),
                                                             timeout=WAIT)
    return page


def video_task():
    """A video-inspection task (two inspectors assigned) of a matter with two items."""
    matter = MatterFactory(inspected=True)
    standard_publish(matter=matter, items=ITEMS)
    crew = Crew.make()
    return make_video_task(crew, matter, crew.users[Role.DISPATCHER])


def remote_peer(page: Page) -> str:
    """The participant id of the one remote video, once it plays."""
    page.wait_for_function(REMOTE_PLAYING, timeout=WAIT)
    videos = page.locator("[data-remote-videos] video")
    expect(videos).to_have_count(1)
    return videos.get_attribute("data-peer")


def test_two_browsers_hold_a_recorded_video_inspection(asgi_context, asgi_site):
    video = video_task()
    task, inspector = video.task, video.inspectors[0]
    item = task.items.get(key="kitchen")

    inspector_page = join_call(asgi_context(), asgi_site, inspector, task.pk)
    applicant_page = join_call(
        asgi_context(geolocation=POSITION, permissions=["geolocation"]),
        asgi_site, video.applicant, task.pk)

    # each side sees the other's camera
    for page in (inspector_page, applicant_page):
        page.wait_for_function(REMOTE_PLAYING, timeout=WAIT)
    expect(applicant_page.locator("[data-location-status]")).to_contain_text("已上报位置",
                                                                            timeout=WAIT)
    location = inspector_page.locator("[data-applicant-location]")
    expect(location).to_contain_text("35.026312, 111.006947", timeout=WAIT)

    start = inspector_page.locator("[data-start-inspection]")
    if start.is_visible():
        start.click()
        expect(start).to_be_hidden(timeout=WAIT)

    record_status = inspector_page.locator("[data-record-status]")
    inspector_page.locator("[data-record-start]").click()
    expect(record_status).to_contain_text("录制中", timeout=WAIT)

    inspector_page.locator(f"[data-walk-item='{item.pk}']").click()
    expect(applicant_page.locator("[data-item-title]")).to_contain_text(item.title,
                                                                        timeout=WAIT)
    expect(inspector_page.locator("[data-item-title]")).to_contain_text(item.title)
    feedback = inspector_page.locator("[data-item-feedback]")
    inspector_page.locator("[data-result='pass']").click()
    expect(feedback).to_contain_text("已记录：符合", timeout=WAIT)
    inspector_page.locator("[data-snapshot]").click()
    expect(feedback).to_contain_text("已截图取证", timeout=WAIT)

    # two-second slices: stop once at least three have been uploaded
    expect(record_status).to_contain_text(re.compile(r"已上传 ([3-9]|\d\d) 段"), timeout=WAIT)
    inspector_page.locator("[data-record-stop]").click()
    expect(record_status).to_contain_text("录像已保存", timeout=WAIT)
    saved_text = record_status.inner_text()
    inspector_page.screenshot(path=SCREENSHOT, full_page=True)
    for page in (applicant_page, inspector_page):
        page.context.close()

    # ---- what the server kept
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    item = TaskItem.objects.get(pk=item.pk)
    assert item.result == "pass" and item.recorded_at is not None

    evidence = ItemEvidence.objects.get(item=item)
    assert evidence.purpose == ItemEvidence.Purpose.INSPECTION
    assert evidence.content_type == "image/png" and evidence.uploaded_by == inspector
    assert evidence.captured_at is not None
    assert (evidence.latitude, evidence.longitude) == (Decimal("35.026312"),
                                                       Decimal("111.006947"))
    with default_storage.open(evidence.file.name, "rb") as f:
        png = f.read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert hashlib.sha256(png).hexdigest() == evidence.sha256

    places = list(CallLocation.objects.filter(task=task))  # one report per 30 s at most
    assert places and all(
        (p.user, p.latitude, p.longitude, p.accuracy_m) == (
            video.applicant, Decimal("35.026312"), Decimal("111.006947"), POSITION["accuracy"])
        for p in places)

    recording = CallRecording.objects.get(task=task)
    assert recording.status == CallRecording.Status.COMPLETE
    assert recording.started_by == inspector and recording.ended_at is not None
    assert recording.chunk_count >= 3 and recording.missing_chunks == []
    with default_storage.open(recording.file.name, "rb") as f:
        webm = f.read()
    assert webm.startswith(b"\x1a\x45\xdf\xa3")  # EBML
    assert len(webm) == recording.size
    assert hashlib.sha256(webm).hexdigest() == recording.sha256
    assert recording.sha256 in saved_text  # what the inspector was shown


NO_CAMERA = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));"""


def test_applicant_without_camera_sees_the_inspector_and_rejoins_after_a_drop(
        asgi_context, asgi_site):
    """A computer without a camera still receives the inspector's video; when its socket
    drops, the page rejoins the call and the video comes back on both sides."""
    video = video_task()
    inspector_page = join_call(asgi_context(), asgi_site, video.inspectors[0], video.task.pk)

    sockets = []  # the applicant page's call sockets, proxied so the test can cut them

    def proxy(page_side):
        sockets.append((page_side, page_side.connect_to_server()))

    context = asgi_context()
    context.add_init_script(NO_CAMERA)
    context.route_web_socket(re.compile(r"/ws/inspections/tasks/\d+/call/$"), proxy)
    applicant_page = join_call(context, asgi_site, video.applicant, video.task.pk)
    expect(applicant_page.locator("[data-call-status]")).to_contain_text(
        "已连线", timeout=WAIT)
    first = remote_peer(applicant_page)
    applicant_video = inspector_page.locator("[data-remote-videos] video[data-role=applicant]")
    expect(applicant_video).to_have_count(1, timeout=WAIT)
    dropped = applicant_video.get_attribute("data-peer")
    assert len(sockets) == 1

    page_side, server_side = sockets[0]
    server_side.close()
    page_side.close()
    expect(applicant_page.locator("[data-call-status]")).to_contain_text("重新连接",
                                                                        timeout=WAIT)
    expect(inspector_page.locator(f"[data-remote-videos] video[data-peer='{dropped}']")
           ).to_have_count(0, timeout=WAIT)
    assert remote_peer(applicant_page) == first  # the inspector stayed: same participant
    expect(applicant_video).to_have_count(1, timeout=WAIT)
    assert applicant_video.get_attribute("data-peer") != dropped
    assert len(sockets) == 2
