"""Standards: publish a version, pin a case to the version it will be inspected against,
and merge several cases' standards into one checklist (并联踏勘)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, Matter
from inspections.models import (
    CaseStandard,
    Category,
    GuidanceMedia,
    Standard,
    StandardItem,
    StandardVersion,
)
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError

ITEM_FIELDS = ("key", "category", "title", "requirement", "method", "weight", "veto",
               "guidance")


def _clean_items(items: Sequence[dict]) -> list[dict]:
    """Validate item dicts; every problem is reported at once, numbered as the user sees."""
    cleaned, problems, keys = [], [], set()
    for n, raw in enumerate(items, start=1):
        item = {f: raw.get(f) for f in ITEM_FIELDS}
        item["key"] = str(item["key"] or "").strip()
        item["title"] = str(item["title"] or "").strip()
        item["requirement"] = str(item["requirement"] or "").strip()
        item["method"] = str(item["method"] or "").strip()
        item["guidance"] = str(item["guidance"] or "").strip()
        item["veto"] = bool(item["veto"])
        try:
            item["weight"] = int(item["weight"])
        except (TypeError, ValueError):
            item["weight"] = -1
        if not item["key"] or not item["title"] or not item["requirement"]:
            problems.append(_("第{n}项：编码、项目名称和标准要求必须填写。").format(n=n))
        if item["category"] not in Category.values:
            problems.append(_("第{n}项：类别须为制度、人员、场所、设备或管理。").format(n=n))
        if not 0 <= item["weight"] <= 100:
            problems.append(_("第{n}项：分值须为 0–100 的整数。").format(n=n))
        if item["key"] in keys:
            problems.append(_("第{n}项：编码“{key}”重复。").format(n=n, key=item["key"]))
        keys.add(item["key"])
        item["media"] = list(raw.get("media") or [])
        cleaned.append(item)
    if not cleaned:
        problems.append(_("踏勘标准至少须有一个勘验项目。"))
    if problems:
        raise ApplicationError("\n".join(problems), "invalid_standard",
                               extra={"problems": problems})
    return cleaned


def standard_publish(*, matter: Matter, items: Sequence[dict], by=None, note: str = "",
                     pass_score: int | None = None, code: str = "",
                     title: str = "") -> StandardVersion:
    """Publish the next version of ``matter``'s standard with ``items`` (dicts of
    ``ITEM_FIELDS``; ``media`` may list GuidanceMedia to carry over). Versions are never
    edited: running tasks and pinned cases keep theirs."""
    cleaned = _clean_items(items)
    if pass_score is not None and not 0 <= int(pass_score) <= 100:
        raise ApplicationError(_("合格分数线须为 0–100。"), "invalid_standard")
    with transaction.atomic():
        standard, created = Standard.objects.select_for_update().get_or_create(
            matter=matter, defaults={"code": code or f"KY-{matter.code}",
                                     "title": title or _("{name}踏勘标准").format(
                                         name=matter.name)})
        previous = standard.versions.order_by("-number").first()
        number = (standard.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = StandardVersion.objects.create(
            standard=standard, number=number, note=note, published_at=timezone.now(),
            published_by=by,
            pass_score=pass_score if pass_score is not None
            else (previous.pass_score if previous else 80))
        for order, item in enumerate(cleaned, start=1):
            media = item.pop("media")
            row = StandardItem.objects.create(version=version, order=order, **item)
            for m in media:
                GuidanceMedia.objects.create(item=row, kind=m.kind, file=m.file.name,
                                             content_type=m.content_type, size=m.size,
                                             sha256=m.sha256, caption=m.caption)
        audit_log(action="inspections.standard_publish", actor=by, obj=version,
                  after={"matter": matter.code, "version": number, "items": len(cleaned)})
    return version


def standard_items_as_dicts(version: StandardVersion) -> list[dict]:
    """A version's items as editable dicts (the starting point of the next version)."""
    return [{**{f: getattr(i, f) for f in ITEM_FIELDS}, "media": list(i.media.all())}
            for i in version.items.prefetch_related("media")]


def current_version(matter: Matter) -> StandardVersion | None:
    return (StandardVersion.objects.filter(standard__matter=matter)
            .select_related("standard").order_by("-number").first())


def case_standard(case: Case) -> StandardVersion | None:
    """The version the case is pinned to, or (not yet filed) the current one."""
    pin = CaseStandard.objects.filter(case=case).select_related("version__standard").first()
    return pin.version if pin else current_version(case.matter)


def case_standard_pin(case: Case) -> StandardVersion | None:
    """Pin the case to the current version of its matter's standard (once)."""
    pin = CaseStandard.objects.filter(case=case).select_related("version").first()
    if pin is not None:
        return pin.version
    version = current_version(case.matter)
    if version is None:
        return None
    CaseStandard.objects.create(case=case, version=version)
    return version


@dataclass
class MergedItem:
    """One line of a merged checklist and where it comes from."""

    key: str
    category: str
    title: str
    requirement: str
    method: str
    weight: int
    veto: bool
    guidance: str
    order: int
    source_items: list[StandardItem] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def matters(self) -> list[str]:
        return sorted({c.matter.name for c in self.cases})


_CATEGORY_ORDER = {c: n for n, c in enumerate(Category.values)}


def merged_checklist(pairs: Iterable[tuple[Case, StandardVersion]]) -> list[MergedItem]:
    """One checklist for several cases of one applicant: items with the same key are one
    item (the strictest weight and veto win, requirements that differ are all kept), each
    traced to its standard items and cases. Ordered by category, then first appearance."""
    merged: dict[str, MergedItem] = {}
    seen = 0
    for case, version in pairs:
        for item in version.items.all():
            seen += 1
            line = merged.get(item.key)
            if line is None:
                line = merged[item.key] = MergedItem(
                    key=item.key, category=item.category, title=item.title,
                    requirement=item.requirement, method=item.method, weight=item.weight,
                    veto=item.veto, guidance=item.guidance, order=seen)
            else:
                line.weight = max(line.weight, item.weight)
                line.veto = line.veto or item.veto
                if item.requirement not in line.requirement:
                    line.requirement = f"{line.requirement}\n{item.requirement}"
                if item.method and item.method not in line.method:
                    line.method = f"{line.method}\n{item.method}".strip()
                if item.guidance and item.guidance not in line.guidance:
                    line.guidance = f"{line.guidance}\n{item.guidance}".strip()
            line.source_items.append(item)
            if case not in line.cases:
                line.cases.append(case)
    return sorted(merged.values(), key=lambda m: (_CATEGORY_ORDER[m.category], m.order))
