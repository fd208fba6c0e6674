"""The callback sample as pure functions (no database): how many of a day's completed
cases are called back, and which. ``random.Random(int(seed, 16)).sample(sorted(ids), k)``
with ``k = ceil(len(ids) x rate)``, so a recorded (population, seed, rate) gives the same
cases to anyone who recomputes it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal


def sample_size(n: int, rate: Decimal | float | str) -> int:
    """Cases to call back out of ``n``: ``n x rate`` rounded up (0 only when n or rate is)."""
    rate = Decimal(str(rate))
    if n <= 0 or rate <= 0:
        return 0
    if rate >= 1:
        return n
    return int((Decimal(n) * rate).to_integral_value(rounding=ROUND_CEILING))


def sample_choice(population: Sequence[int], seed: str,
                  rate: Decimal | float | str) -> list[int]:
    """The sampled ids, in the order drawn."""
    ordered = sorted(population)
    return random.Random(int(seed, 16)).sample(ordered, sample_size(len(ordered), rate))


def round_robin(chosen: Sequence[int], staff_ids: Sequence[int]) -> dict[int, int | None]:
    """Share the chosen cases among the callback staff (ascending id), in drawn order."""
    staff = sorted(staff_ids)
    return {case_id: (staff[i % len(staff)] if staff else None)
            for i, case_id in enumerate(chosen)}
