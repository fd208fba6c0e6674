"""What people are told about ratings, callbacks and alerts. Every message carries a key
(the audit entry of the action, or the ids concerned), so nothing is sent twice.

- a bad rating: the rectification role hears of the new item; an appeal too;
- an assignment and a re-rectification after an unsatisfied callback: the handler;
- an answer, a dismissal (with the appeal deadline), an appeal decision: the applicant side;
- the day's callback sample: each callback staff member, with their number of cases;
- new risk alerts: the alert role, one digest per scan; an assignment: the assignee.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from portal.notifications.services.notify import notify
from portal.notifications.services.transitions import case_context, notify_applicant_side
from portal.ratings.conf import setting

RECTIFICATION_EVENT = "rating_rectification_assigned"
RESULT_EVENT = "rating_rectification_result"
CALLBACK_EVENT = "rating_callback"
ALERT_EVENT = "risk_alert"


def url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def role_users(role: str) -> list:
    User = get_user_model()
    return list(User.objects.filter(is_active=True, groups__name=role).distinct().order_by("pk"))


def _item_context(item, action: str) -> dict:
    rating = item.rating
    appeal = getattr(item, "appeal", None)
    return case_context(item.case) | {
        "action": action, "number": item.number, "step": rating.get_step_display(),
        "level": rating.get_level_display(), "comment": rating.comment,
        "due_date": item.due_date, "assignee": str(item.assignee or ""),
        "measures": item.measures, "reason": item.dismiss_reason,
        "appeal_due": item.appeal_due,
        "decision": appeal.get_decision_display() if appeal and appeal.decision else "",
        "decision_note": appeal.decision_note if appeal else ""}


def _to_users(users: Iterable, event: str, context: dict, key: str, link: str) -> int:
    sent = 0
    for user in users:
        sent += bool(notify(recipient=user, event=event, context=context | {"audience": "staff"},
                            key=f"{key}:u{user.pk}", link=link))
    return sent


def rectification_to_staff(item, action: str, key: str) -> int:
    """A new item or an appeal: everyone in the rectification role but the people rated."""
    rated = set(item.rating.staff_ids or [])
    users = [u for u in role_users(setting("ONESEAL_RATING_RECTIFY_ROLE")) if u.pk not in rated]
    return _to_users(users, RECTIFICATION_EVENT, _item_context(item, action), key,
                     url("ratings-rectification", item.pk))


def rectification_to_assignee(item, action: str, key: str) -> int:
    if item.assignee is None or not item.assignee.is_active:
        return 0
    return _to_users([item.assignee], RECTIFICATION_EVENT, _item_context(item, action), key,
                     url("ratings-rectification", item.pk))


def rectification_to_applicant(item, action: str, key: str) -> int:
    return notify_applicant_side(case=item.case, event=RESULT_EVENT,
                                 context=_item_context(item, action) | {"audience": "applicant"},
                                 key=key)


def callback_tasks_to_staff(sample, assignees: Iterable[int | None]) -> int:
    counts = Counter(a for a in assignees if a is not None)
    User = get_user_model()
    users = User.objects.filter(pk__in=counts, is_active=True).order_by("pk")
    sent = 0
    for user in users:
        context = {"action": "sampled", "day": sample.day, "count": counts[user.pk],
                   "audience": "staff"}
        sent += bool(notify(recipient=user, event=CALLBACK_EVENT, context=context,
                            key=f"callback-sample:{sample.pk}:u{user.pk}",
                            link=url("ratings-callbacks")))
    return sent


def alerts_raised(alerts: list) -> int:
    """One digest per scan to the alert role (the key spans the new alerts' ids)."""
    if not alerts:
        return 0
    levels = Counter(a.level for a in alerts)
    context = {"action": "raised", "count": len(alerts), "high": levels.get("high", 0),
               "medium": levels.get("medium", 0), "low": levels.get("low", 0),
               "first": alerts[0]}
    key = f"risk-alerts:{alerts[0].pk}-{alerts[-1].pk}"
    return _to_users(role_users(setting("ONESEAL_RISK_ALERT_ROLE")), ALERT_EVENT, context, key,
                     url("ratings-alerts"))


def alert_to_assignee(alert, key: str) -> int:
    context = {"action": "assigned", "count": 1, "alert": alert, "number": alert.number,
               "rule": alert.get_rule_display(), "level": alert.get_level_display(),
               "description": alert.description, "note": alert.assign_note}
    if alert.case_id:
        context |= case_context(alert.case)
    return _to_users([alert.assignee], ALERT_EVENT, context, key,
                     url("ratings-alert", alert.pk))
