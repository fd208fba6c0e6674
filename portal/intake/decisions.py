"""The clerk's decision forms at the counter: 受理 (with 容缺 rows for missing tolerable
materials), 一次性告知 (a checklist of every material plus free lines) and 不予受理.
Rows carry what was typed so a refused form comes back filled in; the services decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import SupplementItem
from approvals.services import hooks
from portal.core.calendar import get_calendar

EXTRA_LINES = 3
#: Suggested promise date for a tolerated material, in working days from today.
PROMISE_SUGGESTION_DAYS = 5


@dataclass
class ToleranceRow:
    requirement: object
    checked: bool = False
    promise_date: str = ""
    error: str = ""

    @property
    def prefix(self) -> str:
        return f"tol-{self.requirement.pk}"


@dataclass
class SupplementRow:
    prefix: str
    material_name: str = ""
    requirement: object = None
    uploaded: object = None
    checked: bool = False
    problem: str = SupplementItem.Problem.MISSING
    reason: str = ""
    error: str = ""


@dataclass
class DecisionState:
    tolerable: list[ToleranceRow]
    key_missing: list
    supplement: list[SupplementRow]
    extra: list[SupplementRow]
    problems: list = field(default_factory=lambda: list(SupplementItem.Problem.choices))
    note: str = ""
    legal_basis: str = ""
    reject_errors: dict = field(default_factory=dict)
    error: str = ""
    open: str = ""  # which decision form to show unfolded after a refusal


def decision_state(case, post=None) -> DecisionState:
    """The decision forms for a submitted case, filled from ``post`` when given."""
    missing = hooks.missing_materials(case, include_tolerable=True)
    missing_ids = {r.pk for r in missing}
    uploaded = {m.requirement_id: m for m in case.current_materials}
    suggestion = get_calendar().add(timezone.localdate(), PROMISE_SUGGESTION_DAYS).isoformat()
    tolerable = [ToleranceRow(r, promise_date=suggestion) for r in missing if r.tolerable]
    supplement = []
    for req in case.matter.materials.all():
        row = SupplementRow(prefix=f"sup-{req.pk}", material_name=req.name, requirement=req,
                            uploaded=uploaded.get(req.pk), checked=req.pk in missing_ids)
        if row.uploaded is not None:
            row.problem = SupplementItem.Problem.DEFECTIVE
        if row.checked:
            row.reason = _("未提交该材料，请按要求补交。")
        supplement.append(row)
    extra = [SupplementRow(prefix=f"extra-{i}") for i in range(EXTRA_LINES)]
    state = DecisionState(tolerable, [r for r in missing if not r.tolerable], supplement, extra)
    if post is not None:
        _fill(state, post)
    return state


def _fill(state: DecisionState, post) -> None:
    state.note = post.get("note", "")[:2000]
    state.legal_basis = post.get("legal_basis", "").strip()[:300]
    for row in state.tolerable:
        row.checked = bool(post.get(row.prefix))
        row.promise_date = post.get(f"{row.prefix}-date", "")
    for row in state.supplement + state.extra:
        row.checked = bool(post.get(row.prefix)) if row.requirement else True
        row.problem = post.get(f"{row.prefix}-problem", row.problem)
        row.reason = post.get(f"{row.prefix}-reason", "").strip()[:500]
        if row.requirement is None:
            row.material_name = post.get(f"{row.prefix}-name", "").strip()[:200]


def accept_data(state: DecisionState) -> dict | None:
    """``{"tolerated": [...]}`` for case_transition("accept"), or None with row errors."""
    tolerated = []
    for row in state.tolerable:
        if not row.checked:
            continue
        try:
            date.fromisoformat(row.promise_date)
        except ValueError:
            row.error = _("请填写承诺补交日期。")
            continue
        tolerated.append({"requirement": row.requirement.pk, "promise_date": row.promise_date})
    if any(row.error for row in state.tolerable):
        state.error = _("请为勾选容缺的材料填写承诺补交日期。")
        return None
    return {"tolerated": tolerated}


def supplement_data(state: DecisionState) -> dict | None:
    """``{"items": [...]}`` for case_transition("request_supplement"), or None with errors."""
    items = []
    for row in state.supplement:
        if not row.checked:
            continue
        if not row.reason:
            row.error = _("请写明具体要求。")
            continue
        items.append({"requirement": row.requirement.pk, "problem": row.problem,
                      "reason": row.reason})
    for row in state.extra:
        if not (row.material_name or row.reason):
            continue
        if not (row.material_name and row.reason):
            row.error = _("请同时填写材料名称和具体要求。")
            continue
        items.append({"material_name": row.material_name, "problem": row.problem,
                      "reason": row.reason})
    if any(row.error for row in state.supplement + state.extra):
        state.error = _("补正清单有未写完的行，请按提示补全。")
        return None
    if not items:
        state.error = _("一次性告知须列明需要补正的全部材料：请至少勾选或填写一项。")
        return None
    return {"items": items}


def reject_data(state: DecisionState, post) -> dict | None:
    """``{"legal_basis": ...}`` for case_transition("reject"), or None with field errors."""
    if not state.note.strip():
        state.reject_errors["note"] = _("请写明不予受理的理由。")
    if not state.legal_basis:
        state.reject_errors["legal_basis"] = _("请写明法律依据。")
    if not post.get("confirm"):
        state.reject_errors["confirm"] = _("请勾选确认。")
    if state.reject_errors:
        state.error = _("不予受理决定书须写明理由和法律依据，并经确认。")
        return None
    return {"legal_basis": state.legal_basis}
