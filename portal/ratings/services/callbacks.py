"""Random callback sampling (随机回访): every day the cases completed the day before are
sampled at ``ONESEAL_CALLBACK_SAMPLE_RATE`` with a seed from ``secrets``, recorded with
the population it applies to, so anyone can recompute the choice (``sample_verify``). The
sampled cases become callback tasks shared among the callback staff, who record each call.

"Completed" (办结) means closed on that day (``Case.closed_at``, local date) other than by
the applicant's withdrawal: issued, denied, not accepted or returned. One sample per day
(unique), so a second run, or a concurrent one, changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseStatusChange
from approvals.workflow import CaseStatus
from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.ratings import notices
from portal.ratings.conf import setting
from portal.ratings.models import (
    CallbackSample,
    CallbackTask,
    CallbackTaskStatus,
    CallOutcome,
    CallRecord,
)
from portal.ratings.models.calls import REACHED
from portal.ratings.permissions import is_callback_staff
from portal.ratings.sampling import round_robin, sample_choice
from portal.ratings.services.rectifications import _call_values


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def completed_on(day: date) -> list[int]:
    """Ids of the cases completed on ``day`` (ascending: the canonical order)."""
    start, end = _day_bounds(day)
    withdrawn = CaseStatusChange.objects.filter(case=OuterRef("pk"), transition="withdraw")
    return list(Case.objects.filter(closed_at__gte=start, closed_at__lt=end)
                .exclude(status=CaseStatus.WITHDRAWN).exclude(Exists(withdrawn))
                .order_by("pk").values_list("pk", flat=True))


def _rate(rate) -> Decimal:
    rate = Decimal(str(setting("ONESEAL_CALLBACK_SAMPLE_RATE") if rate is None else rate))
    if not Decimal(0) <= rate <= Decimal(1):
        raise ApplicationError(_("回访抽样比例须在 0 到 1 之间。"), "invalid_rate")
    return rate.quantize(Decimal("0.0001"))


def callback_sample_create(*, day: date, rate=None) -> CallbackSample:
    """Sample ``day``'s completed cases (once per day) and make their callback tasks."""
    existing = CallbackSample.objects.filter(day=day).first()
    if existing is not None:
        return existing
    rate, population, seed = _rate(rate), completed_on(day), secrets.token_hex(32)
    chosen = sample_choice(population, seed, rate)
    staff = notices.role_users(setting("ONESEAL_CALLBACK_ROLE"))
    assignees = round_robin(chosen, [u.pk for u in staff])
    try:
        with transaction.atomic():
            sample = CallbackSample.objects.create(day=day, rate=rate, seed=seed,
                                                   population=population, chosen=chosen)
            CallbackTask.objects.bulk_create([
                CallbackTask(sample=sample, case_id=case_id, assignee_id=assignees[case_id])
                for case_id in chosen])
            audit_log(action="ratings.callback_sample", actor=None, obj=sample,
                      after={"day": day, "rate": rate, "seed": seed,
                             "population": len(population), "chosen": chosen})
            notices.callback_tasks_to_staff(sample, assignees.values())
    except IntegrityError:  # a concurrent run sampled the day first
        return CallbackSample.objects.get(day=day)
    return sample


def callback_sample_due(*, today: date | None = None) -> list[CallbackSample]:
    """The daily run: sample yesterday and any earlier day missed (within the catch-up)."""
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    first = yesterday - timedelta(days=int(setting("ONESEAL_CALLBACK_CATCH_UP_DAYS")) - 1)
    last = (CallbackSample.objects.filter(day__gte=first, day__lte=yesterday)
            .order_by("-day").values_list("day", flat=True).first())
    start = last + timedelta(days=1) if last else yesterday
    days = [start + timedelta(days=i) for i in range((yesterday - start).days + 1)]
    return [callback_sample_create(day=day) for day in days]


@dataclass(frozen=True)
class SampleCheck:
    ok: bool
    recomputed: list[int]
    #: the recorded population is what the database says today
    population_matches: bool


def sample_verify(sample: CallbackSample) -> SampleCheck:
    recomputed = sample_choice(sample.population, sample.seed, sample.rate)
    return SampleCheck(recomputed == list(sample.chosen), recomputed,
                       completed_on(sample.day) == list(sample.population))


def callback_call_record(*, task: CallbackTask, channel: str, outcome: str, by: User,
                         response: str = "", called_at: datetime | None = None) -> CallRecord:
    """Record one call of a sampled case: a reached outcome completes the task, and N
    unanswered attempts mark it unreachable."""
    if not (is_callback_staff(by) or task.assignee_id == by.pk):
        raise PermissionRefused(_("只有回访人员可以登记回访记录。"), "permission_denied")
    response, called_at = _call_values(channel, outcome, response, called_at)
    with transaction.atomic():
        task = CallbackTask.objects.select_for_update().get(pk=task.pk)
        if task.status != CallbackTaskStatus.PENDING:
            raise ConflictError(_("该回访任务已完成（{status}）。").format(
                status=task.get_status_display()), "task_done")
        record = CallRecord.objects.create(task=task, channel=channel, outcome=outcome,
                                           response=response, called_at=called_at, called_by=by)
        before = {"status": task.status}
        if outcome in REACHED:
            task.status = CallbackTaskStatus.DONE
        elif task.calls.filter(outcome=CallOutcome.UNREACHABLE).count() >= int(
                setting("ONESEAL_CALLBACK_MAX_ATTEMPTS")):
            task.status = CallbackTaskStatus.UNREACHABLE
        if task.status != CallbackTaskStatus.PENDING:
            task.outcome, task.completed_at = outcome, timezone.now()
        task.save()
        audit_log(action="ratings.callback_call", actor=by, obj=task, before=before,
                  after={"status": task.status, "call": record.pk, "outcome": outcome,
                         "channel": channel})
    return record
