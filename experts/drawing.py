"""The draw as pure functions (no database): who is eligible and why the others are not,
and the random choice itself. ``experts.services.draws`` gathers the facts from the
database into ``Candidate`` and ``DrawContext`` rows and records what these return, so a
recorded draw can be recomputed by anyone (``manage.py experts_verify_draw``).

The choice: ``random.Random(int(seed, 16)).sample(sorted(eligible_ids), k)``, a uniform
choice of ``k`` among the eligible in their canonical order (ascending expert id), driven by
a 256-bit seed from ``secrets`` taken at draw time.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from approvals.separation import STAGE_LABEL


def draw_choice(eligible_ids: Sequence[int], seed: str, k: int) -> list[int]:
    """``k`` of ``eligible_ids``, uniformly, reproducibly from ``seed`` (hex)."""
    return random.Random(int(seed, 16)).sample(sorted(eligible_ids), k)


def normalise_name(value: str) -> str:
    """Names compared for 回避: full-width and half-width forms alike, spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


@dataclass(frozen=True)
class Candidate:
    """What the rules need to know about one expert."""

    id: int
    active: bool
    field_ids: frozenset[int]
    employer: str = ""
    unavailable: tuple[tuple[date, date], ...] = ()
    relation_applicant_ids: frozenset[int] = frozenset()
    relation_codes: frozenset[str] = frozenset()
    relation_names: frozenset[str] = frozenset()
    user_id: int | None = None


@dataclass(frozen=True)
class DrawContext:
    """The request and the case, as the rules see them."""

    field_id: int
    field_name: str
    day: date
    applicant_id: int
    applicant_code: str
    applicant_name: str
    applicant_is_organisation: bool
    cooling_off_days: int
    #: experts drawn (pending or accepted) for the same applicant within the period
    recently_drawn: frozenset[int] = frozenset()
    #: user id -> the duties (approvals Stage values) the user holds on the case
    case_duties: Mapping[int, frozenset[str]] = field(default_factory=dict)
    #: experts already invited in this draw (a redraw never picks them again)
    already_drawn: frozenset[int] = frozenset()
    #: expert id -> reason, named by the dispatcher in the request
    exclusions: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    eligible: list[int]
    excluded: dict[int, str]


def exclusion_reason(c: Candidate, ctx: DrawContext) -> str:
    """Why ``c`` may not be drawn ("" if they may). The first reason that applies."""
    if c.id in ctx.already_drawn:
        return _("已在本次抽取中被抽中")
    if c.id in ctx.exclusions:
        return _("抽取申请排除：{reason}").format(reason=ctx.exclusions[c.id])
    if not c.active:
        return _("已停用，不在库")
    if ctx.field_id not in c.field_ids:
        return _("不属于“{field}”专业领域").format(field=ctx.field_name)
    if any(start <= ctx.day <= end for start, end in c.unavailable):
        return _("评审当日不可用")
    if _declared(c, ctx):
        return _("回避：已申报与申请人存在利害关系")
    if (ctx.applicant_is_organisation and c.employer
            and normalise_name(c.employer) == normalise_name(ctx.applicant_name)):
        return _("回避：工作单位即为申请人")
    if c.id in ctx.recently_drawn:
        return _("回避：{days}日内已被抽取评审该申请人的事项").format(days=ctx.cooling_off_days)
    if c.user_id is not None and ctx.case_duties.get(c.user_id):
        duty = sorted(ctx.case_duties[c.user_id])[0]
        return _("四分离：本人已在本件承担“{duty}”职责").format(
            duty=STAGE_LABEL.get(duty, duty))
    return ""


def _declared(c: Candidate, ctx: DrawContext) -> bool:
    if ctx.applicant_id in c.relation_applicant_ids:
        return True
    if ctx.applicant_code and ctx.applicant_code.upper() in c.relation_codes:
        return True
    return normalise_name(ctx.applicant_name) in c.relation_names


def eligibility(candidates: Iterable[Candidate], ctx: DrawContext) -> Eligibility:
    """Split ``candidates`` into the eligible (ascending id) and the excluded with reasons."""
    eligible, excluded = [], {}
    for c in sorted(candidates, key=lambda c: c.id):
        reason = exclusion_reason(c, ctx)
        if reason:
            excluded[c.id] = reason
        else:
            eligible.append(c.id)
    return Eligibility(eligible, excluded)
