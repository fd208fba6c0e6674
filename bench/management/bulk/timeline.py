"""When each step of a generated case happens (pure).

Durations follow the seeds: 即办件 in minutes (公共场所卫生许可 8 minutes), a video
inspection the same or next working day, on-site ones within 3 working days, a few
rectifications taking a week. Bureau duties happen in office hours on working days (a
share of inspections on weekends: 周末无休). Slower matters (longer promised limits) take
proportionally longer to review and decide.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

MINUTE, HOUR, DAY = 60, 3600, 86400

#: transition -> (low, high) seconds after the previous step, for ordinary matters.
DELAYS: dict[str, tuple[int, int]] = {
    "submit": (5 * MINUTE, 3 * DAY),
    "request_supplement": (1 * HOUR, 1 * DAY),
    "resubmit": (1 * DAY, 10 * DAY),
    "accept": (10 * MINUTE, 1 * DAY),
    "reject": (1 * HOUR, 2 * DAY),
    "start_review": (5 * MINUTE, 6 * HOUR),
    "request_inspection": (2 * HOUR, 2 * DAY),
    "send_to_decision": (2 * HOUR, 2 * DAY),
    "return_case": (1 * DAY, 3 * DAY),
    "start_inspection": (2 * HOUR, 3 * DAY),
    "conclude_inspection": (20 * MINUTE, 4 * HOUR),
    "approve": (1 * HOUR, 2 * DAY),
    "deny": (1 * DAY, 3 * DAY),
    "issue": (10 * MINUTE, 1 * DAY),
    "withdraw": (1 * HOUR, 5 * DAY),
    "archive": (2 * DAY, 30 * DAY),
}
#: 即办件: one person accepts, reviews and approves within minutes.
INSTANT: dict[str, tuple[int, int]] = {
    "accept": (2 * MINUTE, 10 * MINUTE), "start_review": (30, 3 * MINUTE),
    "send_to_decision": (1 * MINUTE, 4 * MINUTE), "approve": (30, 3 * MINUTE),
    "issue": (5 * MINUTE, 30 * MINUTE),
}
RECTIFICATION = (1 * DAY, 7 * DAY)
RECTIFICATION_SHARE = 0.05  # seeds: 95% pass at the first inspection
SCALED = {"request_inspection", "send_to_decision", "approve", "deny", "start_inspection"}
STAFF = {"accept", "reject", "request_supplement", "start_review", "request_inspection",
         "send_to_decision", "return_case", "start_inspection", "conclude_inspection",
         "approve", "deny", "issue", "archive"}
WEEKEND_INSPECTION_SHARE = 0.1
INSPECTING = {"start_inspection", "conclude_inspection"}


def office_hours(moment: datetime, rng: random.Random) -> datetime:
    """Move ``moment`` into the next office period (Mon-Fri 08:30-17:30)."""
    if moment.hour >= 18 or moment.hour < 8:
        days = 1 if moment.hour >= 18 else 0
        moment = (moment + timedelta(days=days)).replace(
            hour=8, minute=30, second=0, microsecond=0) + timedelta(seconds=rng.randint(0, 5400))
    if moment.weekday() >= 5:
        moment += timedelta(days=7 - moment.weekday())
    return moment


def delay(name: str, rng: random.Random, *, instant: bool, scale: float) -> int:
    """Seconds from the previous step to step ``name``."""
    if instant and name in INSTANT:
        low, high = INSTANT[name]
    elif name == "conclude_inspection" and rng.random() < RECTIFICATION_SHARE:
        low, high = RECTIFICATION
    else:
        low, high = DELAYS[name]
    seconds = low + (high - low) * rng.random()
    return int(seconds * scale if name in SCALED else seconds)


def schedule(names: list[str], start: datetime, rng: random.Random, *, instant: bool,
             scale: float) -> list[datetime]:
    """The moment of each step, starting after ``start`` (the case's creation)."""
    moments, moment = [], start
    for name in names:
        moment = moment + timedelta(seconds=delay(name, rng, instant=instant, scale=scale))
        weekend = name in INSPECTING and rng.random() < WEEKEND_INSPECTION_SHARE
        if name in STAFF and not weekend:
            moment = office_hours(moment, rng)
        moments.append(moment)
    return moments
