"""The video call API: recording start, chunk upload, finish, download; the applicant's
position; the call configuration. Objects the user may not see are 404, actions the user
may not take are 403 with the service's code."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.video.models import CallRecording
from portal.core.models import AuditEntry
from tests.factories import UserFactory
from tests.inspections.video.test_recording import part, webm_chunks

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_record_upload_finish_and_download(video, django_capture_on_commit_callbacks):
    inspector = client_for(video.inspectors[0])
    started = inspector.post(reverse("api-inspection-recordings", args=[video.task.pk]))
    assert started.status_code == 201, started.content
    rid = started.json()["id"]
    chunks = webm_chunks(3)
    for seq in (1, 0, 2, 2):
        response = inspector.post(reverse("api-inspection-recording-chunk", args=[rid, seq]),
                                  {"file": part(chunks[seq], seq)}, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["sha256"] == hashlib.sha256(chunks[seq]).hexdigest()
    early = inspector.post(reverse("api-inspection-recording-finish", args=[rid]),
                           {"expected_chunks": 4}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "chunks_missing"
    with django_capture_on_commit_callbacks(execute=True):
        done = inspector.post(reverse("api-inspection-recording-finish", args=[rid]),
                              {"expected_chunks": 3}, format="json")
    whole = b"".join(chunks)
    assert done.status_code == 200
    assert done.json()["status"] == "complete"
    assert done.json()["sha256"] == hashlib.sha256(whole).hexdigest()

    applicant = client_for(video.applicant)
    listed = applicant.get(reverse("api-inspection-recordings", args=[video.task.pk]))
    assert [r["id"] for r in listed.json()] == [rid]
    download = applicant.get(reverse("api-inspection-recording-download", args=[rid]))
    assert download.status_code == 200 and download["Content-Type"] == "video/webm"
    assert b"".join(download.streaming_content) == whole
    assert AuditEntry.objects.filter(action="inspections.recording_view").count() == 1


def test_strangers_get_404_and_participants_without_the_right_get_403(video, other_video):
    recording = CallRecording.objects.create(task=video.task, started_by=video.inspectors[0],
                                             started_at="2026-01-01T10:00:00+08:00")
    chunk_url = reverse("api-inspection-recording-chunk", args=[recording.pk, 0])
    stranger = client_for(UserFactory(roles=["applicant"]))
    for client in (stranger, client_for(other_video.applicant)):
        assert client.post(chunk_url, {"file": part(webm_chunks(1)[0])},
                           format="multipart").status_code == 404
        assert client.post(reverse("api-inspection-recordings",
                                   args=[video.task.pk])).status_code == 404
        assert client.get(reverse("api-inspection-call", args=[video.task.pk])).status_code == 404
    other_inspector = client_for(other_video.inspectors[0])  # staff: sees the task, no more
    refused = other_inspector.post(chunk_url, {"file": part(webm_chunks(1)[0])},
                                   format="multipart")
    assert refused.status_code == 403 and refused.json()["code"] == "not_recorder"
    refused = other_inspector.get(reverse("api-inspection-call", args=[video.task.pk]))
    assert refused.status_code == 403 and refused.json()["code"] == "not_call_participant"
    applicant = client_for(video.applicant)
    assert applicant.post(chunk_url, {"file": part(webm_chunks(1)[0])},
                          format="multipart").status_code == 403
    assert not recording.chunks.exists()


def test_call_config_and_location(video, settings):
    settings.ONESEAL_ICE_SERVERS = [{"urls": "stun:stun.example.gov.cn:3478"}]
    settings.ONESEAL_TURN_URLS = []
    applicant = client_for(video.applicant)
    config = applicant.get(reverse("api-inspection-call", args=[video.task.pk])).json()
    assert config == {"role": "applicant",
                      "websocket": f"/ws/inspections/tasks/{video.task.pk}/call/",
                      "ice_servers": [{"urls": "stun:stun.example.gov.cn:3478"}]}
    url = reverse("api-inspection-call-locations", args=[video.task.pk])
    saved = applicant.post(url, {"latitude": 35.0263, "longitude": 111.0069, "accuracy_m": 8},
                           format="json")
    assert saved.status_code == 201 and saved.json()["latitude"] == "35.026300"
    bad = applicant.post(url, {"latitude": 135, "longitude": 1}, format="json")
    assert bad.status_code == 400
    inspector = client_for(video.inspectors[0])
    assert inspector.post(url, {"latitude": 1, "longitude": 1},
                          format="json").status_code == 403
    assert video.task.call_locations.count() == 1


def test_openapi_schema_has_the_call_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/inspection-tasks/{task_id}/call/",
                 "/api/v1/inspection-tasks/{task_id}/recordings/",
                 "/api/v1/inspection-recordings/{recording_id}/chunks/{seq}/",
                 "/api/v1/inspection-recordings/{recording_id}/finish/",
                 "/api/v1/inspection-tasks/{task_id}/premises/",
                 "/api/v1/inspection-tasks/{task_id}/call-fallbacks/"):
        assert f"{path}:" in text
