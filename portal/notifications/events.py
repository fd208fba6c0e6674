"""The events a user can be notified of, who they are for, and the default channels.

In-app delivery is always on. E-mail is on by default. SMS is on by default for the
applicant side (applicants and their agents) on key events only; bureau staff opt in.
Each event has a Chinese message template, ``notifications/messages/<code>.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
STAFF = "staff"


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    audience: frozenset[str]
    #: a key event: SMS on by default for the applicant side
    sms_key: bool = False

    @property
    def template(self) -> str:
        return f"notifications/messages/{self.code}.txt"


def _event(code: str, label, audience: tuple[str, ...], sms_key: bool = False) -> Event:
    return Event(code, label, frozenset(audience), sms_key)


BOTH = (APPLICANT, STAFF)
EVENTS: dict[str, Event] = {e.code: e for e in (
    _event("case_accepted", _("受理通知"), (APPLICANT,), sms_key=True),
    _event("case_supplement_requested", _("一次性告知补正"), (APPLICANT,), sms_key=True),
    _event("case_rejected", _("不予受理"), (APPLICANT,), sms_key=True),
    _event("case_returned", _("退件"), (APPLICANT,), sms_key=True),
    _event("appointment_reminder", _("预约提醒"), BOTH, sms_key=True),
    _event("appointment_changed", _("预约确认、改约与取消"), BOTH, sms_key=True),
    _event("inspection_concluded", _("勘验结论"), (APPLICANT,)),
    _event("rectification_required", _("整改通知"), (APPLICANT,), sms_key=True),
    _event("case_approved", _("办结：准予许可"), (APPLICANT,), sms_key=True),
    _event("case_denied", _("办结：不予许可"), (APPLICANT,), sms_key=True),
    _event("case_issued", _("办结：已出证"), (APPLICANT,), sms_key=True),
    _event("deadline_warning", _("超期预警"), BOTH, sms_key=True),
    _event("deadline_overdue", _("超期"), BOTH, sms_key=True),
    _event("deadline_escalated", _("升级督办"), (STAFF,)),
    # Experts (专家库) are outside the bureau: they hear as the applicant side does.
    _event("expert_invited", _("专家评审邀请"), (APPLICANT,), sms_key=True),
    _event("expert_meeting_cancelled", _("专家评审取消"), (APPLICANT,), sms_key=True),
    _event("expert_redraw", _("专家谢绝、超时与补抽"), (STAFF,)),
    # 好差评 and 内控 (portal.ratings)
    _event("rating_rectification_assigned", _("差评整改待办"), (STAFF,)),
    _event("rating_rectification_result", _("差评整改结果与申诉"), (APPLICANT,), sms_key=True),
    _event("rating_callback", _("回访抽样任务"), (STAFF,)),
    _event("risk_alert", _("风险预警"), (STAFF,)),
    # 审管互动: regulator departments are outside the bureau (the applicant-side audience).
    _event("regulator_result", _("审管互动：审批结果待认领"), (APPLICANT,)),
    _event("regulator_request_answered", _("审管互动：监管请求处理结果"), (APPLICANT,)),
    _event("regulator_request_received", _("审管互动：收到监管请求"), (STAFF,)),
)}

#: Case transitions the applicant side is told about, and the event each one raises.
TRANSITION_EVENTS: dict[str, str] = {
    "accept": "case_accepted",
    "request_supplement": "case_supplement_requested",
    "reject": "case_rejected",
    "return_case": "case_returned",
    "conclude_inspection": "inspection_concluded",
    "approve": "case_approved",
    "deny": "case_denied",
    "issue": "case_issued",
}


def audience_of(user) -> str:
    return STAFF if getattr(user, "is_bureau_staff", False) else APPLICANT


def events_for(user) -> list[Event]:
    """The events shown on ``user``'s preference page."""
    audience = audience_of(user)
    return [e for e in EVENTS.values() if audience in e.audience]


def default_channels(user, event: Event) -> tuple[bool, bool]:
    """(e-mail, SMS) when the user has not chosen."""
    return True, event.sms_key and audience_of(user) == APPLICANT
