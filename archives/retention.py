"""Classification and retention (保管期限) of an archive package: pure functions, no
database access, so every rule is easy to test.

- The outcome of a case (准予 / 不予许可 / 不予受理 / 终止办理) decides its default class
  and period: granted 30 years, every refusal or ending 10 years; a matter of 安全生产 or
  危险化学品 (by its industry or name) is kept permanently (永久).
- Rules entered by an administrator (``RetentionRule``) override the defaults; the most
  specific rule wins: one naming the matter beats one naming an industry keyword, which
  beats a general one; a rule for the case's outcome beats one for any outcome.
- The period counts from 1 January of the year after the file was formed, i.e. after the
  case closed (DA/T 22-2015 归档文件整理规则): a 10-year file closed in 2026 may be reviewed
  for destruction from 2037-01-01. A permanent file never is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from approvals.workflow import CaseStatus


class Retention(models.TextChoices):
    PERMANENT = "permanent", _("永久")
    Y30 = "30", _("30年")
    Y10 = "10", _("10年")


#: Years of each fixed period.
YEARS = {Retention.Y30: 30, Retention.Y10: 10}
#: Period codes used in the archive number (档号), as DA/T 22-2015 writes them.
PERIOD_CODE = {Retention.PERMANENT: "Y", Retention.Y30: "D30", Retention.Y10: "D10"}


class Outcome(models.TextChoices):
    GRANTED = "granted", _("准予许可")
    DENIED = "denied", _("不予许可")
    REJECTED = "rejected", _("不予受理")
    TERMINATED = "terminated", _("终止办理（退件、撤回）")


OUTCOME_OF_STATUS = {
    CaseStatus.ISSUED: Outcome.GRANTED, CaseStatus.DENIED: Outcome.DENIED,
    CaseStatus.REJECTED: Outcome.REJECTED, CaseStatus.RETURNED: Outcome.TERMINATED,
    CaseStatus.WITHDRAWN: Outcome.TERMINATED,
}


@dataclass(frozen=True)
class Classification:
    code: str
    name: str
    retention: str


DEFAULT_CLASSIFICATION = {
    Outcome.GRANTED: Classification("XK01", "行政许可·准予许可", Retention.Y30),
    Outcome.DENIED: Classification("XK02", "行政许可·不予许可", Retention.Y10),
    Outcome.REJECTED: Classification("XK03", "行政许可·不予受理", Retention.Y10),
    Outcome.TERMINATED: Classification("XK04", "行政许可·终止办理", Retention.Y10),
}
#: A matter whose industry or name contains one of these is kept permanently by default.
PERMANENT_KEYWORDS = ("安全生产", "危险化学品", "危化品")


@dataclass(frozen=True)
class MatterFacts:
    id: int
    code: str
    name: str
    industry: str


@dataclass(frozen=True)
class Rule:
    """A rule as the calculation sees it; blank fields match anything."""

    id: int
    retention: str
    matter_id: int | None = None
    keyword: str = ""
    outcome: str = ""
    code: str = ""
    name: str = ""

    def matches(self, matter: MatterFacts, outcome: str) -> bool:
        if self.matter_id is not None and self.matter_id != matter.id:
            return False
        if self.keyword and self.keyword not in matter.industry \
                and self.keyword not in matter.name:
            return False
        return not self.outcome or self.outcome == outcome

    @property
    def specificity(self) -> tuple[int, int]:
        scope = 2 if self.matter_id is not None else 1 if self.keyword else 0
        return scope, 1 if self.outcome else 0


def outcome_of(status: str) -> str:
    """The outcome of a case that closed in ``status`` (issued, denied, …)."""
    try:
        return OUTCOME_OF_STATUS[status]
    except KeyError:
        raise ValueError(f"{status} is not a closing status") from None


def classify(matter: MatterFacts, outcome: str, rules: Sequence[Rule] = ()) -> Classification:
    """The class and period of a package: the most specific matching rule, else the default
    for the outcome (permanent for 安全生产/危化品 matters)."""
    default = DEFAULT_CLASSIFICATION[outcome]
    matching = [r for r in rules if r.matches(matter, outcome)]
    if matching:
        best = max(matching, key=lambda r: (r.specificity, -r.id))
        return Classification(best.code or default.code, best.name or default.name,
                              best.retention)
    text = f"{matter.industry} {matter.name}"
    if any(keyword in text for keyword in PERMANENT_KEYWORDS):
        return Classification(default.code, default.name, Retention.PERMANENT)
    return default


def review_date(closed_on: date, retention: str) -> date | None:
    """The day a package may first be reviewed for destruction; None for 永久."""
    if retention == Retention.PERMANENT:
        return None
    return date(closed_on.year + 1 + YEARS[Retention(retention)], 1, 1)


def archive_number(*, code: str, year: int, retention: str, seq: int) -> str:
    """档号: class, year, period code and a per-class-year-period sequence
    (``XK01-2026-D30-0007``)."""
    return f"{code}-{year}-{PERIOD_CODE[Retention(retention)]}-{seq:04d}"
