"""Recording the call in chunks: idempotent per chunk number, WebM by content at the
start, only from the inspector who records; assembled in order into one stored file with
its SHA-256 and an audit entry; a dropped recording is closed from what arrived."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.video.models import CallLocation, CallRecording, RecordingChunk
from inspections.video.services import (
    location_record,
    recording_abandon,
    recording_chunk,
    recording_finish,
    recording_start,
    recordings_close_stale,
)
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: An EBML header with DocType "webm", as MediaRecorder's first timeslice starts.
WEBM_HEAD = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d"
                          "42878104428581021853806701ffffffffffffff")


def webm_chunks(n: int = 4, size: int = 3000) -> list[bytes]:
    first = WEBM_HEAD + os.urandom(size)
    return [first] + [os.urandom(size + i) for i in range(1, n)]


def part(data: bytes, seq: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{seq}.webm", data, content_type="video/webm")


def read_stored(recording: CallRecording) -> bytes:
    with default_storage.open(recording.file.name, "rb") as f:
        return f.read()


def test_chunks_out_of_order_and_repeated_assemble_to_the_right_bytes(
        video, django_capture_on_commit_callbacks):
    recorder = video.inspectors[0]
    recording = recording_start(task=video.task, by=recorder)
    chunks = webm_chunks()
    for seq in (2, 0, 3, 1, 2, 0):  # out of order, two retries
        recording_chunk(recording=recording, seq=seq, upload=part(chunks[seq], seq),
                        by=recorder)
    stored_parts = [c.file.name for c in recording.chunks.all()]
    assert len(stored_parts) == 4 and all(default_storage.exists(n) for n in stored_parts)
    recording.refresh_from_db()
    assert (recording.chunk_count, recording.size) == (4, sum(map(len, chunks)))

    with django_capture_on_commit_callbacks(execute=True):
        done = recording_finish(recording=recording, by=recorder, expected_chunks=4)
    whole = b"".join(chunks)
    assert done.status == CallRecording.Status.COMPLETE
    assert read_stored(done) == whole
    assert done.sha256 == hashlib.sha256(whole).hexdigest() and done.size == len(whole)
    assert done.missing_chunks == [] and done.ended_by == recorder
    assert done.task.recordings.get() == done  # attached to the task (and so its cases)
    assert not any(default_storage.exists(n) for n in stored_parts)  # chunk files gone
    entry = AuditEntry.objects.filter(action="inspections.recording_finish").get()
    assert entry.after["sha256"] == done.sha256 and entry.after["chunks"] == 4


def test_a_number_already_stored_with_other_bytes_is_refused(video):
    recorder = video.inspectors[0]
    recording = recording_start(task=video.task, by=recorder)
    chunks = webm_chunks(2)
    recording_chunk(recording=recording, seq=1, upload=part(chunks[1]), by=recorder)
    with pytest.raises(ConflictError) as exc:
        recording_chunk(recording=recording, seq=1, upload=part(b"other bytes"), by=recorder)
    assert exc.value.code == "chunk_mismatch"
    assert RecordingChunk.objects.get(recording=recording).sha256 == hashlib.sha256(
        chunks[1]).hexdigest()


def test_first_chunk_must_be_webm_and_sizes_are_capped(video, settings):
    recorder = video.inspectors[0]
    recording = recording_start(task=video.task, by=recorder)
    with pytest.raises(ApplicationError) as exc:
        recording_chunk(recording=recording, seq=0, upload=part(b"\x00" * 500), by=recorder)
    assert exc.value.code == "unsupported_file_type"
    with pytest.raises(ApplicationError) as exc:
        recording_chunk(recording=recording, seq=1, upload=part(b""), by=recorder)
    assert exc.value.code == "empty_chunk"
    settings.ONESEAL_RECORDING_CHUNK_MAX_BYTES = 1000
    with pytest.raises(ApplicationError) as exc:
        recording_chunk(recording=recording, seq=1, upload=part(b"x" * 1001), by=recorder)
    assert exc.value.code == "chunk_too_large"
    settings.ONESEAL_RECORDING_MAX_BYTES = 1500
    recording_chunk(recording=recording, seq=1, upload=part(b"x" * 1000), by=recorder)
    with pytest.raises(ApplicationError) as exc:
        recording_chunk(recording=recording, seq=2, upload=part(b"y" * 600), by=recorder)
    assert exc.value.code == "recording_too_large"
    with pytest.raises(ApplicationError) as exc:
        recording_chunk(recording=recording, seq=-1, upload=part(b"y"), by=recorder)
    assert exc.value.code == "invalid_seq"
    assert recording.chunks.count() == 1


def test_only_the_recorder_uploads_and_only_inspectors_record(video, other_video):
    recorder, partner = video.inspectors
    recording = recording_start(task=video.task, by=recorder)
    chunk = webm_chunks(1)[0]
    for intruder in (partner, video.applicant, other_video.inspectors[0],
                     UserFactory(roles=["applicant"])):
        with pytest.raises(PermissionRefused):
            recording_chunk(recording=recording, seq=0, upload=part(chunk), by=intruder)
    for outsider in (video.applicant, other_video.inspectors[0]):
        with pytest.raises(PermissionRefused):
            recording_start(task=video.task, by=outsider)
    with pytest.raises(PermissionRefused):
        recording_finish(recording=recording, by=partner)
    assert not RecordingChunk.objects.exists()


def test_finish_waits_for_missing_chunks(video):
    recorder = video.inspectors[0]
    recording = recording_start(task=video.task, by=recorder)
    chunks = webm_chunks(3)
    for seq in (0, 2):
        recording_chunk(recording=recording, seq=seq, upload=part(chunks[seq]), by=recorder)
    with pytest.raises(ConflictError) as exc:
        recording_finish(recording=recording, by=recorder, expected_chunks=3)
    assert exc.value.extra == {"missing": [1]}
    recording_chunk(recording=recording, seq=1, upload=part(chunks[1]), by=recorder)
    done = recording_finish(recording=recording, by=recorder, expected_chunks=3)
    assert read_stored(done) == b"".join(chunks)
    with pytest.raises(ConflictError):
        recording_chunk(recording=recording, seq=3, upload=part(b"late"), by=recorder)


def test_a_dropped_recording_is_closed_from_what_arrived(video):
    recorder, partner = video.inspectors
    recording = recording_start(task=video.task, by=recorder)
    chunks = webm_chunks(4)
    for seq in (0, 1, 3):  # chunk 2 was lost with the connection
        recording_chunk(recording=recording, seq=seq, upload=part(chunks[seq]), by=recorder)
    with pytest.raises(ConflictError) as exc:  # the recorder may still be uploading
        recording_abandon(recording=recording, by=partner)
    assert exc.value.code == "recording_active"
    CallRecording.objects.filter(pk=recording.pk).update(
        last_chunk_at=timezone.now() - timedelta(minutes=11))
    done = recording_abandon(recording=recording, by=partner)
    kept = chunks[0] + chunks[1] + chunks[3]
    assert done.status == CallRecording.Status.ABANDONED
    assert read_stored(done) == kept and done.sha256 == hashlib.sha256(kept).hexdigest()
    assert done.missing_chunks == [2] and done.ended_by == partner


def test_the_sweep_closes_stale_recordings_and_a_restart_closes_ones_own(video):
    recorder = video.inspectors[0]
    stale = recording_start(task=video.task, by=video.inspectors[1])
    recording_chunk(recording=stale, seq=0, upload=part(webm_chunks(1)[0]),
                    by=video.inspectors[1])
    first = recording_start(task=video.task, by=recorder)
    recording_chunk(recording=first, seq=0, upload=part(webm_chunks(1)[0]), by=recorder)
    second = recording_start(task=video.task, by=recorder)  # the page was reloaded
    first.refresh_from_db()
    assert first.status == CallRecording.Status.ABANDONED and first.file
    assert recordings_close_stale() == 0
    later = timezone.now() + timedelta(minutes=11)
    assert recordings_close_stale(now=later) == 2  # ``stale`` and the empty ``second``
    stale.refresh_from_db()
    second.refresh_from_db()
    assert stale.status == second.status == CallRecording.Status.ABANDONED
    assert stale.file and not second.file and second.ended_by is None


def test_applicant_position_is_recorded_from_the_applicant_side_only(video):
    location = location_record(task=video.task, by=video.applicant, latitude=35.0263,
                               longitude=111.0069, accuracy_m=12.5)
    assert (str(location.latitude), str(location.longitude), location.accuracy_m) == (
        "35.026300", "111.006900", 12)
    with pytest.raises(PermissionRefused):
        location_record(task=video.task, by=video.inspectors[0], latitude=1, longitude=1)
    with pytest.raises(ApplicationError):
        location_record(task=video.task, by=video.applicant, latitude=95, longitude=1)
    with pytest.raises(ApplicationError):
        location_record(task=video.task, by=video.applicant, latitude=1, longitude=None)
    assert CallLocation.objects.count() == 1
