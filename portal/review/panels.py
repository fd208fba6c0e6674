"""What the review pages show, worked out from what the selectors returned (no queries
per row): a queue row's working days left and warning level, and the licence section of
a case page (the 出证 form, the licences with every version, the lifecycle forms the user
may use)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import selectors
from approvals.models import Case, Certificate
from approvals.workflow import CaseStatus
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.notifications.deadlines.policy import ESCALATION, PAUSED, RED, YELLOW, assess
from portal.notifications.deadlines.sweep import thresholds
from portal.review.forms import (
    ChangeForm,
    DeliverForm,
    IssueForm,
    ReasonForm,
    RenewForm,
)

WARNING = {YELLOW: "yellow", RED: "red", ESCALATION: "red"}
#: A licence's public status (as the verification page reports it): label, tag colour.
LICENCE_STATUS = {
    "valid": (_("有效"), "green"), "superseded": (_("已变更（旧版）"), "amber"),
    "expired": (_("已过期"), "amber"), "cancelled": (_("已注销"), "red"),
    "revoked": (_("已撤销"), "red"),
}


@dataclass(frozen=True)
class Clock:
    """The running stage's clock of a queue row."""

    due: date | None
    remaining: int | None
    level: str

    @property
    def warning(self) -> str:
        """"yellow" (near due), "red" (past due) or "" (none, or paused)."""
        return WARNING.get(self.level, "")

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0


def queue_clocks(cases, *, today: date | None = None) -> None:
    """Set ``case.clock`` on every row of a page from the annotated stage fields."""
    today = today or timezone.localdate()
    cal, limits = get_calendar(), thresholds()
    for case in cases:
        if case.stage_due is None:
            case.clock = Clock(None, None, "")
            continue
        found = assess(cal, today, case.stage_due, case.stage_limit, limits)
        case.clock = Clock(case.stage_due, found.remaining,
                           PAUSED if case.stage_paused else found.level)


@dataclass
class LicenceRow:
    certificate: Certificate
    forms: dict

    @property
    def public_status(self) -> str:
        return self.certificate.public_status

    @property
    def status_label(self) -> str:
        return str(LICENCE_STATUS[self.public_status][0])

    @property
    def status_colour(self) -> str:
        return LICENCE_STATUS[self.public_status][1]


def form_prefix(cert: Certificate, action: str) -> str:
    """Each licence's forms get their own field names and ids on the page."""
    return f"c{cert.pk}-{action}"


def _lifecycle_forms(cert: Certificate, user) -> dict:
    """The lifecycle forms ``user``'s role offers on a valid licence (services decide)."""
    if cert.status != Certificate.Status.VALID:
        return {}
    forms: dict = {}
    if user.has_role(Role.CERTIFIER):
        forms.update(
            change=ChangeForm(prefix=form_prefix(cert, "change"), initial={
                "scope": cert.scope, "address": cert.address, "holder_name": cert.holder_name}),
            renew=RenewForm(prefix=form_prefix(cert, "renew")),
            deliver=DeliverForm(prefix=form_prefix(cert, "deliver"),
                                initial={"method": cert.delivery or "pickup"}),
            cancel=ReasonForm(prefix=form_prefix(cert, "cancel")))
    if user.has_role(Role.APPROVER):
        forms["revoke"] = ReasonForm(prefix=form_prefix(cert, "revoke"))
    return forms


def licence_panel(*, case: Case, user, actions) -> dict:
    """The licence section of the case page; ``actions`` are the transitions the user may
    run now (the 出证 form replaces the plain "issue" button)."""
    can_issue = any(a.name == "issue" for a in actions)
    certificates = []
    if case.status in (CaseStatus.ISSUED, CaseStatus.ARCHIVED):
        certificates = list(selectors.certificate_list(user=user).filter(case=case)
                            .select_related("previous"))
    staff = user.is_bureau_staff
    rows = [LicenceRow(c, _lifecycle_forms(c, user) if staff else {}) for c in certificates]
    return {
        "show": bool(rows) or can_issue,
        "issue_form": IssueForm(initial={"scope": case.title or case.matter.name})
        if can_issue else None,
        "rows": rows,
        "staff": staff,
    }


def without_issue(actions) -> list:
    """The generic actions less "issue", which the licence section's form runs."""
    return [a for a in actions or [] if a.name != "issue"]
