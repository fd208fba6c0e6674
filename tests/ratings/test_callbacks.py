"""Random callback sampling (随机回访): the day's completed cases sampled at the configured
rate, reproducible from the recorded seed, once per day (catching up on missed days),
shared among the callback staff; call records complete a task or, after repeated
no-answer, mark it unreachable."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from approvals.models import Case, CaseStatusChange
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from portal.ratings.models import (
    CallbackSample,
    CallbackTask,
    CallbackTaskStatus,
    CallChannel,
    CallOutcome,
)
from portal.ratings.sampling import round_robin, sample_choice, sample_size
from portal.ratings.services.callbacks import (
    callback_call_record,
    callback_sample_create,
    callback_sample_due,
    completed_on,
    sample_verify,
)
from portal.ratings.tasks import callback_sample
from tests.factories import CaseFactory, MatterFactory, staff

pytestmark = pytest.mark.django_db


def closed_cases(day, n: int, status: str = CaseStatus.ISSUED) -> list[int]:
    """``n`` cases closed at noon on ``day`` (crafted rows: the sample reads closed_at)."""
    matter = MatterFactory()
    at = timezone.make_aware(datetime.combine(day, time(12)))
    ids = []
    for _ in range(n):
        case = CaseFactory(matter=matter)
        Case.objects.filter(pk=case.pk).update(status=status, closed_at=at,
                                               number=f"T-{case.pk:06d}")
        ids.append(case.pk)
    return ids


@pytest.mark.parametrize(("n", "rate", "k"), [(0, "0.1", 0), (1, "0.1", 1), (10, "0.1", 1),
                                              (11, "0.1", 2), (100, "0.1", 10), (7, "0", 0),
                                              (7, "1", 7), (3, "0.5", 2)])
def test_sample_size_rounds_up(n, rate, k):
    assert sample_size(n, Decimal(rate)) == k


@given(st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=200),
       st.text(alphabet="0123456789abcdef", min_size=8, max_size=64),
       st.sampled_from(["0.05", "0.1", "0.25", "1"]))
def test_sample_choice_is_a_reproducible_subset(population, seed, rate):
    chosen = sample_choice(population, seed, rate)
    assert chosen == sample_choice(list(reversed(population)), seed, rate)
    assert set(chosen) <= set(population) and len(set(chosen)) == len(chosen)
    assert len(chosen) == sample_size(len(population), rate)


def test_round_robin_shares_in_drawn_order():
    assert round_robin([9, 3, 5], [20, 10]) == {9: 10, 3: 20, 5: 10}
    assert round_robin([9], []) == {9: None}


def test_daily_sample_at_the_rate_and_reproducible_from_the_record(db):
    day = timezone.localdate() - timedelta(days=1)
    population = closed_cases(day, 40)
    closed_cases(day - timedelta(days=1), 5)  # another day: not in this sample
    a, b = staff("supervisor"), staff("supervisor")
    sample = callback_sample_create(day=day, rate="0.1")
    assert sample.population == sorted(population) and len(sample.chosen) == 4
    assert len(sample.seed) == 64 and sample.rate == Decimal("0.1000")
    assert sample.chosen == sample_choice(sample.population, sample.seed, sample.rate)
    check = sample_verify(sample)
    assert check.ok and check.population_matches
    tasks = list(CallbackTask.objects.filter(sample=sample).order_by("pk"))
    assert sorted(t.case_id for t in tasks) == sorted(sample.chosen)
    assert sorted(t.assignee_id for t in tasks) == sorted([a.pk, a.pk, b.pk, b.pk])
    assert Notification.objects.filter(event="rating_callback").count() == 2
    assert AuditEntry.objects.get(action="ratings.callback_sample").after["seed"] == sample.seed
    # a tampered record no longer verifies
    others = [i for i in sample.population if i not in sample.chosen][:4]
    CallbackSample.objects.filter(pk=sample.pk).update(chosen=others)
    sample.refresh_from_db()
    assert not sample_verify(sample).ok


def test_sample_rate_setting_is_used(settings):
    settings.ONESEAL_CALLBACK_SAMPLE_RATE = 0.5
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 6)
    assert len(callback_sample_create(day=day).chosen) == 3


def test_one_sample_per_day(db):
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 12)
    first = callback_sample_create(day=day, rate="0.5")
    again = callback_sample_create(day=day, rate="0.5")
    assert again.pk == first.pk and again.seed == first.seed
    assert CallbackTask.objects.count() == 6


def test_withdrawn_cases_are_not_completed(db):
    day = timezone.localdate() - timedelta(days=1)
    done = closed_cases(day, 2)
    closed_cases(day, 1, status=CaseStatus.WITHDRAWN)
    archived_withdrawn = closed_cases(day, 1, status=CaseStatus.ARCHIVED)[0]
    CaseStatusChange.objects.create(case_id=archived_withdrawn, from_status="submitted",
                                    to_status="withdrawn", transition="withdraw",
                                    actor=staff("clerk"))
    assert completed_on(day) == sorted(done)


def test_daily_task_samples_yesterday_and_catches_up_missed_days(db):
    today = timezone.localdate()
    for back in (1, 2, 3):
        closed_cases(today - timedelta(days=back), 10)
    callback_sample_create(day=today - timedelta(days=3), rate="0.1")
    ids = callback_sample.delay().get()
    days = list(CallbackSample.objects.filter(pk__in=ids).order_by("day")
                .values_list("day", flat=True))
    assert days == [today - timedelta(days=2), today - timedelta(days=1)]
    assert callback_sample_due() == [] and CallbackSample.objects.count() == 3  # nothing new


def test_call_records_complete_or_give_up(settings):
    settings.ONESEAL_CALLBACK_MAX_ATTEMPTS = 2
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 2)
    caller = staff("supervisor")
    sample = callback_sample_create(day=day, rate="1")
    first, second = CallbackTask.objects.filter(sample=sample).order_by("pk")
    callback_call_record(task=first, channel=CallChannel.PHONE,
                         outcome=CallOutcome.SATISFIED, response="很满意", by=caller)
    first.refresh_from_db()
    assert first.status == CallbackTaskStatus.DONE and first.outcome == CallOutcome.SATISFIED
    with pytest.raises(ApplicationError) as exc:
        callback_call_record(task=first, channel=CallChannel.PHONE,
                             outcome=CallOutcome.SATISFIED, response="x", by=caller)
    assert exc.value.status == 409
    for expected in (CallbackTaskStatus.PENDING, CallbackTaskStatus.UNREACHABLE):
        callback_call_record(task=second, channel=CallChannel.PHONE,
                             outcome=CallOutcome.UNREACHABLE, by=caller)
        second.refresh_from_db()
        assert second.status == expected
    assert second.calls.count() == 2


def test_only_callback_staff_or_the_assignee_record_calls(db):
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 1)
    callback_sample_create(day=day, rate="1")
    task = CallbackTask.objects.get()
    with pytest.raises(ApplicationError) as exc:
        callback_call_record(task=task, channel=CallChannel.PHONE,
                             outcome=CallOutcome.SATISFIED, response="好", by=staff("clerk"))
    assert exc.value.status == 403
