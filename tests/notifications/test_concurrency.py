"""Two sweeps at once on real PostgreSQL (two connections, threads): each alert is raised
and notified once, and each outbox message is sent once."""

from __future__ import annotations

import time
from datetime import date

import pytest

from portal.notifications.backends import sms
from portal.notifications.deadlines import sweep
from portal.notifications.deadlines.sweep import deadline_sweep
from portal.notifications.models import DeadlineAlert, Notification, OutboxMessage
from portal.notifications.services import outbox_deliver_due
from tests.factories import UserFactory
from tests.factories.race import race
from tests.notifications.conftest import case_in_review

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue_cases(on_postgres, crew):
    return [case_in_review(crew, start=date(2026, 11, 2), limit=1)[0] for _ in range(4)]


def _assert_once(crew, cases):
    assert DeadlineAlert.objects.filter(level="red").count() == len(cases)
    assert DeadlineAlert.objects.filter(level="escalation").count() == len(cases)
    reviewer = crew.users["reviewer"]
    assert Notification.objects.filter(recipient=reviewer, event="deadline_overdue") \
        .count() == len(cases)
    assert Notification.objects.filter(recipient=crew.users["supervisor"],
                                       event="deadline_escalated").count() == len(cases)


def test_two_sweeps_at_once_notify_once(overdue_cases, crew):
    today = date(2026, 11, 10)
    results = race(lambda: deadline_sweep(today=today), lambda: deadline_sweep(today=today))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert sum(r.alerts for _, r in results) == 2 * len(overdue_cases)
    _assert_once(crew, overdue_cases)


def test_two_sweeps_racing_past_the_pre_check_are_stopped_by_the_constraint(
        overdue_cases, crew, monkeypatch):
    """Both sweeps try to insert every alert; the unique constraint lets one win each."""
    monkeypatch.setattr(sweep, "_raised", lambda source, deadlines: set())
    today = date(2026, 11, 10)
    results = race(*[lambda: deadline_sweep(today=today)] * 3)
    assert [kind for kind, _ in results] == ["ok"] * 3, results
    assert sum(r.alerts for _, r in results) == 2 * len(overdue_cases)
    _assert_once(crew, overdue_cases)


class SlowSms(sms.LocmemSmsBackend):
    def send(self, *, phone, text, key):
        time.sleep(0.02)
        return super().send(phone=phone, text=text, key=key)


def test_two_outbox_workers_at_once_send_each_message_once(on_postgres, settings, sms_outbox):
    settings.ONESEAL_SMS_BACKEND = "tests.notifications.test_concurrency.SlowSms"
    users = [UserFactory(roles=["applicant"], phone=f"1380000{i:04d}") for i in range(12)]
    OutboxMessage.objects.bulk_create(  # as notify writes them, without the on-commit kick
        OutboxMessage(channel="sms", recipient=u, event="case_accepted", address=u.phone,
                      body="【示例审批】您好", dedupe_key=f"race:{u.pk}:sms") for u in users)
    results = race(outbox_deliver_due, outbox_deliver_due, outbox_deliver_due)
    assert [kind for kind, _ in results] == ["ok"] * 3, results
    keys = [m["key"] for m in sms_outbox]
    assert len(keys) == len(set(keys)) == len(users)
    assert sum(r["sent"] for _, r in results) == len(users)
    assert not OutboxMessage.objects.exclude(status="sent").exists()
