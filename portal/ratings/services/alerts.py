"""Risk alerts (内控预警): the daily scan runs every rule of ``portal.ratings.risk`` and
raises an alert for each new finding; a supervisor assigns it to a staff member (never to
someone the finding is about) and it is closed with a note. Every change is audited.

Idempotent: an alert per (rule, subject) is raised once while open (a partial unique
constraint, so concurrent scans cannot both raise it), and after it is closed only a newer
fact (``evidence_at``) raises it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number
from portal.ratings import notices
from portal.ratings.models import AlertStatus, RiskAlert
from portal.ratings.permissions import is_alert_staff
from portal.ratings.risk import RULES, Finding

MAX_NOTE = 2000


@dataclass
class ScanResult:
    raised: list[RiskAlert] = field(default_factory=list)
    #: findings already alerted (open, or closed with no newer fact)
    known: int = 0


def _known_subjects(rule: str, findings: list[Finding]) -> dict[str, tuple[bool, object]]:
    """subject -> (an alert is open, newest evidence of the closed ones)."""
    subjects = [f.subject for f in findings]
    rows = (RiskAlert.objects.filter(rule=rule, subject__in=subjects).values("subject")
            .annotate(newest=Max("evidence_at", filter=Q(status=AlertStatus.CLOSED)),
                      open=Max("pk", filter=~Q(status=AlertStatus.CLOSED))))
    return {r["subject"]: (r["open"] is not None, r["newest"]) for r in rows}


def _is_known(finding: Finding, known: dict) -> bool:
    is_open, newest = known.get(finding.subject, (False, None))
    return is_open or (newest is not None and newest >= finding.evidence_at)


def _raise(finding: Finding) -> RiskAlert | None:
    today = timezone.localdate()
    try:
        with transaction.atomic():
            alert = RiskAlert.objects.create(
                number=f"FX-{today.year}-{next_number(f'ratings:alert:{today.year}'):06d}",
                rule=finding.rule, level=finding.level, subject=finding.subject,
                case_id=finding.case_id, description=finding.description,
                details=finding.details, involved_ids=list(finding.involved_ids),
                evidence_at=finding.evidence_at)
            audit_log(action="ratings.alert_raise", actor=None, obj=alert,
                      after={"rule": alert.rule, "level": alert.level, "subject": alert.subject})
    except IntegrityError:  # raised by a concurrent scan
        return None
    return alert


def risk_scan(*, today: date | None = None, rules=RULES) -> ScanResult:
    """Run the rules; raise an alert for each finding not alerted yet (idempotent)."""
    today = today or timezone.localdate()
    result = ScanResult()
    for rule in rules:
        findings = rule.find(today=today)
        known = _known_subjects(rule.code, findings) if findings else {}
        for finding in findings:
            alert = None if _is_known(finding, known) else _raise(finding)
            if alert is None:
                result.known += 1
            else:
                result.raised.append(alert)
    if result.raised:
        with transaction.atomic():
            notices.alerts_raised(result.raised)
    return result


def _locked(alert: RiskAlert) -> RiskAlert:
    return (RiskAlert.objects.select_for_update(of=("self",))
            .select_related("case__matter", "case__applicant", "assignee").get(pk=alert.pk))


def _note(note: str, message: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ApplicationError(message, "note_required")
    if len(note) > MAX_NOTE:
        raise ApplicationError(_("内容不能超过 {n} 字。").format(n=MAX_NOTE), "too_long")
    return note


def _open(alert: RiskAlert) -> None:
    if alert.status == AlertStatus.CLOSED:
        raise ConflictError(_("该预警已关闭。"), "alert_closed")


def alert_assign(*, alert: RiskAlert, assignee: User | None, by: User,
                 note: str = "") -> RiskAlert:
    if not is_alert_staff(by):
        raise PermissionRefused(_("只有督查人员可以分派风险预警。"), "permission_denied")
    note = _note(note, "", required=False)[:300]
    with transaction.atomic():
        alert = _locked(alert)
        _open(alert)
        if by.pk in alert.involved_ids:
            raise PermissionRefused(_("您是预警涉及的人员，须回避。"), "conflict_of_interest")
        if assignee is None or not assignee.is_active or not assignee.is_bureau_staff:
            raise ApplicationError(_("核查人须为在岗的审批局工作人员。"), "invalid_assignee")
        if assignee.pk in alert.involved_ids:
            raise PermissionRefused(_("预警涉及的人员不能核查本预警，请改派他人。"),
                                    "conflict_of_interest")
        before = {"status": alert.status, "assignee": alert.assignee_id}
        alert.status, alert.assignee, alert.assigned_by = AlertStatus.ASSIGNED, assignee, by
        alert.assigned_at, alert.assign_note = timezone.now(), note
        alert.save()
        entry = audit_log(action="ratings.alert_assign", actor=by, obj=alert, before=before,
                          after={"status": alert.status, "assignee": assignee.pk, "note": note})
        notices.alert_to_assignee(alert, f"audit:{entry.pk}")
    return alert


def alert_close(*, alert: RiskAlert, note: str, by: User) -> RiskAlert:
    """Close with the finding of the check (by the assignee or the alert role)."""
    note = _note(note, _("关闭预警须填写核查结论。"), required=True)
    with transaction.atomic():
        alert = _locked(alert)
        if not (is_alert_staff(by) or alert.assignee_id == by.pk):
            raise PermissionRefused(_("只有核查人或督查人员可以关闭预警。"), "permission_denied")
        _open(alert)
        if by.pk in alert.involved_ids:
            raise PermissionRefused(_("您是预警涉及的人员，须回避。"), "conflict_of_interest")
        before = {"status": alert.status}
        alert.status, alert.closed_by, alert.closed_at = AlertStatus.CLOSED, by, timezone.now()
        alert.close_note = note
        alert.save()
        audit_log(action="ratings.alert_close", actor=by, obj=alert, before=before,
                  after={"status": alert.status, "note": note})
    return alert
