"""Tell the applicant side (the applicant's account, agents with an active authorisation,
or, for a walk-in without an account, the applicant's phone) what happened to a case."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from approvals.models import AgentAuthorization, Case, CaseStatusChange, SupplementItem
from portal.accounts.models import User
from portal.notifications.events import TRANSITION_EVENTS
from portal.notifications.services.notify import notify, notify_phone


def case_link(case_id: int) -> str:
    try:
        return reverse("case-detail", args=[case_id])
    except NoReverseMatch:
        return ""


def case_context(case: Case) -> dict:
    return {"case": case, "case_number": case.number or f"#{case.pk}",
            "matter": case.matter.name, "applicant": case.applicant.name,
            "title": case.title, "promised_date": case.promised_date}


def applicant_side_users(case: Case) -> list[User]:
    """The applicant's own account and agents authorised today (active accounts only)."""
    users = []
    if case.applicant.user_id and case.applicant.user.is_active:
        users.append(case.applicant.user)
    today = timezone.localdate()
    agents = (AgentAuthorization.objects
              .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today),
                      applicant_id=case.applicant_id, revoked_at__isnull=True,
                      agent__is_active=True)
              .select_related("agent"))
    users += [a.agent for a in agents if a.agent_id not in {u.pk for u in users}]
    return users


def notify_applicant_side(*, case: Case, event: str, context: dict, key: str) -> int:
    """Notify everyone on the applicant side once per ``key``; the number notified."""
    link, count = case_link(case.pk), 0
    for user in applicant_side_users(case):
        phone = case.applicant.phone if user.pk == case.applicant.user_id else ""
        if notify(recipient=user, event=event, context=context, link=link,
                  key=f"{key}:u{user.pk}", phone=user.phone or phone):
            count += 1
    if case.applicant.user_id is None and notify_phone(
            phone=case.applicant.phone, event=event, context=context, link=link,
            key=f"{key}:walkin:sms"):
        count += 1
    return count


def case_transition_notify(*, case_id: int, transition: str) -> int:
    """Notify the applicant side of ``transition`` on the case (idempotent per change)."""
    event = TRANSITION_EVENTS.get(transition)
    if event is None:
        return 0
    case = Case.objects.select_related("matter", "applicant", "applicant__user") \
        .filter(pk=case_id).first()
    change = CaseStatusChange.objects.filter(case_id=case_id, transition=transition) \
        .order_by("-id").first()
    if case is None or change is None:
        return 0
    context = case_context(case) | {"note": change.note, "at": change.at,
                                    "items": _supplement_items(case, transition)}
    with transaction.atomic():
        return notify_applicant_side(case=case, event=event, context=context,
                                     key=f"case:{case.pk}:{transition}:{change.pk}")


def _supplement_items(case: Case, transition: str) -> list[SupplementItem]:
    if transition != "request_supplement":
        return []
    return list(SupplementItem.objects.filter(request__case=case).order_by("id"))
