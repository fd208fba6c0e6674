"""Delivery to a real HTTP receiver on 127.0.0.1: signed JSON delivered on commit; a
receiver answering 500, too slowly, with a redirect, or switched off for a while gets
retries with growing backoff (time is passed in, nothing sleeps for minutes), and once it
is back every event is received exactly once by its event-id dedupe, none lost. After the
last attempt an event is failed until an operator retries it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.services import case_transition
from approvals.workflow import CaseStatus
from portal.core.models import AuditEntry
from portal.regulators import signing
from portal.regulators.models import OutboxEvent
from portal.regulators.services import delivery
from portal.regulators.services.delivery import deliver_due, deliver_one, outbox_retry
from portal.regulators.services.departments import department_rotate_secret
from portal.regulators.services.events import event_write
from portal.regulators.signing import canonical_body
from tests.factories import CaseFactory
from tests.factories.race import race
from tests.regulators.conftest import decided_case, make_department
from tests.regulators.receiver import Receiver

pytestmark = pytest.mark.django_db
S = OutboxEvent.Status


@pytest.fixture
def receiver():
    r = Receiver([]).start()
    yield r
    r.stop()


@pytest.fixture
def pushed(receiver):
    """A department whose receiver is ``receiver`` (which knows its secret)."""
    department, secret = make_department(endpoint=receiver.url)
    receiver.secrets = [secret]
    return department


def approve(crew, matter, capture, *, execute=True):
    case = decided_case(crew, matter)
    with capture(execute=execute):
        case_transition(case_id=case.pk, name="approve", by=crew.users["approver"])
    return case


def test_an_approval_is_delivered_on_commit_signed_and_intact(
        crew, food_matter, pushed, receiver, django_capture_on_commit_callbacks):
    case = approve(crew, food_matter, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.get(case=case)
    assert event.status == S.DELIVERED and event.attempts == 1
    assert event.last_status_code == 200 and event.delivered_at is not None
    assert list(receiver.received) == [str(event.event_id)]
    assert receiver.received[str(event.event_id)] == event.payload
    headers = receiver.headers[0]
    assert headers[signing.EVENT_ID_HEADER] == str(event.event_id)
    assert signing.verify(receiver.secrets, headers[signing.TIMESTAMP_HEADER],
                          canonical_body(event.payload), headers[signing.SIGNATURE_HEADER])
    assert not signing.verify(["another-secret"], headers[signing.TIMESTAMP_HEADER],
                              canonical_body(event.payload), headers[signing.SIGNATURE_HEADER])
    assert signing.PREVIOUS_SIGNATURE_HEADER not in headers
    assert AuditEntry.objects.filter(action="regulators.delivered").count() == 1


def test_receiver_errors_are_retried_with_backoff_until_it_recovers(
        crew, food_matter, pushed, receiver, django_capture_on_commit_callbacks):
    receiver.status = 500
    cases = [approve(crew, food_matter, django_capture_on_commit_callbacks) for _ in range(3)]
    events = list(OutboxEvent.objects.filter(case__in=cases))
    assert [e.status for e in events] == [S.PENDING] * 3
    assert all(e.attempts == 1 and "HTTP 500" in e.last_error for e in events)
    now = timezone.now()
    assert deliver_due(now=now)[S.PENDING] == 0  # nothing due before its backoff

    waits = []
    for _ in range(4):
        event = OutboxEvent.objects.get(pk=events[0].pk)
        now = event.next_attempt_at
        deliver_due(now=now)
        event.refresh_from_db()
        waits.append((event.next_attempt_at - now).total_seconds())
    base = 30
    for n, wait in enumerate(waits, start=2):  # after the 2nd..5th failure
        assert base * 2 ** (n - 1) <= wait <= base * 2 ** (n - 1) * 1.25
    assert receiver.received == {}

    receiver.status = 200
    counts = deliver_due(now=now + timedelta(hours=2))
    assert counts[S.DELIVERED] == 3
    assert set(receiver.received) == {str(e.event_id) for e in events}
    assert sorted(receiver.deliveries) == sorted(receiver.received)  # each exactly once
    assert deliver_due(now=now + timedelta(hours=3)) == {S.DELIVERED: 0, S.PENDING: 0,
                                                         S.FAILED: 0, S.PULL_ONLY: 0}


def test_a_receiver_switched_off_for_hours_loses_nothing(
        crew, food_matter, pushed, receiver, django_capture_on_commit_callbacks):
    receiver.stop()
    written = [approve(crew, food_matter, django_capture_on_commit_callbacks)
               for _ in range(2)]
    now = timezone.now()
    for hour in range(1, 7):  # the beat keeps trying while it is off
        if hour == 3:  # decisions keep coming while it is off
            written.append(approve(crew, food_matter, django_capture_on_commit_callbacks))
        deliver_due(now=now + timedelta(hours=hour))
    events = OutboxEvent.objects.filter(case__in=written)
    assert all(e.status == S.PENDING and e.attempts >= 2 for e in events)
    assert all("Connection" in e.last_error or "refused" in e.last_error for e in events)

    receiver.start()  # back on the same port
    deliver_due(now=now + timedelta(hours=9))
    assert sorted(receiver.received) == sorted(str(e.event_id) for e in events)
    assert len(receiver.deliveries) == len(events) == 3
    assert set(events.values_list("status", flat=True)) == {S.DELIVERED}


def test_an_answer_lost_to_a_timeout_is_sent_again_and_deduped(
        crew, food_matter, pushed, receiver, settings, django_capture_on_commit_callbacks):
    settings.ONESEAL_REGULATORS_TIMEOUT_SECONDS = 0.3
    receiver.delay = 0.8  # stores the event, answers after the sender gave up
    case = approve(crew, food_matter, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.get(case=case)
    assert event.status == S.PENDING and "timed out" in event.last_error
    receiver.delay = 0
    receiver.settle()  # the first request was stored after the sender stopped waiting
    assert list(receiver.received) == [str(event.event_id)]
    deliver_due(now=event.next_attempt_at)
    event.refresh_from_db()
    assert event.status == S.DELIVERED and event.attempts == 2
    assert receiver.deliveries == [str(event.event_id)] * 2  # delivered twice ...
    assert list(receiver.received) == [str(event.event_id)]  # ... stored once


def test_a_redirect_is_not_followed(crew, food_matter, pushed, receiver,
                                    django_capture_on_commit_callbacks):
    receiver.status = 302
    case = approve(crew, food_matter, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.get(case=case)
    assert event.status == S.PENDING and event.last_status_code == 302


def test_after_the_last_attempt_the_event_fails_until_an_operator_retries(
        crew, food_matter, pushed, receiver, settings, django_capture_on_commit_callbacks):
    settings.ONESEAL_REGULATORS_MAX_ATTEMPTS = 3
    receiver.status = 503
    case = approve(crew, food_matter, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.get(case=case)
    now = timezone.now()
    for hour in (1, 2, 3, 4):
        deliver_due(now=now + timedelta(hours=hour))
    event.refresh_from_db()
    assert event.status == S.FAILED and event.attempts == 3 and event.next_attempt_at is None
    assert AuditEntry.objects.filter(action="regulators.delivery_failed").count() == 1

    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(event_ids=[event.pk], by=crew.users["supervisor"]) == 1
    event.refresh_from_db()
    assert event.status == S.DELIVERED and event.attempts == 1
    assert list(receiver.received) == [str(event.event_id)]
    assert outbox_retry(event_ids=[event.pk], by=crew.users["supervisor"]) == 0


def test_a_leased_event_is_not_taken_twice(crew, food_matter, pushed, receiver,
                                           django_capture_on_commit_callbacks):
    case = approve(crew, food_matter, django_capture_on_commit_callbacks, execute=False)
    event = OutboxEvent.objects.get(case=case)
    now = timezone.now()
    first = delivery._lease(event.pk, now)
    assert first is not None and first.attempts == 1
    assert delivery._lease(event.pk, now) is None  # in flight: the lease moved it
    assert deliver_one(event_pk=event.pk, now=now) is None
    assert receiver.deliveries == []


def test_a_rotated_secret_still_signs_with_the_old_one_during_the_grace(
        crew, food_matter, pushed, receiver, django_capture_on_commit_callbacks):
    old = receiver.secrets[0]
    new = department_rotate_secret(department=pushed, by=crew.users["supervisor"])
    assert new != old
    receiver.secrets = [old]  # the department has not switched yet
    case = approve(crew, food_matter, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.get(case=case)
    assert event.status == S.PENDING and receiver.refused == [str(event.event_id)]
    headers = delivery.signed_headers(OutboxEvent.objects.get(pk=event.pk).department,
                                      str(event.event_id), b"{}")
    assert signing.verify(old, headers[signing.TIMESTAMP_HEADER], b"{}",
                          headers[signing.PREVIOUS_SIGNATURE_HEADER])
    receiver.secrets = [new]  # switched
    deliver_due(now=event.next_attempt_at)
    event.refresh_from_db()
    assert event.status == S.DELIVERED


def test_an_event_without_an_endpoint_is_pull_only(crew, food_matter, amr,
                                                   django_capture_on_commit_callbacks):
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    event = OutboxEvent.objects.get(case=case)
    assert event.status == S.PULL_ONLY and event.next_attempt_at is None
    assert deliver_due() == {S.DELIVERED: 0, S.PENDING: 0, S.FAILED: 0, S.PULL_ONLY: 0}


def test_retry_delay_doubles_with_jitter_and_is_capped():
    import random

    rng = random.Random(1)
    for n in range(1, 12):
        delay = delivery.retry_delay(n, rng=rng).total_seconds()
        expected = min(3600, 30 * 2 ** (n - 1))
        assert expected <= delay <= expected * 1.25


def test_signature_verification_refuses_old_timestamps_and_bad_input():
    body = canonical_body({"b": 1, "a": "中文"})
    assert body == '{"a":"中文","b":1}'.encode()
    sig = signing.sign("s3cret", 1_700_000_000, body)
    assert signing.verify("s3cret", "1700000000", body, sig, now=1_700_000_100)
    assert not signing.verify("s3cret", "1700000000", body, sig, now=1_700_001_000)
    assert not signing.verify("s3cret", "not-a-number", body, sig)
    assert not signing.verify("s3cret", "1700000000", body + b" ", sig, now=1_700_000_000)


@pytest.mark.django_db(transaction=True)
def test_three_sweeps_at_once_on_postgres_post_each_event_once(on_postgres, food_matter,
                                                               pushed, receiver, monkeypatch):
    from portal.regulators.services import events as event_services

    monkeypatch.setattr(event_services, "_queue_delivery", lambda pk: None)  # sweeps only
    receiver.delay = 0.05  # keep requests in flight while the other sweeps look
    events = [event_write(department=pushed, case=CaseFactory(matter=food_matter,
                                                               number=f"R-{i}"),
                          kind="decision.approved", decision={"result": "approved"})
              for i in range(12)]
    results = race(deliver_due, deliver_due, deliver_due)
    assert [kind for kind, _ in results] == ["ok"] * 3, results
    assert sorted(receiver.deliveries) == sorted(str(e.event_id) for e in events)
    assert sum(r[S.DELIVERED] for _, r in results) == len(events)
