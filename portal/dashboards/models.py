"""Dashboard facts: one row per submitted case (``CaseFact``) and compact tallies derived
from it per day and per month (``DailyTally``/``MonthlyTally``, staff duties in
``DailyDuty``/``MonthlyDuty``), plus the working-day ordinal table the set-based rebuild
uses to count working days (docs/adr/0019-dashboards.md).

Foreign keys carry no database constraint (``db_constraint=False``): the rows are derived
from rows that exist, and checking a million deferred constraints made the rebuild's
commit take longer than the rebuild's biggest step.

Everything here is derived data: ``dashboards_rebuild`` recreates it from the approvals and
inspections tables, and ``portal.dashboards.facts`` keeps it current case by case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Counters kept per (day or month, matter, district); see ``definitions.FIGURES``.
COUNTERS = ("applications", "accepted", "completed", "on_time", "returned", "inspected",
            "first_pass", "rectified")
#: Stage clocks whose working days are averaged (``CaseStage.Name`` values).
STAGES = ("acceptance", "review", "inspection", "decision", "issue")
STAGE_SUMS = tuple(f"wd_{s}_sum" for s in STAGES)
STAGE_COUNTS = tuple(f"wd_{s}_n" for s in STAGES)
TALLY_FIELDS = COUNTERS + STAGE_SUMS + STAGE_COUNTS


class Workday(models.Model):
    """Working days counted from an epoch: working days in (a, b] = ordinal(b) - ordinal(a)."""

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    class Meta:
        verbose_name = _("工作日序号")
        verbose_name_plural = _("工作日序号")

    def __str__(self) -> str:
        return f"{self.day} #{self.ordinal}"


class CaseFact(models.Model):
    """What the dashboards need to know about one submitted case."""

    case = models.OneToOneField("approvals.Case", primary_key=True, on_delete=models.CASCADE,
                                db_constraint=False, related_name="dashboard_fact")
    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, db_index=False,
                               db_constraint=False,
                               related_name="+")
    district = models.ForeignKey("accounts.District", null=True, blank=True, db_index=False,
                                 db_constraint=False, on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(max_length=24)
    #: how the case ended ('' while open): issued, denied, rejected, returned, withdrawn
    outcome = models.CharField(max_length=12, blank=True)
    submitted_on = models.DateField(null=True)
    accepted_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    promised_date = models.DateField(null=True)
    #: the deadline of an open case: the promise once accepted, else the acceptance clock
    due_date = models.DateField(null=True)
    #: an open case whose clock is stopped (补正, 整改 …): neither overdue nor near due
    paused = models.BooleanField(default=False)
    on_time = models.BooleanField(null=True)
    inspected_on = models.DateField(null=True)
    first_pass = models.BooleanField(default=False)
    rectified = models.BooleanField(default=False)
    wd_acceptance = models.SmallIntegerField(null=True)
    wd_review = models.SmallIntegerField(null=True)
    wd_inspection = models.SmallIntegerField(null=True)
    wd_decision = models.SmallIntegerField(null=True)
    wd_issue = models.SmallIntegerField(null=True)
    #: the highest CaseParticipant id already counted in the duty tallies
    duty_mark = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("办件统计事实")
        verbose_name_plural = _("办件统计事实")
        indexes = [
            models.Index(fields=["submitted_on", "case"], name="dash_fact_submitted"),
            models.Index(fields=["accepted_on", "case"], name="dash_fact_accepted"),
            models.Index(fields=["closed_on", "case"], name="dash_fact_closed"),
            models.Index(fields=["inspected_on", "case"], name="dash_fact_inspected"),
            models.Index(fields=["due_date", "matter", "district", "case"],
                         name="dash_fact_open_due",
                         condition=Q(outcome="", paused=False, due_date__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class TallyBase(models.Model):
    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, db_index=False,
                               db_constraint=False,
                               related_name="+")
    #: the case's district id, 0 when the case has none
    district_id = models.IntegerField(default=0)
    applications = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    inspected = models.IntegerField(default=0)
    first_pass = models.IntegerField(default=0)
    rectified = models.IntegerField(default=0)
    wd_acceptance_sum = models.IntegerField(default=0)
    wd_acceptance_n = models.IntegerField(default=0)
    wd_review_sum = models.IntegerField(default=0)
    wd_review_n = models.IntegerField(default=0)
    wd_inspection_sum = models.IntegerField(default=0)
    wd_inspection_n = models.IntegerField(default=0)
    wd_decision_sum = models.IntegerField(default=0)
    wd_decision_n = models.IntegerField(default=0)
    wd_issue_sum = models.IntegerField(default=0)
    wd_issue_n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.matter_id}/{self.district_id}"


class DailyTally(TallyBase):
    day = models.DateField()

    class Meta:
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        constraints = [models.UniqueConstraint(fields=["day", "matter", "district_id"],
                                               name="dash_daily_key")]


class MonthlyTally(TallyBase):
    #: the first day of the month
    month = models.DateField()

    class Meta:
        verbose_name = _("月统计")
        verbose_name_plural = _("月统计")
        constraints = [models.UniqueConstraint(fields=["month", "matter", "district_id"],
                                               name="dash_monthly_key")]


class DutyBase(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             db_index=False, db_constraint=False, related_name="+")
    stage = models.CharField(max_length=10)
    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, db_index=False,
                               db_constraint=False,
                               related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user_id} {self.stage} {self.matter_id}: {self.n}"


class DailyDuty(DutyBase):
    day = models.DateField()

    class Meta:
        verbose_name = _("日经办量")
        verbose_name_plural = _("日经办量")
        constraints = [models.UniqueConstraint(fields=["day", "user", "stage", "matter"],
                                               name="dash_daily_duty_key")]


class MonthlyDuty(DutyBase):
    month = models.DateField()

    class Meta:
        verbose_name = _("月经办量")
        verbose_name_plural = _("月经办量")
        constraints = [models.UniqueConstraint(fields=["month", "user", "stage", "matter"],
                                               name="dash_monthly_duty_key")]
