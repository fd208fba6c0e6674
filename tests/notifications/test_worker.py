"""A real Celery worker runs the deadline sweep and the outbox sweep through the
configured broker (Redis in CI, kombu's filesystem transport embedded): an overdue stage
is alerted, the reviewer notified, and the e-mail leaves through the outbox."""

from __future__ import annotations

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app
from portal.notifications import tasks
from portal.notifications.models import DeadlineAlert, Notification, OutboxMessage
from tests.notifications.conftest import case_in_review

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_broker():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield settings.CELERY_BROKER_URL
    app.conf.task_always_eager = previous


def test_worker_runs_the_sweeps_end_to_end(crew, mailoutbox, real_broker):
    if settings.ONESEAL_REQUIRE_SERVICES:
        assert real_broker.startswith("redis://")
    reviewer = crew.users["reviewer"]
    reviewer.email = "reviewer@example.gov.cn"
    reviewer.save()
    case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=1)  # due 11-03
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        swept = tasks.deadline_sweep.delay().get(timeout=30)
        again = tasks.deadline_sweep.delay().get(timeout=30)
        tasks.outbox_sweep.delay().get(timeout=30)
    assert swept["alerts"] >= 2 and again == {"alerts": 0, "notifications": 0}
    levels = set(DeadlineAlert.objects.filter(object_id=stage.pk, source="approvals.casestage")
                 .values_list("level", flat=True))
    assert levels == {"red", "escalation"}
    assert Notification.objects.filter(recipient=reviewer, event="deadline_overdue").count() == 1
    mail = OutboxMessage.objects.get(recipient=reviewer, channel="email")
    assert mail.status == "sent"
    assert [m.to for m in mailoutbox if m.subject == mail.subject] == [[reviewer.email]]
