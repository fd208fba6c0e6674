"""What every dashboard number means: its label, its definition (shown on the page as help
text and written down in docs/adr/0019-dashboards.md), the case facts it counts and the
date that places a case in a period. The figures, the drill-down lists and the ledger
exports all read these definitions, so a number and the list behind it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.dashboards.models import STAGES

#: Outcomes that count as 办结 (a decision that ended the case).
COMPLETED_OUTCOMES = ("issued", "denied")
#: An open case due within this many working days (today included) is 临期.
NEAR_DUE_WORKDAYS = 3

STAGE_LABELS = {"acceptance": _("受理"), "review": _("审查"), "inspection": _("勘验"),
                "decision": _("决定"), "issue": _("出证")}


@dataclass(frozen=True)
class Metric:
    """A count of cases: which facts, placed in a period by which date."""

    code: str
    label: str
    help: str
    #: CaseFact date field that places a case in a period (None: as of today)
    anchor: str | None
    where: Q
    #: the CaseFact field shown as the metric's value in the drill-down list, if any
    value_field: str | None = None


def _completed() -> Q:
    return Q(outcome__in=COMPLETED_OUTCOMES)


METRICS: dict[str, Metric] = {m.code: m for m in (
    Metric("applications", _("申请量"), _("期内提交（网上或窗口）的办件数，按首次提交日计。"),
           "submitted_on", Q()),
    Metric("accepted", _("受理量"), _("期内受理的办件数，按受理日计。"), "accepted_on", Q()),
    Metric("completed", _("办结量"),
           _("期内办结的办件数：作出准予许可并出证、或不予许可决定，按办结日计；不含不予受理、退件和撤回。"),
           "closed_on", _completed()),
    Metric("on_time", _("按时办结"), _("办结日不晚于承诺办结日期的办结件。"), "closed_on",
           _completed() & Q(on_time=True)),
    Metric("late", _("超期办结"), _("办结日晚于承诺办结日期的办结件。"), "closed_on",
           _completed() & ~Q(on_time=True)),
    Metric("returned", _("退件量"), _("期内审查退件的办件数，按退件日计。"), "closed_on",
           Q(outcome="returned")),
    Metric("closed", _("办结与退件"), _("期内办结或退件的办件数（退件率的分母）。"), "closed_on",
           Q(outcome__in=(*COMPLETED_OUTCOMES, "returned"))),
    Metric("inspected", _("勘验办结"),
           _("期内勘验任务办结（两名勘验员确认最终结论）的办件数，按勘验办结日计；合并勘验的每个办件各计一次。"),
           "inspected_on", Q()),
    Metric("first_pass", _("一次性通过"), _("第一轮勘验结论即为合格、未经整改的勘验办结件。"),
           "inspected_on", Q(first_pass=True)),
    Metric("rectified", _("经整改"), _("勘验中至少确认过一次“限期整改”结论的勘验办结件。"),
           "inspected_on", Q(rectified=True)),
    Metric("overdue", _("逾期在办"),
           _("当前在办、计时未暂停、且已超过承诺办结日期（未受理的按受理时限）的办件，不受统计期间限制。"),
           None, Q(outcome="", paused=False, due_date__isnull=False)),
    Metric("near_due", _("临期在办"),
           _("当前在办、计时未暂停、距承诺办结日期不超过 3 个工作日（含当日）的办件。"),
           None, Q(outcome="", paused=False, due_date__isnull=False)),
    *(Metric(f"stage_{s}", _("%(stage)s环节") % {"stage": STAGE_LABELS[s]},
             _("期内办结件中经过该环节的办件，列出该环节用时（工作日）。"), "closed_on",
             _completed() & Q(**{f"wd_{s}__isnull": False}), f"wd_{s}") for s in STAGES),
)}


@dataclass(frozen=True)
class Rate:
    code: str
    label: str
    help: str
    numerator: str
    denominator: str


RATES: dict[str, Rate] = {r.code: r for r in (
    Rate("on_time_rate", _("按时办结率"), _("按时办结件 ÷ 办结件（期内办结）。"),
         "on_time", "completed"),
    Rate("return_rate", _("退件率"), _("退件 ÷（办结件 + 退件），均按期内办结/退件日计。"),
         "returned", "closed"),
    Rate("rectification_rate", _("整改率"), _("经整改的勘验办结件 ÷ 勘验办结件。"),
         "rectified", "inspected"),
    Rate("first_pass_rate", _("勘验一次性通过率"), _("一次性通过的勘验办结件 ÷ 勘验办结件。"),
         "first_pass", "inspected"),
)}

STAGE_HELP = _("期内办结件在该环节的平均用时：环节开始日至结束日之间的工作日数（按工作日历，"
               "不含开始当日）减去计时暂停的工作日数。")
WORKLOAD_HELP = _("期内各经办人完成的职责次数（受理、审查、勘验、决定、出证、归档，按办件与职责各计一次），"
                  "按办件所属事项筛选，不按区划筛选。")

DIMENSIONS = {"section": _("科室"), "matter": _("事项"), "industry": _("行业"),
              "district": _("区划")}


def ratio(numerator: int, denominator: int) -> float | None:
    """A rate in percent with one decimal, None without a denominator."""
    return round(numerator * 100.0 / denominator, 1) if denominator else None
