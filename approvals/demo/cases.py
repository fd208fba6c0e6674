"""Demo cases: one or two in each interesting state, driven through the real services.

Every case is created with ``case_create`` and moved only by ``case_transition`` as the
demo user who holds that duty, so the four-way separation, the clocks, the status history
and the audit trail are exactly what production would record. The single-approver matter
(公共场所卫生许可) is accepted, reviewed and approved by one 独任审批员 (clerk2).

A step is ``(transition, username, note)``; ``filed_by`` is the applicant's own account
for online filing or a counter clerk for walk-in applicants.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.demo import inspection_steps
from approvals.demo.forms import sample_form_data
from approvals.models import Case, Matter
from approvals.services import case_create, case_transition
from approvals.services.intake import material_upload
from portal.accounts.models import Applicant, User
from portal.core.pdf import DocumentSpec, Text, render_document

#: Transition data for demo steps that need it (the one-time notice lists its items).
SUPPLEMENT_ITEMS = {"items": [
    {"material_name": "执业药师注册证", "problem": "missing",
     "reason": "请提交驻店执业药师的《执业药师注册证》复印件"},
    {"material_name": "质量管理文件目录", "problem": "defective",
     "reason": "目录未覆盖药品购进、验收、储存、销售等环节，请补充完整"},
]}

_THROUGH_REVIEW = [("submit", "clerk", ""), ("accept", "clerk", ""),
                   ("start_review", "reviewer", "")]
_TO_INSPECTION = _THROUGH_REVIEW + [("request_inspection", "reviewer", "材料齐全，提请现场勘验")]

DEMO_CASES: list[dict] = [
    {"matter": "SC-FOOD-02", "applicant": "applicant", "filed_by": "applicant",
     "title": "张记刀削面馆小餐饮登记", "steps": []},
    {"matter": "SC-FOOD-01", "applicant": "company", "filed_by": "company",
     "title": "好味道餐厅（河东东街店）食品经营许可",
     "steps": [("submit", "company", "")]},
    {"matter": "SC-DRUG-01", "applicant": "kangning", "filed_by": "clerk",
     "title": "康宁大药房人民北路店药品经营许可",
     "steps": [("submit", "clerk", ""),
               ("request_supplement", "clerk", "一次性告知：请补交执业药师注册证及质量管理文件目录。")]},
    {"matter": "SC-DEVICE-01", "applicant": "anhe", "filed_by": "clerk",
     "title": "安和医疗器械第三类医疗器械经营许可（容缺受理）", "steps": _THROUGH_REVIEW,
     "tolerate": True},
    {"matter": "SW-EDU-01", "applicant": "qihang", "filed_by": "clerk2",
     "title": "河津市启航职业培训学校设立",
     "steps": [("submit", "clerk2", ""), ("accept", "clerk", ""),
               ("start_review", "reviewer2", ""),
               ("request_inspection", "reviewer2", "请勘验评审科组织现场勘验并抽取评审专家")]},
    {"matter": "SC-AGRI-01", "applicant": "fengshou", "filed_by": "clerk",
     "title": "丰收农资农药经营许可",
     "steps": _TO_INSPECTION + [("start_inspection", "inspector", "视频勘验（云踏勘）")]},
    {"matter": "SW-MED-01", "applicant": "kangtai", "filed_by": "clerk",
     "title": "康泰口腔门诊部医疗机构执业许可",
     "steps": [("submit", "clerk", ""), ("accept", "clerk", ""),
               ("start_review", "reviewer2", ""), ("request_inspection", "reviewer2", ""),
               ("start_inspection", "inspector", "现场勘验，佩戴执法记录仪"),
               ("conclude_inspection", "inspector", "勘验通过")]},
    {"matter": "SC-PUB-01", "applicant": "shuxiang", "filed_by": "clerk",
     "title": "书香图书发行出版物批发业务许可",
     "steps": _TO_INSPECTION + [("start_inspection", "inspector2", ""),
                                ("conclude_inspection", "inspector", "勘验通过"),
                                ("approve", "approver", "准予许可")]},
    {"matter": "SW-HYG-01", "applicant": "company", "filed_by": "company",
     "title": "好味道宾馆公共场所卫生许可（即办件）",
     "steps": [("submit", "company", ""), ("accept", "clerk2", "独任审批"),
               ("start_review", "clerk2", ""), ("send_to_decision", "clerk2", "告知承诺，材料齐全"),
               ("approve", "clerk2", "准予许可"), ("issue", "certifier", "统一窗口出件")]},
    {"matter": "SC-FOOD-01", "applicant": "applicant", "filed_by": "applicant",
     "title": "张明熟食店食品经营许可",
     "steps": [("submit", "applicant", ""), ("accept", "clerk2", ""),
               ("start_review", "reviewer", ""), ("request_inspection", "reviewer", ""),
               ("start_inspection", "inspector3", "视频勘验 20 分钟"),
               ("conclude_inspection", "inspector4", "勘验通过"),
               ("approve", "approver", "准予许可"), ("issue", "certifier", ""),
               ("archive", "archivist", "一事项一存档")]},
    {"matter": "SC-SAFE-01", "applicant": "jinnan", "filed_by": "clerk",
     "title": "晋南化工危险化学品经营许可",
     "steps": [("submit", "clerk", ""),
               ("reject", "clerk2", "经营场所位于居民住宅楼底商，不符合危险化学品经营场所要求，不予受理。")]},
]


def demo_cases_exist(applicants: dict[str, Applicant]) -> bool:
    return Case.objects.filter(applicant__in=list(applicants.values())).exists()


def _user(username: str) -> User:
    return User.objects.get(username=username)  # fresh: roles are cached per instance


@cache
def sample_pdf(name: str) -> bytes:
    """A real one-page PDF standing in for a scanned material."""
    return render_document(DocumentSpec(title=name, body=[Text("演示材料：本文件由演示数据生成。")]))


def _upload_materials(case: Case, filer: User, *, skip: set[int]) -> None:
    for requirement in case.matter.materials.filter(required=True):
        if requirement.pk not in skip:
            upload = SimpleUploadedFile(f"{requirement.name[:40]}.pdf",
                                        sample_pdf(requirement.name), "application/pdf")
            material_upload(case=case, requirement=requirement, upload=upload, by=filer)


def _tolerated(case: Case) -> list[dict]:
    requirement = case.matter.materials.filter(required=True, tolerable=True).first()
    promise = timezone.localdate() + timedelta(days=10)
    return [{"requirement": requirement.pk, "promise_date": promise.isoformat()}]


def build_case(spec: dict, applicants: dict[str, Applicant]) -> Case:
    matter = Matter.objects.get(code=spec["matter"])
    filer = _user(spec["filed_by"])
    applicant = applicants[spec["applicant"]]
    channel = Case.Channel.ONLINE if applicant.user_id == filer.pk else Case.Channel.COUNTER
    case = case_create(matter=matter, applicant=applicant, by=filer, channel=channel,
                       title=spec["title"], form_data=sample_form_data(matter.form_schema))
    tolerated = _tolerated(case) if spec.get("tolerate") else []
    _upload_materials(case, filer, skip={t["requirement"] for t in tolerated})
    for name, username, note in spec["steps"]:
        data = {"request_supplement": SUPPLEMENT_ITEMS, "accept": {"tolerated": tolerated},
                "request_inspection": {"mode": (matter.inspection_modes or ["onsite"])[0],
                                       "tier": "general"}}.get(name)
        if name == "dispatch":
            inspection_steps.dispatch_case(case)
        elif name == "start_inspection":
            inspection_steps.start(case, _user(username))
        elif name == "conclude_inspection":
            inspection_steps.conclude(case, _user(username), note)
        else:
            case_transition(case_id=case.pk, name=name, by=_user(username), note=note,
                            data=data)
        case.refresh_from_db()
    return case


def build_demo_cases(applicants: dict[str, Applicant]) -> int:
    """Create the demo cases unless they exist already; returns how many were created."""
    if demo_cases_exist(applicants):
        return 0
    return len([build_case(spec, applicants) for spec in DEMO_CASES])
