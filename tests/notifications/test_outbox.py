"""The e-mail/SMS outbox: delivery through the backends, failures retried with backoff
until they succeed (nothing lost), the last attempt marks the message failed, a broker
outage at queueing time loses nothing, and every send is logged."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.core.models import AuditEntry
from portal.notifications import tasks
from portal.notifications.backends.sms import ConsoleSmsBackend, FileSmsBackend
from portal.notifications.models import OutboxMessage
from portal.notifications.services import (
    notify,
    notify_phone,
    outbox_deliver_due,
    outbox_deliver_one,
    outbox_retry,
)
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


class FlakySms:
    """Fails while ``down`` is true; counts calls."""

    down = True
    calls: list[str] = []

    def send(self, *, phone, text, key):
        FlakySms.calls.append(key)
        if FlakySms.down:
            raise ConnectionError("SMS gateway timed out")
        return "gw-1"


@pytest.fixture
def flaky(settings):
    settings.ONESEAL_SMS_BACKEND = "tests.notifications.test_outbox.FlakySms"
    FlakySms.down, FlakySms.calls = True, []
    return FlakySms


@pytest.fixture
def applicant_user(db):
    return ApplicantFactory(user__email="zhang@example.com").user


def _sms(user, key="k1"):
    notify(recipient=user, event="case_accepted", key=key,
           context={"case_number": "SP-2026-000001", "matter": "食品经营许可"})
    return OutboxMessage.objects.get(dedupe_key=f"{key}:sms")


def test_email_goes_through_djangos_email_backend(applicant_user, mailoutbox):
    notify(recipient=applicant_user, event="case_accepted", key="k1",
           context={"case_number": "SP-2026-000001", "matter": "食品经营许可"})
    assert outbox_deliver_due() == {"sent": 2, "pending": 0, "failed": 0}
    [mail] = mailoutbox
    assert mail.to == ["zhang@example.com"] and "SP-2026-000001" in mail.subject
    assert "食品经营许可" in mail.body and mail.extra_headers["X-OneSeal-Message"] == "k1:email"
    row = OutboxMessage.objects.get(channel="email")
    assert (row.status, row.attempts) == (Status.SENT, 1) and row.sent_at is not None


def test_sms_goes_through_the_configured_backend_and_is_audited(applicant_user, sms_outbox):
    message = _sms(applicant_user)
    outbox_deliver_due()
    [sent] = sms_outbox
    assert sent["phone"] == applicant_user.phone and sent["key"] == "k1:sms"
    assert sent["text"].startswith("【示例审批】") and "食品经营许可" in sent["text"]
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, "locmem-1")
    entry = AuditEntry.objects.get(action="notification.sent", object_id=str(message.pk))
    assert entry.after["address"] == "138****8000"  # masked in the audit trail


def test_failing_backend_is_retried_with_backoff_then_recovers(applicant_user, flaky):
    message = _sms(applicant_user)
    before = timezone.now()
    outbox_deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "SMS gateway timed out" in message.last_error
    assert message.next_attempt_at >= before + timedelta(seconds=60)

    outbox_deliver_due()  # not due yet: not tried again
    assert len(flaky.calls) == 1

    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=110)  # doubled

    flaky.down = False
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id) == (Status.SENT, 3, "gw-1")
    outbox_deliver_due()
    assert len(flaky.calls) == 3  # sent once, never again


def test_after_the_last_attempt_the_message_is_failed_and_can_be_retried(applicant_user,
                                                                          flaky, settings):
    settings.ONESEAL_OUTBOX_MAX_ATTEMPTS = 2
    message = _sms(applicant_user)
    for _ in range(2):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox_deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 2)
    assert AuditEntry.objects.filter(action="notification.failed").count() == 1
    flaky.down = False
    assert outbox_retry(message_ids=[message.pk], by=None) == 1
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_deliver_one_skips_a_message_already_sent(applicant_user, sms_outbox):
    message = _sms(applicant_user)
    assert outbox_deliver_one(message_id=message.pk) == Status.SENT
    assert outbox_deliver_one(message_id=message.pk) is None
    assert len(sms_outbox) == 1


def test_delivery_is_queued_on_commit_and_runs_at_once(applicant_user, sms_outbox,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sms(applicant_user)
        assert sms_outbox == []  # nothing leaves before the commit
    assert len(sms_outbox) == 1


def test_broker_down_at_commit_loses_nothing_the_sweep_sends_it(
        applicant_user, sms_outbox, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_send, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = _sms(applicant_user)
    assert sms_outbox == [] and OutboxMessage.objects.get(pk=message.pk).status == "pending"
    tasks.outbox_sweep()
    assert len(sms_outbox) == 1


def test_the_same_key_twice_adds_nothing(applicant_user):
    assert notify(recipient=applicant_user, event="case_accepted", key="k", context={})
    assert notify(recipient=applicant_user, event="case_accepted", key="k", context={}) is None
    assert OutboxMessage.objects.count() == 2  # one e-mail, one SMS


def test_walk_in_without_account_gets_sms_on_key_events_only():
    assert notify_phone(phone="13700001111", event="case_accepted", key="w", context={})
    assert notify_phone(phone="13700001111", event="inspection_concluded", key="w2",
                        context={}) is None


def test_no_address_no_message(db):
    user = UserFactory(roles=["applicant"], email="", phone="")
    notify(recipient=user, event="case_accepted", key="k", context={})
    assert OutboxMessage.objects.count() == 0


def test_file_backend_appends_one_json_line_per_message(tmp_path, settings):
    settings.ONESEAL_SMS_FILE_DIR = str(tmp_path / "sms")
    backend = FileSmsBackend()
    first = backend.send(phone="13800138000", text="【示例审批】您好", key="a")
    backend.send(phone="13800138001", text="第二条", key="b")
    [path] = (tmp_path / "sms").iterdir()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["phone"], r["key"]) for r in lines] == [("13800138000", "a"),
                                                        ("13800138001", "b")]
    assert lines[0]["id"] == first and lines[0]["text"] == "【示例审批】您好"


def test_console_backend_writes_the_message():
    stream = io.StringIO()
    ConsoleSmsBackend(stream=stream).send(phone="13800138000", text="您好", key="k")
    assert stream.getvalue() == "[SMS to 13800138000] 您好\n"
