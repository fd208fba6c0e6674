"""The case state machine (DOMAIN.md, "A case's life").

::

    draft ──submit──▶ submitted ──accept──▶ accepted ──start_review──▶ under_review
                        │  ▲  │                                         │  │  │
         request_supplement │ reject                  request_inspection  │  return_case
                        ▼  │  ▼                                         ▼  │  ▼
          supplement_requested  rejected          needs_inspection      │  returned
                 (resubmit ─┘)                         │ start_inspection │
                                                       ▼                  │ send_to_decision
                                                   inspecting ──conclude_inspection──▶ decision_pending
                                                                                     │ approve │ deny
                                                                                     ▼         ▼
                                                                     approved ──issue──▶ issued   denied
    withdraw: any open state before a decision ──▶ withdrawn
    archive:  issued | denied | rejected | returned | withdrawn ──▶ archived

Transition methods only change fields and check conditions; they send nothing. Services
in ``approvals.services`` lock the row, check permission and separation of duties, run the
transition, and record history, audit and deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待受理")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
    REJECTED = "rejected", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    UNDER_REVIEW = "under_review", _("审查中")
    RETURNED = "returned", _("已退件")
    NEEDS_INSPECTION = "needs_inspection", _("待勘验")
    INSPECTING = "inspecting", _("勘验中")
    DECISION_PENDING = "decision_pending", _("待决定")
    APPROVED = "approved", _("准予许可")
    DENIED = "denied", _("不予许可")
    ISSUED = "issued", _("已出证")
    WITHDRAWN = "withdrawn", _("已撤回")
    ARCHIVED = "archived", _("已归档")


S = CaseStatus

#: States from which the applicant may still withdraw (before a decision).
WITHDRAWABLE = (S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.ACCEPTED, S.UNDER_REVIEW,
                S.NEEDS_INSPECTION, S.INSPECTING, S.DECISION_PENDING)
#: States in which a case has ended and can be archived.
CLOSED = (S.ISSUED, S.DENIED, S.REJECTED, S.RETURNED, S.WITHDRAWN)
FINAL = (S.ARCHIVED,)


class Stage(models.TextChoices):
    """The duty a person performs on a case; the basis of the four-way separation."""

    APPLY = "apply", _("申请")
    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    INSPECT = "inspect", _("勘验")
    DECIDE = "decide", _("决定")
    ISSUE = "issue", _("出证")
    ARCHIVE = "archive", _("归档")


def supplement_not_yet_requested(case) -> bool:
    return not case.supplement_requested_once


supplement_not_yet_requested.hint = _("一次性告知只能发出一次，本件已发过补正通知，请作出受理或不予受理决定。")


def matter_allows_inspection(case) -> bool:
    return bool(case.matter.needs_inspection or case.matter.inspection_modes)


matter_allows_inspection.hint = _("该事项不需要勘验，也未配置勘验方式。")


def inspection_done_or_not_needed(case) -> bool:
    return not case.matter.needs_inspection or case.commitment_signed_at is not None


inspection_done_or_not_needed.hint = _("该事项须经勘验后方可作出决定（告知承诺件除外）。")


@dataclass(frozen=True)
class TransitionSpec:
    """How a transition is exposed: its URL slug, the duty it belongs to, and its label."""

    name: str
    slug: str
    stage: str
    label: str
    #: ends the case against the applicant's wish (shown as a danger action)
    danger: bool = False
    #: the law requires written reasons (行政许可法 第32、38条): a note is mandatory
    needs_reason: bool = False


class CaseWorkflow(ConcurrentTransitionMixin, models.Model):
    """Abstract base for ``Case``: the status field and its transitions."""

    status = FSMField(_("状态"), default=S.DRAFT, choices=S.choices, protected=True,
                      db_index=True)
    supplement_requested_once = models.BooleanField(_("已发一次性告知"), default=False)
    commitment_signed_at = models.DateTimeField(_("告知承诺签署时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @transition(field=status, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=status, source=S.SUPPLEMENT_REQUESTED, target=S.SUBMITTED)
    def resubmit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=status, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self) -> None:
        self.accepted_at = timezone.now()

    @transition(field=status, source=S.SUBMITTED, target=S.SUPPLEMENT_REQUESTED,
                conditions=[supplement_not_yet_requested])
    def request_supplement(self) -> None:
        self.supplement_requested_once = True

    @transition(field=status, source=S.SUBMITTED, target=S.REJECTED)
    def reject(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=S.ACCEPTED, target=S.UNDER_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(field=status, source=S.UNDER_REVIEW, target=S.NEEDS_INSPECTION,
                conditions=[matter_allows_inspection])
    def request_inspection(self) -> None:
        pass

    @transition(field=status, source=S.UNDER_REVIEW, target=S.DECISION_PENDING,
                conditions=[inspection_done_or_not_needed])
    def send_to_decision(self) -> None:
        pass

    @transition(field=status, source=S.UNDER_REVIEW, target=S.RETURNED)
    def return_case(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=S.NEEDS_INSPECTION, target=S.INSPECTING)
    def start_inspection(self) -> None:
        pass

    @transition(field=status, source=S.INSPECTING, target=S.DECISION_PENDING)
    def conclude_inspection(self) -> None:
        pass

    @transition(field=status, source=S.DECISION_PENDING, target=S.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=status, source=S.DECISION_PENDING, target=S.DENIED)
    def deny(self) -> None:
        self.decided_at = timezone.now()
        self.closed_at = self.decided_at

    @transition(field=status, source=S.APPROVED, target=S.ISSUED)
    def issue(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=list(WITHDRAWABLE), target=S.WITHDRAWN)
    def withdraw(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=list(CLOSED), target=S.ARCHIVED)
    def archive(self) -> None:
        pass


TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in (
        TransitionSpec("submit", "submit", Stage.APPLY, pgettext_lazy("action", "提交申请")),
        TransitionSpec("resubmit", "resubmit", Stage.APPLY, pgettext_lazy("action", "补正后重新提交")),
        TransitionSpec("withdraw", "withdraw", Stage.APPLY, pgettext_lazy("action", "撤回申请"), danger=True),
        TransitionSpec("accept", "accept", Stage.ACCEPT, pgettext_lazy("action", "受理")),
        TransitionSpec("request_supplement", "request-supplement", Stage.ACCEPT,
                       pgettext_lazy("action", "一次性告知补正"), needs_reason=True),
        TransitionSpec("reject", "reject", Stage.ACCEPT, pgettext_lazy("action", "不予受理"), danger=True,
                       needs_reason=True),
        TransitionSpec("start_review", "start-review", Stage.REVIEW, pgettext_lazy("action", "开始审查")),
        TransitionSpec("request_inspection", "request-inspection", Stage.REVIEW, pgettext_lazy("action", "提请勘验")),
        TransitionSpec("send_to_decision", "send-to-decision", Stage.REVIEW, pgettext_lazy("action", "提交决定")),
        TransitionSpec("return_case", "return", Stage.REVIEW, pgettext_lazy("action", "退件"), danger=True,
                       needs_reason=True),
        TransitionSpec("start_inspection", "start-inspection", Stage.INSPECT, pgettext_lazy("action", "开始勘验")),
        TransitionSpec("conclude_inspection", "conclude-inspection", Stage.INSPECT, pgettext_lazy("action", "勘验结论")),
        TransitionSpec("approve", "approve", Stage.DECIDE, pgettext_lazy("action", "准予许可")),
        TransitionSpec("deny", "deny", Stage.DECIDE, pgettext_lazy("action", "不予许可"), danger=True,
                       needs_reason=True),
        TransitionSpec("issue", "issue", Stage.ISSUE, pgettext_lazy("action", "出证")),
        TransitionSpec("archive", "archive", Stage.ARCHIVE, pgettext_lazy("action", "归档")),
    )
}
TRANSITIONS_BY_SLUG = {spec.slug: spec for spec in TRANSITIONS.values()}


def transition_meta(case: CaseWorkflow, name: str):
    """The django-fsm Transition for ``name`` from the case's current state, if any."""
    for t in case.get_all_status_transitions():
        if t.name == name and t.source in (case.status, "*"):
            return t
    return None


def refusal_reason(case: CaseWorkflow, name: str) -> str | None:
    """Why ``name`` cannot run now (None if it can): wrong state or an unmet condition."""
    t = transition_meta(case, name)
    if t is None:
        return str(_("案件当前状态为“{status}”，不能执行“{action}”。").format(
            status=case.get_status_display(), action=TRANSITIONS[name].label))
    for cond in t.conditions:
        if not cond(case):
            return str(getattr(cond, "hint", _("不满足办理条件。")))
    return None
