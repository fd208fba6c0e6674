"""The video call's records: the chunked recording (即时录制) and the applicant's position
(精准定位).

Recording: an inspector's browser runs MediaRecorder (WebM) and uploads every timeslice
as it is produced, numbered from 0. A chunk is idempotent per number (a retry with the
same bytes is accepted again, different bytes for a number already stored are refused);
the first chunk must be WebM by content, later chunks are raw continuation bytes and are
checked for size only. Finishing assembles the chunks in order into one file in the
default storage, streamed through a temporary file (never the whole recording in memory),
with its SHA-256 and an audit entry; the chunk files are then deleted. A recording whose
browser went away is closed from the chunks that did arrive (at most one timeslice lost),
by the other inspector or the sweep ``recordings_close_stale``, and marked 中断.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.services.downloads import Download
from inspections.models import InspectionTask, TaskStatus
from inspections.permissions import is_dispatcher
from inspections.services.booking import booking_lapse, tell_mode_change, tell_video_resume
from inspections.services.conduct import _accuracy, _coordinate, is_task_inspector
from inspections.services.dispatch import locked_task
from inspections.tiers import Mode
from inspections.video.access import APPLICANT, CALL_OPEN_STATES, INSPECTOR, call_admit
from inspections.video.consumers import push_call_ended, push_location
from inspections.video.geo import premises_distance
from inspections.video.models import CallFallback, CallLocation, CallRecording, RecordingChunk
from portal.accounts.models import Applicant, User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.uploads import WEBM, sniff

READ_BLOCK = 64 * 1024
#: Chunk numbers beyond this are refused (2-second slices: more than two days).
MAX_SEQ = 100_000


# ---------------------------------------------------------------- recording

def recording_start(*, task: InspectionTask, by: User) -> CallRecording:
    """An inspector in the call starts recording. Their own earlier recordings of this
    task still open (a reload, a dropped connection) are closed from what they received."""
    with transaction.atomic():
        task = locked_task(task.pk)
        if call_admit(by, task).role != INSPECTOR:
            raise PermissionRefused(_("只有本任务指派的勘验人员可以录制视频勘验。"),
                                    "not_task_inspector")
        earlier = list(CallRecording.objects.select_for_update()
                       .filter(task=task, started_by=by, status=CallRecording.Status.RECORDING))
        for recording in earlier:
            _close(recording, by=by, status=CallRecording.Status.ABANDONED)
        recording = CallRecording.objects.create(task=task, started_by=by,
                                                 started_at=timezone.now())
        audit_log(action="inspections.recording_start", actor=by, obj=task,
                  after={"recording": recording.pk})
    return recording


def _read(upload: UploadedFile) -> tuple[int, str, bytes]:
    """Size, SHA-256 and the first bytes of ``upload``, read in blocks."""
    limit = settings.ONESEAL_RECORDING_CHUNK_MAX_BYTES
    digest, size, head = hashlib.sha256(), 0, b""
    upload.seek(0)
    while block := upload.read(READ_BLOCK):
        if len(head) < 64:
            head += block[:64 - len(head)]
        size += len(block)
        if size > limit:
            raise ApplicationError(_("录像分段过大：每段不能超过 {mb} MB。").format(
                mb=limit // (1024 * 1024)), "chunk_too_large")
        digest.update(block)
    upload.seek(0)
    if size == 0:
        raise ApplicationError(_("录像分段为空。"), "empty_chunk")
    return size, digest.hexdigest(), head


def recording_chunk(*, recording: CallRecording, seq: int, upload: UploadedFile,
                    by: User) -> RecordingChunk:
    """Store chunk ``seq`` of an open recording, from the inspector who records it."""
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise ApplicationError(_("录像分段序号无效。"), "invalid_seq")
    size, sha256, head = _read(upload)
    if seq == 0 and sniff(head) != WEBM:
        raise ApplicationError(_("录像格式不支持：仅接受 WebM 视频（按文件内容识别）。"),
                               "unsupported_file_type")
    with transaction.atomic():
        recording = CallRecording.objects.select_for_update().select_related("task").get(
            pk=recording.pk)
        if recording.started_by_id != by.pk or not is_task_inspector(by, recording.task):
            raise PermissionRefused(_("只有录制人可以上传该录像。"), "not_recorder")
        existing = recording.chunks.filter(seq=seq).first()
        if existing is not None:
            if existing.sha256 == sha256:
                return existing  # a retry of a chunk already stored
            raise ConflictError(_("第 {n} 段录像已上传且内容不同。").format(n=seq),
                                "chunk_mismatch")
        if not recording.is_open:
            raise ConflictError(_("该录像已结束，不能再上传。"), "recording_closed")
        if recording.size + size > settings.ONESEAL_RECORDING_MAX_BYTES:
            raise ApplicationError(_("录像总大小超过上限，请结束本段录制后重新开始。"),
                                   "recording_too_large")
        chunk = RecordingChunk(recording=recording, seq=seq, size=size, sha256=sha256)
        chunk.file.save(f"{seq}.part", upload, save=False)
        try:
            chunk.save()
        except Exception:
            default_storage.delete(chunk.file.name)
            raise
        recording.chunk_count += 1
        recording.size += size
        recording.last_chunk_at = timezone.now()
        recording.save(update_fields=["chunk_count", "size", "last_chunk_at"])
    return chunk


def recording_finish(*, recording: CallRecording, by: User,
                     expected_chunks: int | None = None) -> CallRecording:
    """The recorder stops: assemble the chunks. With ``expected_chunks`` (what the browser
    produced) a gap is refused so the browser can send what is missing first."""
    with transaction.atomic():
        recording = CallRecording.objects.select_for_update().select_related("task").get(
            pk=recording.pk)
        if recording.started_by_id != by.pk:
            raise PermissionRefused(_("只有录制人可以结束该录像。"), "not_recorder")
        if not recording.is_open:
            raise ConflictError(_("该录像已结束。"), "recording_closed")
        if expected_chunks is not None:
            have = set(recording.chunks.values_list("seq", flat=True))
            missing = sorted(set(range(expected_chunks)) - have)
            if missing:
                raise ConflictError(_("尚有 {n} 段录像未上传完成，请稍候再结束。").format(
                    n=len(missing)), "chunks_missing", extra={"missing": missing[:100]})
        return _close(recording, by=by, status=CallRecording.Status.COMPLETE)


def _stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=settings.ONESEAL_RECORDING_STALE_MINUTES)


def recording_abandon(*, recording: CallRecording, by: User | None,
                      now: datetime | None = None) -> CallRecording:
    """Close a recording whose browser went away, from the chunks received: by the
    recorder at any time, by the task's other inspector (or the sweep, ``by=None``) once
    no chunk has arrived for ``ONESEAL_RECORDING_STALE_MINUTES``."""
    with transaction.atomic():
        recording = CallRecording.objects.select_for_update().select_related("task").get(
            pk=recording.pk)
        if by is not None and by.pk != recording.started_by_id:
            if not is_task_inspector(by, recording.task):
                raise PermissionRefused(_("只有本任务指派的勘验人员可以结束该录像。"),
                                        "not_task_inspector")
        if not recording.is_open:
            raise ConflictError(_("该录像已结束。"), "recording_closed")
        if by is None or by.pk != recording.started_by_id:
            last = recording.last_chunk_at or recording.started_at
            if last > _stale_before(now):
                raise ConflictError(_("录制人仍在上传录像，请由录制人结束录制。"),
                                    "recording_active")
        return _close(recording, by=by, status=CallRecording.Status.ABANDONED)


def recordings_close_stale(now: datetime | None = None) -> int:
    """The sweep (beat): close every open recording that stopped receiving chunks."""
    cutoff = _stale_before(now)
    ids = list(CallRecording.objects.filter(status=CallRecording.Status.RECORDING).filter(
        Q(last_chunk_at__lt=cutoff) | Q(last_chunk_at__isnull=True, started_at__lt=cutoff))
        .values_list("pk", flat=True))
    closed = 0
    for pk in ids:
        try:
            recording_abandon(recording=CallRecording(pk=pk), by=None, now=now)
            closed += 1
        except ConflictError:  # closed or resumed meanwhile
            pass
    return closed


def _close(recording: CallRecording, *, by: User | None, status: str) -> CallRecording:
    """Assemble (inside the caller's transaction, the recording locked) and record."""
    chunks = list(recording.chunks.order_by("seq"))
    digest, size, kept, corrupt = hashlib.sha256(), 0, [], []
    if chunks:
        with tempfile.TemporaryFile() as assembled:
            for chunk in chunks:
                data_digest, data_size = hashlib.sha256(), 0
                start = assembled.tell()
                with default_storage.open(chunk.file.name, "rb") as part:
                    while block := part.read(READ_BLOCK):
                        data_digest.update(block)
                        data_size += len(block)
                        assembled.write(block)
                if data_digest.hexdigest() != chunk.sha256 or data_size != chunk.size:
                    assembled.seek(start)  # storage lost this chunk's bytes: leave it out
                    assembled.truncate()
                    corrupt.append(chunk.seq)
                    continue
                kept.append(chunk.seq)
            assembled.seek(0)
            while block := assembled.read(READ_BLOCK):
                digest.update(block)
                size += len(block)
            if kept:
                assembled.seek(0)
                recording.sha256 = digest.hexdigest()
                recording.file.save("recording.webm", File(assembled), save=False)
    present = set(kept)
    recording.missing_chunks = sorted(set(range(max(present) + 1)) - present) if present else []
    recording.size = size
    recording.chunk_count = len(kept)
    recording.status = status
    recording.ended_at, recording.ended_by = timezone.now(), by
    recording.save()
    names = [c.file.name for c in chunks if c.file.name]
    RecordingChunk.objects.filter(recording=recording).update(file="")
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
    audit_log(action="inspections.recording_finish", actor=by, obj=recording.task,
              after={"recording": recording.pk, "status": status, "sha256": recording.sha256,
                     "size": size, "chunks": len(kept), "missing": recording.missing_chunks,
                     "corrupt": corrupt})
    return recording


def recording_download(*, recording: CallRecording, by: User, audit: bool = True) -> Download:
    """Hand out an assembled recording (it shows people and premises): audited (the
    player's follow-up range requests of one viewing pass ``audit=False``). The caller
    has checked that ``by`` may see the task."""
    if not recording.file:
        raise ConflictError(_("该录像尚未生成文件。"), "recording_not_ready")
    if audit:
        audit_log(action="inspections.recording_view", actor=by, obj=recording.task,
                  after={"recording": recording.pk, "sha256": recording.sha256})
    return Download(recording.file, f"{recording.task.number}-{recording.pk}.webm", WEBM)


# ---------------------------------------------------------------- location

def location_record(*, task: InspectionTask, by: User, latitude, longitude, accuracy_m=None,
                    captured_at: datetime | None = None) -> CallLocation:
    """The applicant side's browser reports where it is during the call."""
    lat = _coordinate(latitude, -90, 90, _("纬度"))
    lon = _coordinate(longitude, -180, 180, _("经度"))
    if lat is None or lon is None:
        raise ApplicationError(_("定位数据不完整。"), "invalid_location")
    accuracy = _accuracy(accuracy_m)
    now = timezone.now()
    if captured_at is not None and captured_at > now + timedelta(minutes=5):
        raise ApplicationError(_("定位时间不能晚于当前时间。"), "invalid_capture_time")
    with transaction.atomic():
        task = locked_task(task.pk)
        if call_admit(by, task).role != APPLICANT:
            raise PermissionRefused(_("只有申请人或其授权代办人可以上报现场位置。"),
                                    "not_applicant_side")
        location = CallLocation.objects.create(
            task=task, user=by, latitude=lat, longitude=lon, accuracy_m=accuracy,
            captured_at=captured_at, distance_m=premises_distance(task, lat, lon))
        audit_log(action="inspections.call_location", actor=by, obj=task,
                  after={"latitude": str(lat), "longitude": str(lon), "accuracy_m": accuracy,
                         "distance_m": location.distance_m})
        transaction.on_commit(lambda: push_location(location))
    return location


def location_off_premises(location: CallLocation) -> bool:
    """The position is farther from the premises than the tolerance plus its accuracy."""
    if location.distance_m is None:
        return False
    slack = settings.ONESEAL_LOCATION_TOLERANCE_M + (location.accuracy_m or 0)
    return location.distance_m > slack


def task_set_premises(*, task: InspectionTask, by: User, latitude, longitude,
                      update_applicant: bool = False) -> InspectionTask:
    """A dispatcher or the task's inspector marks (or corrects) where the premises are;
    with ``update_applicant`` the applicant's registered coordinates change too. Positions
    already reported keep the distance they were measured with."""
    lat = _coordinate(latitude, -90, 90, _("纬度"))
    lon = _coordinate(longitude, -180, 180, _("经度"))
    if lat is None or lon is None:
        raise ApplicationError(_("请同时填写经营场所的纬度和经度。"), "invalid_location")
    with transaction.atomic():
        task = locked_task(task.pk)
        if not (is_dispatcher(by) or is_task_inspector(by, task)):
            raise PermissionRefused(_("只有勘验调度员或本任务的勘验人员可以标注经营场所坐标。"),
                                    "permission_denied")
        if task.status in (TaskStatus.CONCLUDED, TaskStatus.CANCELLED):
            raise ConflictError(_("勘验任务已结束，不能再修改经营场所坐标。"), "task_closed")
        before = {"latitude": str(task.premises_latitude), "longitude": str(task.premises_longitude)}
        task.premises_latitude, task.premises_longitude = lat, lon
        task.save(update_fields=["premises_latitude", "premises_longitude", "updated_at"])
        if update_applicant:
            Applicant.objects.filter(pk=task.applicant_id).update(
                premises_latitude=lat, premises_longitude=lon)
        audit_log(action="inspections.premises_position", actor=by, obj=task, before=before,
                  after={"latitude": str(lat), "longitude": str(lon),
                         "applicant_updated": update_applicant})
    return task


# ---------------------------------------------------------------- a call that cannot go on

def call_fallback(*, task: InspectionTask, by: User, kind: str, reason: str,
                  resume_at: datetime | None = None) -> CallFallback:
    """The video call cannot be completed (no connection, no camera at the premises, the
    applicant cannot be reached): an inspector or a dispatcher decides what happens next,
    keeping everything recorded so far.

    - ``onsite``: the task becomes an on-site inspection (same inspectors, the same booked
      time if there is one; results and evidence already recorded stay).
    - ``reschedule``: the call is held again later. A booked, not yet started inspection
      loses its booking, and the applicant side books again; one already under way needs
      ``resume_at``, the time agreed with the applicant, and stays in progress.

    Open recordings are closed from the chunks that arrived (中断); the participants still
    in the call are told and disconnected."""
    reason = (reason or "").strip()
    if kind not in CallFallback.Kind.values:
        raise ApplicationError(_("请选择处理方式：改期重新视频勘验或转为现场勘验。"), "invalid_kind")
    if not reason:
        raise ApplicationError(_("请填写视频勘验未能完成的原因（将告知申请人）。"), "reason_required")
    if len(reason) > 300:
        raise ApplicationError(_("原因不能超过 300 字。"), "reason_too_long")
    with transaction.atomic():
        task = locked_task(task.pk)
        if not (is_dispatcher(by) or is_task_inspector(by, task)):
            raise PermissionRefused(_("只有本任务的勘验人员或勘验调度员可以处理未完成的视频勘验。"),
                                    "permission_denied")
        if task.mode != Mode.VIDEO:
            raise ConflictError(_("该勘验任务不是视频勘验。"), "not_video_task")
        if task.status not in CALL_OPEN_STATES:
            raise ConflictError(_("勘验任务当前状态为“{status}”，不能再改期或转现场。").format(
                status=task.get_status_display()), "call_closed")
        under_way = task.status == TaskStatus.IN_PROGRESS
        if kind == CallFallback.Kind.RESCHEDULE and under_way:
            if resume_at is None:
                raise ApplicationError(_("勘验已开始：请填写与申请人约定的继续视频勘验时间。"),
                                       "resume_at_required")
            if resume_at <= timezone.now():
                raise ApplicationError(_("约定的继续时间须晚于现在。"), "resume_at_past")
        elif kind == CallFallback.Kind.RESCHEDULE:
            resume_at = None  # the applicant side books a new slot
        for recording in (CallRecording.objects.select_for_update()
                          .filter(task=task, status=CallRecording.Status.RECORDING)
                          .order_by("pk")):
            _close(recording, by=by, status=CallRecording.Status.ABANDONED)
        kept = list(task.recordings.exclude(file="").values_list("pk", flat=True))
        fallback = CallFallback(task=task, kind=kind, reason=reason, resume_at=resume_at, by=by,
                                recordings=sorted(kept))
        key = f"call-fallback:{task.pk}:{CallFallback.objects.filter(task=task).count()}"
        if kind == CallFallback.Kind.ONSITE:
            task.mode = Mode.ONSITE
            task.save(update_fields=["mode", "updated_at"])
            tell_mode_change(task=task, by=by, reason=reason, key=key)
        elif task.status == TaskStatus.BOOKED:
            fallback.cancelled_booking = booking_lapse(
                task=task, by=by, change="cancelled",
                reason=_("视频连线未能完成：{reason}").format(reason=reason))
        elif under_way:
            tell_video_resume(task=task, by=by, reason=reason, resume_at=resume_at, key=key)
        fallback.save()
        audit_log(action="inspections.call_fallback", actor=by, obj=task,
                  after={"kind": kind, "reason": reason, "resume_at": resume_at,
                         "recordings": fallback.recordings, "mode": task.mode,
                         "status": task.status})
        transaction.on_commit(lambda: push_call_ended(fallback))
    return fallback
