"""The recording after the call: played from the task page (byte ranges, so it can be
sought; each viewing audited once), linked from the case page, written in the report with
its SHA-256, and bound into the case's archive package; the stale sweep runs on beat."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from archives.models import DocumentKind
from archives.services import collect, files
from inspections.models import InspectionReport
from inspections.services import conduct
from inspections.video.services import (
    location_record,
    recording_finish,
    recording_start,
    task_set_premises,
)
from portal.core.models import AuditEntry
from portal.settings.sections.beat import CELERY_BEAT_SCHEDULE
from tests.factories import UserFactory
from tests.factories.inspection import record_all
from tests.inspections.test_report import pdf_text
from tests.inspections.video.test_fallback import recording_with_chunks

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def finished(video):
    recording, chunks = recording_with_chunks(video, 3)
    recording = recording_finish(recording=recording, by=video.inspectors[0], expected_chunks=3)
    return recording, b"".join(chunks)


def views() -> int:
    return AuditEntry.objects.filter(action="inspections.recording_view").count()


def test_play_in_ranges_audited_once_per_viewing(video, finished):
    recording, data = finished
    client = logged_in(video.applicant)
    url = reverse("inspection-recording-file", args=[recording.pk])
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == data
    assert whole["Content-Type"] == "video/webm" and whole["X-Content-Type-Options"] == "nosniff"
    assert views() == 1
    first = client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and first["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert b"".join(first.streaming_content) == data[:100]
    assert views() == 2  # a new viewing starts at byte 0
    middle = client.get(url, HTTP_RANGE="bytes=100-")
    assert middle.status_code == 206 and b"".join(middle.streaming_content) == data[100:]
    assert middle["Content-Length"] == str(len(data) - 100)
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == data[-50:]
    assert views() == 2  # the player's follow-up requests are not new viewings
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    several = client.get(url, HTTP_RANGE="bytes=0-1,5-9")  # not served in parts: whole file
    assert several.status_code == 200


def test_who_may_play(video, other_video, finished):
    recording, _data = finished
    url = reverse("inspection-recording-file", args=[recording.pk])
    assert logged_in(UserFactory(roles=["applicant"])).get(url).status_code == 404
    assert logged_in(other_video.applicant).get(url).status_code == 404
    assert logged_in(other_video.inspectors[0]).get(url).status_code == 200  # bureau staff
    assert Client().get(url).status_code == 302  # to the login page


def test_an_open_recording_has_nothing_to_play_yet(video):
    recording = recording_start(task=video.task, by=video.inspectors[0])
    response = logged_in(video.inspectors[0]).get(
        reverse("inspection-recording-file", args=[recording.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#video")


def test_task_page_plays_and_case_page_links(video, finished, django_assert_max_num_queries):
    recording, _data = finished
    for _n in range(3):  # more recordings: the page's query count stays the same
        r, _c = recording_with_chunks(video, 1)
        recording_finish(recording=r, by=video.inspectors[0])
    client = logged_in(video.inspectors[1])
    with django_assert_max_num_queries(45):
        page = client.get(reverse("inspection-task", args=[video.task.pk]))
    html = page.content.decode()
    assert html.count("<video controls") == 4
    assert recording.sha256 in html
    case = video.task.cases.get()
    case_page = logged_in(video.applicant).get(reverse("case-detail", args=[case.pk]))
    assert f"#recording-{recording.pk}" in case_page.content.decode()


def test_task_page_query_count_does_not_grow_with_recordings(video):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(video.inspectors[1])
    url = reverse("inspection-task", args=[video.task.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    r, _c = recording_with_chunks(video, 1)
    recording_finish(recording=r, by=video.inspectors[0])
    count()  # the first request of a session reads more (the session, the messages)
    one = count()
    for _n in range(4):
        r, _c = recording_with_chunks(video, 1)
        recording_finish(recording=r, by=video.inspectors[0])
    assert count() == one


def test_report_names_the_location_check_and_the_recordings(video, finished):
    recording, _data = finished
    inspector, second = video.inspectors
    task_set_premises(task=video.task, by=inspector, latitude="35.0263", longitude="111.0069")
    conduct.task_start(task=video.task, by=inspector)
    location_record(task=video.task, by=video.applicant, latitude="35.0273",
                    longitude="111.0069", accuracy_m=15)
    record_all(video.task, inspector)
    proposal = conduct.conclusion_propose(task=video.task, outcome="pass", note="符合要求",
                                          by=inspector)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    report = InspectionReport.objects.get(task=video.task)
    with report.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "申请人现场定位" in text and "距登记经营场所约111米" in text and "（相符）" in text
    assert "经营场所坐标" in text and "视频勘验录像" in text
    assert recording.sha256[:16] in text


def test_recordings_go_into_the_archive_package(video, finished):
    recording, data = finished
    case = video.task.cases.get()
    sources = [s for s in collect.originals(case) if s.source_type == "inspections.callrecording"]
    assert len(sources) == 1
    source = sources[0]
    assert source.kind == DocumentKind.EVIDENCE and source.suffix == ".webm"
    assert source.recorded_sha256 == recording.sha256 == hashlib.sha256(data).hexdigest()
    facts = files.stored_facts(source.storage_name, source.content_type)
    assert facts.sha256 == recording.sha256 and facts.size == len(data) and facts.pages == 0
    assert "视频勘验录像" in source.title


def test_the_stale_recording_sweep_runs_on_beat():
    entry = next(e for e in CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "inspections.tasks.recordings_close_stale")
    assert entry["options"]["expires"] < 5 * 60
    from inspections.tasks import recordings_close_stale

    assert recordings_close_stale.name == entry["task"]
