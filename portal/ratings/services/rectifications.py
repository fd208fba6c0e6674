"""Rectification items (差评整改) and appeals (申诉复核).

A bad rating opens an item due in ``ONESEAL_RATING_RECTIFY_DAYS`` working days. It goes to
the rectification role (督查), not to the person rated: whoever ran the rated step or holds
its duty (``Rating.staff_ids``) never assigns, handles, calls back, dismisses or reviews the
complaint about themselves. A supervisor assigns a handler, the handler answers (措施/说明),
someone other than the handler calls the applicant back: satisfied (or a refusal to talk,
or N unanswered attempts) closes the item, unsatisfied sends it back to the handler with a
new due date. A supervisor may instead dismiss it (不予整改/投诉不成立) with a reason; the
applicant side may appeal once within ``ONESEAL_RATING_APPEAL_DAYS`` working days, and a
reviewer other than the one who dismissed upholds the dismissal or reopens the item.

Each action locks the item, checks, moves it (``portal.ratings.flow``), is audited, and
tells whom it concerns (``portal.ratings.notices``; keyed by the audit entry).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number
from portal.ratings import flow, notices
from portal.ratings.conf import setting
from portal.ratings.models import (
    Appeal,
    AppealDecision,
    CallChannel,
    CallOutcome,
    CallRecord,
    Rating,
    Rectification,
)
from portal.ratings.models import RectificationStatus as R
from portal.ratings.permissions import is_applicant_side, is_callback_staff, is_rectify_staff

MAX_TEXT = 2000


def _number(today) -> str:
    return f"ZG-{today.year}-{next_number(f'ratings:rectification:{today.year}'):06d}"


def answer_due(today=None):
    today = today or timezone.localdate()
    return get_calendar().add(today, int(setting("ONESEAL_RATING_RECTIFY_DAYS")))


def _text(value: str, message: str, code: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(message, code)
    if len(value) > MAX_TEXT:
        raise ApplicationError(_("内容不能超过 {n} 字。").format(n=MAX_TEXT), "too_long")
    return value


def _locked(item: Rectification) -> Rectification:
    return (Rectification.objects.select_for_update(of=("self",))
            .select_related("rating", "case__matter", "case__applicant__user", "assignee")
            .get(pk=item.pk))


def _require_rectify(by: User) -> None:
    if not is_rectify_staff(by):
        raise PermissionRefused(_("只有督查人员可以办理此项操作。"), "permission_denied")


def _not_involved(item: Rectification, user: User, message: str = "") -> None:
    if user.pk in (item.rating.staff_ids or []):
        raise PermissionRefused(message or _("您是被评价环节的经办人，须回避，不能办理针对本人的差评整改。"),
                                "conflict_of_interest")


def _state(item: Rectification) -> dict:
    return {"status": item.status, "assignee": item.assignee_id,
            "due_date": item.due_date.isoformat()}


def _audit(action: str, by, item: Rectification, before: dict, **after):
    return audit_log(action=f"ratings.rectification_{action}", actor=by, obj=item,
                     before=before, after=_state(item) | after)


def rectification_open(*, rating: Rating) -> Rectification:
    """Open the item for a bad rating (inside the rating's transaction)."""
    today = timezone.localdate()
    item = Rectification.objects.create(number=_number(today), rating=rating,
                                        case=rating.case, due_date=answer_due(today))
    entry = _audit("open", None, item, {}, rating=rating.pk, level=rating.level)
    notices.rectification_to_staff(item, "opened", f"audit:{entry.pk}")
    return item


def rectification_assign(*, item: Rectification, assignee: User | None, by: User,
                         note: str = "") -> Rectification:
    _require_rectify(by)
    note = _text(note, "", "", required=False)[:300]
    with transaction.atomic():
        item = _locked(item)
        _not_involved(item, by)
        if assignee is None or not assignee.is_active or not assignee.is_bureau_staff:
            raise ApplicationError(_("承办人须为在岗的审批局工作人员。"), "invalid_assignee")
        _not_involved(item, assignee, _("被评价环节的经办人不能承办针对本人的差评整改，请改派他人。"))
        if item.status == R.ASSIGNED and item.assignee_id == assignee.pk:
            raise ConflictError(_("该整改事项已由{name}承办。").format(name=assignee), "unchanged")
        before = _state(item)
        flow.move(item, "assign")
        item.assignee, item.assigned_by, item.assigned_at = assignee, by, timezone.now()
        item.assign_note = note
        item.save()
        entry = _audit("assign", by, item, before, note=note)
        notices.rectification_to_assignee(item, "assigned", f"audit:{entry.pk}")
    return item


def rectification_answer(*, item: Rectification, measures: str, by: User) -> Rectification:
    measures = _text(measures, _("请填写整改措施或情况说明。"), "measures_required")
    with transaction.atomic():
        item = _locked(item)
        if item.assignee_id != by.pk:
            raise PermissionRefused(_("只有本事项的承办人可以答复整改情况。"), "permission_denied")
        before = _state(item)
        flow.move(item, "answer")
        item.measures, item.answered_by, item.answered_at = measures, by, timezone.now()
        item.save()
        entry = _audit("answer", by, item, before, measures=measures)
        notices.rectification_to_applicant(item, "answered", f"audit:{entry.pk}")
    return item


def _call_values(channel: str, outcome: str, response: str,
                 called_at: datetime | None) -> tuple[str, datetime]:
    if channel not in CallChannel.values:
        raise ApplicationError(_("请选择回访方式：电话、短信或上门。"), "invalid_channel")
    if outcome not in CallOutcome.values:
        raise ApplicationError(_("请选择回访结果。"), "invalid_outcome")
    response = _text(response, _("请记录申请人的反馈意见。"), "response_required",
                     required=outcome in (CallOutcome.SATISFIED, CallOutcome.UNSATISFIED))
    now = timezone.now()
    called_at = called_at or now
    if called_at > now:
        raise ApplicationError(_("回访时间不能晚于当前时间。"), "future_call")
    return response, called_at


def unreachable_attempts(item: Rectification) -> int:
    return item.calls.filter(outcome=CallOutcome.UNREACHABLE,
                             called_at__gte=item.answered_at).count()


def rectification_callback(*, item: Rectification, channel: str, outcome: str, by: User,
                           response: str = "", called_at: datetime | None = None) -> CallRecord:
    """回访 after the answer, by someone other than the handler and the people rated."""
    if not (is_rectify_staff(by) or is_callback_staff(by)):
        raise PermissionRefused(_("只有督查或回访人员可以登记回访。"), "permission_denied")
    response, called_at = _call_values(channel, outcome, response, called_at)
    with transaction.atomic():
        item = _locked(item)
        if item.status != R.ANSWERED:
            raise ConflictError(_("整改事项当前状态为“{status}”，承办人答复后方可回访。").format(
                status=item.get_status_display()), "invalid_state")
        if by.pk == item.assignee_id:
            raise PermissionRefused(_("回访须由承办人以外的人员进行。"), "same_person")
        _not_involved(item, by)
        if called_at < item.answered_at:
            raise ApplicationError(_("回访时间不能早于整改答复时间。"), "call_before_answer")
        record = CallRecord.objects.create(rectification=item, channel=channel, outcome=outcome,
                                           response=response, called_at=called_at, called_by=by)
        before = _state(item)
        reopened = _after_call(item, outcome)
        item.save()
        entry = _audit("callback", by, item, before, call=record.pk, outcome=outcome,
                       channel=channel)
        if reopened:
            notices.rectification_to_assignee(item, "reopened", f"audit:{entry.pk}")
    return record


def _after_call(item: Rectification, outcome: str) -> bool:
    """Move the item for the call's outcome; True if it went back to the handler."""
    if outcome == CallOutcome.UNSATISFIED:
        flow.move(item, "reopen")
        item.reopened += 1
        item.due_date = answer_due()
        return True
    if outcome == CallOutcome.UNREACHABLE:
        if unreachable_attempts(item) < int(setting("ONESEAL_CALLBACK_MAX_ATTEMPTS")):
            return False
        item.close_note = _("多次回访未能联系上申请人")
    else:
        item.close_note = str(CallOutcome(outcome).label)
    flow.move(item, "close")
    item.closed_at = timezone.now()
    return False


def rectification_dismiss(*, item: Rectification, reason: str, by: User) -> Rectification:
    """不予整改/投诉不成立: the applicant side may appeal once by ``appeal_due``."""
    _require_rectify(by)
    reason = _text(reason, _("不予整改须说明理由。"), "reason_required")
    with transaction.atomic():
        item = _locked(item)
        _not_involved(item, by)
        before = _state(item)
        flow.move(item, "dismiss")
        item.dismiss_reason, item.dismissed_by, item.dismissed_at = reason, by, timezone.now()
        item.appeal_due = (None if Appeal.objects.filter(rectification=item).exists() else
                           get_calendar().add(timezone.localdate(),
                                              int(setting("ONESEAL_RATING_APPEAL_DAYS"))))
        item.save()
        entry = _audit("dismiss", by, item, before, reason=reason)
        notices.rectification_to_applicant(item, "dismissed", f"audit:{entry.pk}")
    return item


def rectification_appeal(*, item: Rectification, reason: str, by: User) -> Appeal:
    """申诉复核: once per item, by the applicant side, before ``appeal_due``."""
    reason = _text(reason, _("请填写申诉理由。"), "reason_required")
    already = ConflictError(_("每个整改事项只能申诉一次，本事项已申诉。"), "already_appealed")
    with transaction.atomic():
        item = _locked(item)
        if not is_applicant_side(by, item.case):
            raise ApplicationError(_("整改事项不存在。"), "not_found", status=404)
        if Appeal.objects.filter(rectification=item).exists():
            raise already
        if item.status == R.DISMISSED and item.appeal_due and \
                timezone.localdate() > item.appeal_due:
            raise ConflictError(_("申诉期限已于 {date} 届满。").format(
                date=item.appeal_due.strftime("%Y-%m-%d")), "appeal_overdue")
        before = _state(item)
        flow.move(item, "appeal")
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(rectification=item, reason=reason, filed_by=by)
        except IntegrityError:
            raise already from None
        item.save()
        entry = _audit("appeal", by, item, before, reason=reason)
        notices.rectification_to_staff(item, "appealed", f"audit:{entry.pk}")
    return appeal


def appeal_decide(*, item: Rectification, decision: str, note: str, by: User) -> Appeal:
    """The reviewer (not the one who dismissed) upholds the dismissal or reopens the item."""
    _require_rectify(by)
    if decision not in AppealDecision.values:
        raise ApplicationError(_("请选择复核结论：维持或撤销。"), "invalid_decision")
    note = _text(note, _("请填写复核意见。"), "note_required")
    with transaction.atomic():
        item = _locked(item)
        appeal = Appeal.objects.select_for_update().filter(rectification=item).first()
        if appeal is None or item.status != R.APPEALED:
            raise ConflictError(_("该整改事项没有待复核的申诉。"), "no_appeal")
        if by.pk == item.dismissed_by_id:
            raise PermissionRefused(_("复核须由作出不予整改决定以外的人员办理。"), "same_person")
        _not_involved(item, by)
        before = _state(item)
        now = timezone.now()
        if decision == AppealDecision.UPHELD:
            flow.move(item, "uphold")
            item.closed_at = now
        else:
            flow.move(item, "overturn")
            item.assignee, item.due_date = None, answer_due()
        appeal.decision, appeal.decision_note = decision, note
        appeal.decided_by, appeal.decided_at = by, now
        appeal.save()
        item.save()
        entry = _audit("appeal_decide", by, item, before, decision=decision, note=note)
        notices.rectification_to_applicant(item, decision, f"audit:{entry.pk}")
        if decision == AppealDecision.OVERTURNED:
            notices.rectification_to_staff(item, "overturned", f"audit:{entry.pk}:staff")
    return appeal
