"""Aggregating the experts' score sheets (pure, no database): per item the number of
sheets, mean, minimum, maximum, spread and standard deviation, per expert the total, and
over the totals the mean, minimum, maximum and standard deviation. Means and deviations
are rounded half up to two decimals. An item whose spread reaches ``DIVERGENCE_SHARE`` of
its weight is flagged as divergent (专家意见分歧较大), a veto item with any score under
``VETO_SHARE`` of its weight as a veto warning, for the chair to look at."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")
DIVERGENCE_SHARE = Decimal("0.4")
VETO_SHARE = Decimal("0.6")


def q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemSpec:
    key: str
    title: str
    weight: int
    veto: bool = False


@dataclass(frozen=True)
class ItemStats:
    key: str
    title: str
    weight: int
    n: int
    mean: Decimal | None
    min: Decimal | None
    max: Decimal | None
    stdev: Decimal | None
    divergent: bool
    veto_warning: bool

    @property
    def spread(self) -> Decimal | None:
        return None if self.n == 0 else self.max - self.min


@dataclass(frozen=True)
class Aggregate:
    items: list[ItemStats]
    #: expert id -> total score
    totals: dict[int, Decimal]
    max_total: int
    total_mean: Decimal | None
    total_min: Decimal | None
    total_max: Decimal | None
    total_stdev: Decimal | None

    @property
    def n(self) -> int:
        return len(self.totals)

    @property
    def percent(self) -> Decimal | None:
        """The mean total as a percentage of the maximum (得分率)."""
        if self.total_mean is None or not self.max_total:
            return None
        return q(self.total_mean * 100 / self.max_total)


def _stats(values: list[Decimal]) -> tuple:
    if not values:
        return None, None, None, None
    return (q(sum(values) / len(values)), min(values), max(values),
            q(statistics.pstdev(values)))


def aggregate(items: Sequence[ItemSpec], sheets: Mapping[int, Mapping[str, Decimal]]
              ) -> Aggregate:
    """``sheets``: expert id -> item key -> score (submitted sheets only)."""
    stats = []
    for item in items:
        values = [Decimal(s[item.key]) for s in sheets.values() if s.get(item.key) is not None]
        mean, low, high, dev = _stats(values)
        divergent = bool(values) and (high - low) >= DIVERGENCE_SHARE * item.weight > 0
        veto_warning = item.veto and bool(values) and low < VETO_SHARE * item.weight
        stats.append(ItemStats(item.key, item.title, item.weight, len(values), mean, low, high,
                               dev, divergent, veto_warning))
    keys = [i.key for i in items]
    totals = {expert: sum((Decimal(s[k]) for k in keys if s.get(k) is not None), Decimal(0))
              for expert, s in sorted(sheets.items())}
    mean, low, high, dev = _stats(list(totals.values()))
    return Aggregate(stats, totals, sum(i.weight for i in items), mean, low, high, dev)
