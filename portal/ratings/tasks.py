"""Celery tasks of 好差评 and 内控. They call a service and are idempotent (one sample per
day, one open alert per rule and subject); acks late, so a task lost with its worker is
simply run again."""

from __future__ import annotations

from celery import shared_task

from portal.ratings.services.alerts import risk_scan as run_risk_scan
from portal.ratings.services.callbacks import callback_sample_due


@shared_task(name="portal.ratings.tasks.callback_sample", acks_late=True)
def callback_sample() -> list[int]:
    """Beat, daily: sample the cases completed yesterday (and days missed) for 回访."""
    return [sample.pk for sample in callback_sample_due()]


@shared_task(name="portal.ratings.tasks.risk_scan", acks_late=True)
def risk_scan() -> int:
    """Beat, daily: run the risk rules; the number of new alerts."""
    return len(run_risk_scan().raised)
