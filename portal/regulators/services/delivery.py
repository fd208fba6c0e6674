"""Delivering the regulator outbox by HTTP POST, at least once, until it is received.

An attempt first *leases* the row in a short transaction (``SELECT ... FOR UPDATE SKIP
LOCKED`` on PostgreSQL, then a compare-and-set on ``next_attempt_at`` that also works on
SQLite): the lease moves ``next_attempt_at`` past the request timeout, so no other worker
takes the event while it is in flight and a worker that dies mid-request leaves it to the
next sweep. The request itself runs outside any transaction (no row lock held over the
network). A 2xx answer marks the event delivered; anything else (other status, timeout,
refused connection, redirect) records the error and schedules the next attempt with
exponential backoff and jitter; after the last attempt the event is marked failed, and
an operator can offer it again. Receivers dedupe by event id: a delivery whose answer is
lost is sent again.
"""

from __future__ import annotations

import logging
import random
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.core.audit import audit_log
from portal.regulators import secretbox, signing
from portal.regulators.conf import setting
from portal.regulators.models import OutboxEvent, RegulatorDepartment

logger = logging.getLogger(__name__)
S = OutboxEvent.Status
USER_AGENT = "OneSeal-Regulators/1"


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Wait after the ``attempts``-th failure: base·2^(n-1) capped, plus 0-25% jitter."""
    base = setting("ONESEAL_REGULATORS_BACKOFF_SECONDS")
    cap = setting("ONESEAL_REGULATORS_BACKOFF_MAX_SECONDS")
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=delay * (1 + (rng or random).uniform(0, 0.25)))


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow (a POST must not turn into a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def signed_headers(department: RegulatorDepartment, event_id: str, body: bytes, *,
                   timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
        signing.EVENT_ID_HEADER: event_id, signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.sign(secretbox.unseal(department.secret_sealed),
                                               timestamp, body),
    }
    if department.previous_secret_active:
        headers[signing.PREVIOUS_SIGNATURE_HEADER] = signing.sign(
            secretbox.unseal(department.previous_secret_sealed), timestamp, body)
    return headers


def post_event(event: OutboxEvent) -> Outcome:
    """One HTTP attempt; never raises for a network or receiver failure."""
    department = event.department
    url = department.endpoint_url
    if not url.startswith(("http://", "https://")):
        return Outcome(False, None, "endpoint is not an http(s) URL")
    body = signing.canonical_body(event.payload)
    try:
        headers = signed_headers(department, str(event.event_id), body)
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, data=body, headers=headers, method="POST")
        timeout = setting("ONESEAL_REGULATORS_TIMEOUT_SECONDS")
        with _opener.open(request, timeout=timeout) as response:
            response.read(4096)
            code = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        return Outcome(False, exc.code, f"HTTP {exc.code} {exc.reason}: {detail}".strip())
    except Exception as exc:  # noqa: BLE001 - timeouts, refused connections, TLS, secrets
        return Outcome(False, None, f"{type(exc).__name__}: {exc}")
    if 200 <= code < 300:
        return Outcome(True, code)
    return Outcome(False, code, f"HTTP {code}")


def _lease(pk: int, now: datetime) -> OutboxEvent | None:
    """Take the event for one attempt if it is pending and due (None if not, or taken)."""
    until = now + timedelta(seconds=setting("ONESEAL_REGULATORS_TIMEOUT_SECONDS") + 60)
    with transaction.atomic():
        event = (OutboxEvent.objects.select_for_update(skip_locked=True)
                 .filter(pk=pk, status=S.PENDING, next_attempt_at__lte=now).first())
        if event is None:
            return None
        taken = (OutboxEvent.objects
                 .filter(pk=pk, status=S.PENDING, next_attempt_at=event.next_attempt_at)
                 .update(next_attempt_at=until, attempts=F("attempts") + 1))
    if not taken:
        return None
    return OutboxEvent.objects.select_related("department").get(pk=pk)


def _record(event: OutboxEvent, outcome: Outcome, now: datetime) -> str:
    mine = OutboxEvent.objects.filter(pk=event.pk, attempts=event.attempts)
    if outcome.ok:
        OutboxEvent.objects.filter(pk=event.pk).exclude(status=S.DELIVERED).update(
            status=S.DELIVERED, delivered_at=now, last_status_code=outcome.status_code,
            last_error="", next_attempt_at=None)
        audit_log(action="regulators.delivered", obj=event,
                  after={"event_id": str(event.event_id), "department": event.department.code,
                         "attempts": event.attempts, "status_code": outcome.status_code})
        return S.DELIVERED
    error = outcome.error[:2000]
    if event.attempts >= setting("ONESEAL_REGULATORS_MAX_ATTEMPTS"):
        mine.filter(status=S.PENDING).update(status=S.FAILED, next_attempt_at=None,
                                             last_error=error,
                                             last_status_code=outcome.status_code)
        audit_log(action="regulators.delivery_failed", obj=event,
                  after={"event_id": str(event.event_id), "department": event.department.code,
                         "attempts": event.attempts, "error": error})
        status = S.FAILED
    else:
        mine.filter(status=S.PENDING).update(
            next_attempt_at=now + retry_delay(event.attempts), last_error=error,
            last_status_code=outcome.status_code)
        status = S.PENDING
    logger.warning("regulator event %s to %s, attempt %s failed: %s", event.event_id,
                   event.department.code, event.attempts, error)
    return status


def deliver_one(*, event_pk: int, now: datetime | None = None) -> str | None:
    """Attempt one event now if it is pending and due; its resulting status, or None."""
    now = now or timezone.now()
    event = _lease(event_pk, now)
    if event is None:
        return None
    if not event.department.endpoint_url or not event.department.is_active:
        # the department stopped taking pushes: its users claim in the portal or pull
        OutboxEvent.objects.filter(pk=event.pk).update(
            status=S.PULL_ONLY, next_attempt_at=None, attempts=event.attempts - 1)
        return S.PULL_ONLY
    return _record(event, post_event(event), now)


def deliver_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Beat: attempt due events, oldest due first; counts by resulting status."""
    now = now or timezone.now()
    limit = limit or setting("ONESEAL_REGULATORS_BATCH")
    due = list(OutboxEvent.objects.filter(status=S.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    counts = {S.DELIVERED.value: 0, S.PENDING.value: 0, S.FAILED.value: 0,
              S.PULL_ONLY.value: 0}
    for pk in due:
        status = deliver_one(event_pk=pk, now=now)
        if status is not None:
            counts[str(status)] += 1
    return counts


def outbox_retry(*, event_ids: list[int], by, now: datetime | None = None) -> int:
    """Offer failed or waiting events again now, with a fresh round of attempts (an
    operator after the department fixed its receiver). Delivered ones are left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = (OutboxEvent.objects.filter(pk__in=event_ids, department__is_active=True)
              .exclude(status=S.DELIVERED).exclude(department__endpoint_url=""))
        ids = sorted(qs.values_list("pk", flat=True))
        retried = OutboxEvent.objects.filter(pk__in=ids).update(
            status=S.PENDING, next_attempt_at=now, attempts=0)
        audit_log(action="regulators.retry", actor=by, object_type="regulators.outboxevent",
                  after={"ids": ids, "retried": retried})
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _queue(pk))
    return retried


def _queue(pk: int) -> None:
    from portal.regulators.services.events import _queue_delivery

    _queue_delivery(pk)
