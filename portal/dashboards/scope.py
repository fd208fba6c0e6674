"""Who may see the dashboards and which cases their figures cover, and the filters of a
request (period, section, matter, industry, district), checked and scoped.

Supervisors (督查/局领导) see the whole bureau. An approver (审批负责人) sees the matters of
their own section (an approver without a section, like other staff without one, is
bureau-wide). Everybody else is refused. Filters come from query strings (pages and API
alike) as codes: ``period=week|month|quarter|year``, ``date=YYYY-MM-DD``, ``section=SC``,
``matter=<事项编码>``, ``industry=<行业>``, ``district=<区划代码>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Matter
from portal.accounts.models import District, Section, User
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError, PermissionRefused
from portal.dashboards.definitions import DIMENSIONS
from portal.dashboards.periods import KINDS, Period, period_of


def may_view_dashboards(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.APPROVER)


def scoped_section_id(user: User) -> int | None:
    """The section an approver is limited to (None: the whole bureau)."""
    if user.has_role(Role.SUPERVISOR):
        return None
    return user.section_id


def require_viewer(user: User) -> None:
    if not may_view_dashboards(user):
        raise PermissionRefused(_("只有督查人员和审批负责人可以查看统计看板。"), "permission_denied")


@dataclass(frozen=True)
class Filters:
    """A checked, scoped request: the period and the cases it covers."""

    period: Period
    #: matters covered (None: every matter)
    matter_ids: frozenset[int] | None
    district_id: int | None
    #: the values as given (codes), for links, forms and the ledger's header
    given: dict[str, str] = field(default_factory=dict)

    def query(self, **extra) -> dict[str, str]:
        """The query string of these filters (with ``extra``), for drill-down links."""
        return {**self.given, **{k: str(v) for k, v in extra.items() if v not in (None, "")}}


def _bad(message: str) -> ApplicationError:
    return ApplicationError(message, "invalid_filter")


def _period(params) -> Period:
    kind = params.get("period") or "month"
    if kind not in KINDS:
        raise _bad(_("统计周期只能是周、月、季度或年。"))
    raw = params.get("date") or ""
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        raise _bad(_("日期格式应为 YYYY-MM-DD。")) from None
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise _bad(_("日期超出可统计的范围。"))
    return period_of(kind, day)


def _narrow(current: frozenset[int] | None, ids) -> frozenset[int]:
    ids = frozenset(ids)
    return ids if current is None else current & ids


def filters_from(params, user: User) -> Filters:
    """Check the query parameters and apply the user's scope."""
    require_viewer(user)
    period = _period(params)
    given = {"period": period.kind, "date": (params.get("date") or "")}
    matter_ids: frozenset[int] | None = None
    own = scoped_section_id(user)
    section_code = params.get("section") or ""
    if section_code:
        section = Section.objects.filter(code=section_code).first()
        if section is None:
            raise _bad(_("科室不存在：{code}").format(code=section_code))
        if own is not None and section.pk != own:
            raise PermissionRefused(_("您只能查看本科室的统计。"), "out_of_scope")
        matter_ids = _narrow(matter_ids, section.matters.values_list("pk", flat=True))
        given["section"] = section_code
    if own is not None:
        matter_ids = _narrow(matter_ids, Matter.objects.filter(section_id=own)
                             .values_list("pk", flat=True))
    matter_code = params.get("matter") or ""
    if matter_code:
        matter = Matter.objects.filter(code=matter_code).first()
        if matter is None:
            raise _bad(_("事项不存在：{code}").format(code=matter_code))
        if own is not None and matter.section_id != own:
            raise PermissionRefused(_("您只能查看本科室的统计。"), "out_of_scope")
        matter_ids = _narrow(matter_ids, [matter.pk])
        given["matter"] = matter_code
    industry = params.get("industry") or ""
    if industry:
        matter_ids = _narrow(matter_ids, Matter.objects.filter(industry=industry)
                             .values_list("pk", flat=True))
        given["industry"] = industry
    district_id = None
    district_code = params.get("district") or ""
    if district_code:
        district = District.objects.filter(code=district_code).first()
        if district is None:
            raise _bad(_("区划不存在：{code}").format(code=district_code))
        district_id = district.pk
        given["district"] = district_code
    return Filters(period=period, matter_ids=matter_ids, district_id=district_id,
                   given={k: v for k, v in given.items() if v})


def dimension_from(params) -> str:
    dim = params.get("dim") or "section"
    if dim not in DIMENSIONS:
        raise _bad(_("分组维度只能是科室、事项、行业或区划。"))
    return dim
