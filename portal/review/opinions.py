"""The review page (审查) of a case, worked out in a fixed number of queries however many
materials and opinions: the application form's answers (labels from the matter's schema),
the current materials each with its opinions and opinion form, the overall opinions and
form, and whether the user may write opinions now. Opinions show the duty's role (审查员)
and time, never the reviewer's name. Only bureau staff see any of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from approvals import selectors, separation
from approvals.models import Case, CaseMaterial, CaseParticipant, ReviewOpinion
from approvals.permissions import STAGE_PERMISSION, STAGE_ROLE
from approvals.workflow import CaseStatus, Stage
from portal.review.forms import OpinionForm

OVERALL = "overall"
#: The content types a material preview shows inline (upload only accepts these anyway).
PREVIEW = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image"}
#: The states in which the review page is the reviewer's working page.
REVIEW_STATES = (CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW)
#: States in which no opinion can exist yet (the case page card is not shown).
BEFORE_REVIEW = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT_REQUESTED,
                 CaseStatus.REJECTED)
REVIEWER_ROLE = STAGE_ROLE[Stage.REVIEW].label


def prefix_of(target: str) -> str:
    """Form field prefix of one opinion form ("overall" or a material's id)."""
    return OVERALL if target == OVERALL else f"m{target}"


@dataclass(frozen=True)
class Answer:
    label: str
    value: object
    kind: str = "text"

    @property
    def blank(self) -> bool:
        return self.value is None or str(self.value).strip() == ""


@dataclass(frozen=True)
class OpinionRow:
    opinion: ReviewOpinion
    #: On an earlier version of the material's file (replaced since).
    earlier: bool = False

    @property
    def role_label(self) -> str:
        return str(REVIEWER_ROLE)

    @property
    def is_problem(self) -> bool:
        return self.opinion.verdict == ReviewOpinion.Verdict.PROBLEM


@dataclass
class MaterialRow:
    material: CaseMaterial
    opinions: list[OpinionRow] = field(default_factory=list)
    form: OpinionForm | None = None

    @property
    def target(self) -> str:
        return str(self.material.pk)

    @property
    def preview(self) -> str:
        """"pdf", "image" or "" (no inline preview)."""
        return PREVIEW.get(self.material.content_type, "")

    @property
    def last_verdict(self) -> str:
        return self.opinions[-1].opinion.verdict if self.opinions else ""


@dataclass
class ReviewPanel:
    case: Case
    answers: list[Answer]
    materials: list[MaterialRow]
    overall: list[OpinionRow]
    overall_form: OpinionForm | None
    can_write: bool
    #: The separation rule's refusal the user will get (forms stay, the service decides).
    blocked: str = ""

    @property
    def opinion_count(self) -> int:
        return len(self.overall) + sum(len(row.opinions) for row in self.materials)


def review_case_get(*, user, case_id: int) -> Case:
    """The case for its review page: bureau staff only (404 for anyone else), with the
    current materials in ``case.current_materials``."""
    if not user.is_authenticated or not user.is_bureau_staff:
        raise Http404
    qs = selectors.case_list(user=user).prefetch_related(
        Prefetch("materials", queryset=CaseMaterial.objects.filter(is_current=True)
                 .select_related("requirement"), to_attr="current_materials"))
    try:
        return qs.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def form_answers(case: Case) -> list[Answer]:
    """The form's answers in the schema's order, labelled; answers no longer in the schema
    come last under their field name."""
    schema = case.matter.form_schema or []
    data = case.form_data or {}
    answers = [Answer(spec.get("label") or spec["name"], data.get(spec["name"]),
                      spec.get("type", "text")) for spec in schema if spec.get("name")]
    known = {spec.get("name") for spec in schema}
    answers += [Answer(key, value) for key, value in data.items() if key not in known]
    return answers


def case_opinions(case: Case) -> list[ReviewOpinion]:
    """Every opinion on the case, oldest first, with its material (one query)."""
    return list(ReviewOpinion.objects.filter(case=case).select_related("material")
                .order_by("created_at", "id"))


def may_write(case: Case, user) -> bool:
    """The user's role lets them perform the review duty on the case now (the separation
    rule is checked by the service; see ``separation_refusal``)."""
    return (case.status == CaseStatus.UNDER_REVIEW
            and STAGE_PERMISSION[Stage.REVIEW].test(user, case))


def separation_refusal(case: Case, user) -> str:
    """The four-way separation message the user would get reviewing this case, or ""."""
    held = set(CaseParticipant.objects.filter(case=case, user=user)
               .values_list("stage", flat=True))
    if case.applicant.user_id == user.pk:
        held.add(Stage.APPLY)
    conflict = separation.separation_conflict(stage=Stage.REVIEW, user_stages=held,
                                              single_approver=case.matter.single_approver)
    return separation.separation_message(Stage.REVIEW, conflict) if conflict else ""


def review_panel(*, case: Case, user, bound: tuple[str, OpinionForm] | None = None,
                 ) -> ReviewPanel:
    """The review page of ``case`` (from ``review_case_get``) for ``user``; ``bound`` is a
    refused post, (target, form), shown again with what was typed."""
    can_write = may_write(case, user)
    rows = {m.pk: MaterialRow(m) for m in case.current_materials}
    by_requirement = {m.requirement_id: rows[m.pk] for m in case.current_materials
                      if m.requirement_id is not None}
    overall: list[OpinionRow] = []
    for opinion in case_opinions(case):
        if opinion.material_id is None:
            overall.append(OpinionRow(opinion))
        elif opinion.material_id in rows:
            rows[opinion.material_id].opinions.append(OpinionRow(opinion))
        elif (row := by_requirement.get(opinion.material.requirement_id)) is not None:
            row.opinions.append(OpinionRow(opinion, earlier=True))
        else:  # a material no longer asked for: keep it visible with the overall ones
            overall.append(OpinionRow(opinion, earlier=True))

    def form_for(target: str) -> OpinionForm | None:
        if bound is not None and bound[0] == target:
            return bound[1]
        return OpinionForm(prefix=prefix_of(target)) if can_write else None

    for row in rows.values():
        row.form = form_for(row.target)
    return ReviewPanel(
        case=case, answers=form_answers(case), materials=list(rows.values()),
        overall=overall, overall_form=form_for(OVERALL), can_write=can_write,
        blocked=separation_refusal(case, user) if can_write else "")


@dataclass
class CaseOpinions:
    """The review card of the case page (staff only; applicants never see opinions)."""

    show: bool
    opinions: list[OpinionRow]
    can_write: bool
    link: bool


def case_page_opinions(*, case: Case, user) -> CaseOpinions:
    if not user.is_authenticated or not user.is_bureau_staff:
        return CaseOpinions(False, [], False, False)
    if case.status in BEFORE_REVIEW:
        return CaseOpinions(False, [], False, False)
    opinions = [OpinionRow(o, earlier=o.material_id is not None and not o.material.is_current)
                for o in case_opinions(case)]
    working = case.status in REVIEW_STATES
    return CaseOpinions(show=bool(opinions) or working, opinions=opinions,
                        can_write=may_write(case, user), link=True)
