"""Drill-down: the cases behind a number, in keyset pages (newest first by the metric's
date; overdue and near-due cases by due date, most urgent first), with the same filters
and definitions as the figure. ``Drill.count`` is the figure itself.

Staff workload drills into the duties (``CaseParticipant``) a person performed in the
period, by duty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseParticipant
from approvals.workflow import Stage
from portal.accounts.masking import mask_identity
from portal.core.errors import ApplicationError
from portal.dashboards import selectors
from portal.dashboards.definitions import METRICS, STAGE_LABELS
from portal.dashboards.models import CaseFact
from portal.dashboards.scope import Filters

PAGE_SIZE = 50
WORKLOAD = "workload"
DUTY_STAGES = tuple(s for s in Stage.values if s != Stage.APPLY)


@dataclass(frozen=True)
class Row:
    case: Case
    fact: CaseFact | None
    #: the metric's own value for this case (working days of a stage), if it has one
    value: int | None = None


@dataclass(frozen=True)
class Drill:
    """A checked drill-down request."""

    filters: Filters
    metric: str
    user_id: int | None = None
    stage: str | None = None

    @property
    def label(self) -> str:
        if self.metric == WORKLOAD:
            return _("经办量（{stage}）").format(stage=dict(Stage.choices)[self.stage])
        return str(METRICS[self.metric].label)

    @property
    def value_label(self) -> str:
        field = METRICS[self.metric].value_field if self.metric in METRICS else None
        if field:
            return _("{stage}用时（工作日）").format(stage=STAGE_LABELS[field[3:]])
        return ""

    def query(self) -> dict[str, str]:
        return self.filters.query(metric=self.metric, user=self.user_id, stage=self.stage)


def drill_from(params, filters: Filters) -> Drill:
    metric = params.get("metric") or ""
    if metric == WORKLOAD:
        stage = params.get("stage") or ""
        try:
            user_id = int(params.get("user") or "")
        except ValueError:
            raise ApplicationError(_("请指定经办人。"), "invalid_filter") from None
        if stage not in DUTY_STAGES:
            raise ApplicationError(_("请指定职责环节。"), "invalid_filter")
        return Drill(filters, metric, user_id=user_id, stage=stage)
    if metric not in METRICS:
        raise ApplicationError(_("未知的统计指标：{m}").format(m=metric or "—"),
                               "invalid_filter")
    return Drill(filters, metric)


# ---------------------------------------------------------------- counts

def drill_count(drill: Drill) -> int:
    """The number the list stands behind (from the tallies: no scan of the cases)."""
    if drill.metric == WORKLOAD:
        return selectors.duties(drill.filters).filter(
            user_id=drill.user_id, stage=drill.stage).aggregate(n=Sum("n"))["n"] or 0
    if drill.metric in ("overdue", "near_due"):
        return _facts(drill).count()
    return selectors.summary_counts(drill.filters)[drill.metric]


# ---------------------------------------------------------------- the lists

def _facts(drill: Drill) -> QuerySet:
    metric = METRICS[drill.metric]
    if metric.anchor is None:
        qs = CaseFact.objects.filter(selectors.deadline_q(drill.metric))
    else:
        p = drill.filters.period
        qs = CaseFact.objects.filter(metric.where, **{f"{metric.anchor}__gte": p.start,
                                                      f"{metric.anchor}__lte": p.end})
    return selectors._scoped(qs, drill.filters)


def _order(drill: Drill) -> tuple[str, bool]:
    """The ordering column and whether it descends."""
    if drill.metric == WORKLOAD:
        return "created_at", True
    anchor = METRICS[drill.metric].anchor
    return (anchor, True) if anchor else ("due_date", False)


def _aware(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


def _duties(drill: Drill) -> QuerySet:
    p = drill.filters.period
    qs = CaseParticipant.objects.filter(user_id=drill.user_id, stage=drill.stage,
                                        created_at__gte=_aware(p.start),
                                        created_at__lt=_aware(p.end, end=True))
    if drill.filters.matter_ids is not None:
        qs = qs.filter(case__matter_id__in=drill.filters.matter_ids)
    return qs


def encode_cursor(key, pk: int) -> str:
    return f"{key.isoformat()}_{pk}"


def _decode_cursor(cursor: str, column: str):
    try:
        raw, pk = cursor.rsplit("_", 1)
        key = datetime.fromisoformat(raw) if column == "created_at" else date.fromisoformat(raw)
        return key, int(pk)
    except ValueError:
        raise ApplicationError(_("翻页参数无效，请从第一页重新查看。"), "invalid_cursor") from None


def _keyset(qs: QuerySet, column: str, desc: bool, pk: str, cursor: str | None) -> QuerySet:
    if cursor:
        key, last = _decode_cursor(cursor, column)
        op = "lt" if desc else "gt"
        # the plain bound lets the index range start at the cursor; the OR picks the rows
        qs = qs.filter(**{f"{column}__{op}e": key}).filter(
            Q(**{f"{column}__{op}": key}) | Q(**{column: key, f"{pk}__{op}": last}))
    sign = "-" if desc else ""
    return qs.order_by(f"{sign}{column}", f"{sign}{pk}")


def _cases(ids: list[int]) -> dict[int, Case]:
    return (Case.objects.select_related("matter__section", "applicant", "district")
            .order_by().in_bulk(ids))


def drill_page(drill: Drill, cursor: str | None = None,
               size: int = PAGE_SIZE) -> tuple[list[Row], str | None]:
    """One page of rows and the cursor of the next page (None on the last)."""
    column, desc = _order(drill)
    if drill.metric == WORKLOAD:
        keys = list(_keyset(_duties(drill), column, desc, "id", cursor)
                    .values_list(column, "id", "case_id")[:size + 1])
        facts = CaseFact.objects.in_bulk([k[2] for k in keys[:size]])
        cases = _cases([k[2] for k in keys[:size]])
        rows = [Row(cases[k[2]], facts.get(k[2])) for k in keys[:size]]
    else:
        facts = list(_keyset(_facts(drill), column, desc, "case_id", cursor)[:size + 1])
        keys = [(getattr(f, column), f.case_id) for f in facts]
        cases = _cases([f.case_id for f in facts[:size]])
        field = METRICS[drill.metric].value_field
        rows = [Row(cases[f.case_id], f, getattr(f, field) if field else None)
                for f in facts[:size]]
    more = len(keys) > size
    return rows, (encode_cursor(*keys[size - 1][:2]) if more else None)


def drill_all(drill: Drill, chunk: int = 2000) -> Iterator[Row]:
    """Every row, in pages of ``chunk`` (for the ledger export)."""
    cursor = None
    while True:
        rows, cursor = drill_page(drill, cursor, size=chunk)
        yield from rows
        if cursor is None:
            return


def masked_id(case: Case) -> str:
    return mask_identity(case.applicant.kind, case.applicant.id_number)
