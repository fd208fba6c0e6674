"""Material rows of the edit page: one row per material requirement, and for a bundle one
row per material name (an upload on one case is copied by ``material_upload`` to every
case of the bundle that asks for the same material)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from approvals.models import Case, CaseMaterial, MaterialRequirement

CURRENT_MATERIALS = Prefetch("materials", queryset=CaseMaterial.objects.filter(is_current=True),
                             to_attr="current_materials")


@dataclass
class MaterialRow:
    requirement: MaterialRequirement
    case: Case
    material: CaseMaterial | None
    required: bool
    tolerable: bool
    matters: list[str] = field(default_factory=list)
    error: str = ""
    missing: bool = False
    flagged: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.case.pk}-{self.requirement.pk}"

    @property
    def input_name(self) -> str:
        return f"file_{self.requirement.pk}"

    @property
    def upload_url(self) -> str:
        return reverse("intake-material-upload", args=[self.case.pk, self.requirement.pk])


def material_rows(cases: list[Case]) -> list[MaterialRow]:
    """Rows for one case or a bundle's cases (``current_materials`` prefetched)."""
    rows: list[MaterialRow] = []
    by_name: dict[str, MaterialRow] = {}
    for case in cases:
        current = {m.requirement_id: m for m in case.current_materials}
        for req in case.matter.materials.all():
            row = by_name.get(req.name)
            if row is None:
                row = by_name[req.name] = MaterialRow(req, case, current.get(req.pk),
                                                      req.required, req.tolerable)
                rows.append(row)
            else:
                row.tolerable = row.tolerable and (req.tolerable or not req.required)
                row.required = row.required or req.required
            row.matters.append(case.matter.name)
    return rows


def mark_missing(rows: list[MaterialRow], cases: list[Case], requirement_ids) -> None:
    """Flag the rows a refusal named (``extra["missing"]`` holds requirement ids)."""
    wanted = {int(pk) for pk in requirement_ids or []}
    names = {req.name for case in cases for req in case.matter.materials.all()
             if req.pk in wanted}
    for row in rows:
        row.missing = row.requirement.name in names


def flag_supplement(rows: list[MaterialRow], items) -> list:
    """Attach the clerk's supplement items to their rows; return the free-text items."""
    by_requirement = {row.requirement.pk: row for row in rows}
    loose = []
    for item in items:
        row = by_requirement.get(item.requirement_id)
        if row is None:
            loose.append(item)
        else:
            row.flagged.append(item)
    return loose
