"""Fixtures for the archive tests. ``full_case`` is an issued case that produced one of
every kind of document, each through the real services: a material uploaded twice (the
first version superseded), review opinions, an expert review with signed minutes, an
inspection with a photo of one item and the electronic report, and the licence."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from approvals.models import Case, MaterialRequirement
from approvals.services import case_transition
from approvals.services.intake import material_upload
from approvals.services.review import review_opinion_add
from approvals.workflow import CaseStatus
from experts.models import Expert, ExpertField, MeetingMode
from experts.services import meetings
from experts.services.draws import draw_create
from experts.services.invitations import invitation_accept
from inspections.services import conduct
from portal.accounts.roles import Role
from portal.core.pdf import DocumentSpec, Text, render_document
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory, inspection
from tests.factories.workflow import Crew, drive


def png_bytes(rgb: tuple = (200, 40, 30)) -> bytes:
    """A real 4×3 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes(rgb) * 4 for _ in range(3))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_bytes(text: str, pages: int = 1) -> bytes:
    """A real PDF of ``pages`` pages."""
    body = [Text(f"{text} 第{n}页") for n in range(pages)]
    return render_document(DocumentSpec(title=text, body=body[:1]
                                        + [Text("\n" * 40 + b.text) for b in body[1:]]))


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def archivist(crew):
    return crew.users[Role.ARCHIVIST]


@pytest.fixture
def supervisor(crew):
    return crew.users[Role.SUPERVISOR]


@dataclass
class FullCase:
    case: Case
    material_versions: int
    evidence_count: int


def _expert_review(case: Case, crew: Crew) -> None:
    field = ExpertField.objects.create(name="食品安全", industry="餐饮服务")
    experts = [Expert.objects.create(
        name=f"专家{n}", employer=f"单位{n}", phone=f"1390000000{n}", title="高级工程师",
        user=UserFactory(roles=[Role.EXPERT], real_name=f"专家{n}")) for n in range(3)]
    for expert in experts:
        expert.fields.set([field])
    dispatcher = crew.users["dispatcher"]
    draw = draw_create(case=case, field=field, count=3, mode=MeetingMode.ONSITE,
                       meeting_at=timezone.now() + timedelta(days=1), place="评审室",
                       by=dispatcher)
    for invitation in draw.invitations.select_related("expert__user"):
        invitation_accept(invitation=invitation, by=invitation.expert.user)
    meeting = draw.meeting
    meetings.meeting_set_chair(meeting=meeting, by=dispatcher, expert=experts[0])
    for expert in experts:
        scores = {i.key: {"score": str(i.weight), "comment": ""} for i in meeting.items.all()}
        meetings.sheet_save(meeting=meeting, by=expert.user, scores=scores, opinion="同意",
                            submit=True)
    meetings.meeting_conclude(meeting=meeting, by=experts[0].user, outcome="pass",
                              conclusion="方案可行。")


def make_full_case(crew: Crew) -> FullCase:
    matter = MatterFactory(inspected=True, needs_expert_review=True, industry="餐饮服务")
    requirement = MaterialRequirement.objects.create(matter=matter, name="营业执照")
    inspection.ensure_standard(matter)
    applicant = ApplicantFactory(name="张明")
    case = CaseFactory(matter=matter, applicant=applicant)
    for version in (1, 2):
        material_upload(case=case, requirement=requirement, by=applicant.user,
                        upload=upload(f"licence-v{version}.pdf",
                                      pdf_bytes(f"营业执照 第{version}版", pages=version),
                                      "application/pdf"))
    case = drive(case, crew, CaseStatus.UNDER_REVIEW)
    material = case.materials.get(is_current=True)
    reviewer = crew.users["reviewer"]
    review_opinion_add(case=case, by=reviewer, verdict="conforms", text="材料齐全",
                       material_id=material.pk)
    review_opinion_add(case=case, by=reviewer, verdict="conforms", text="同意提请勘验")
    _expert_review(case, crew)
    case = drive(case, crew, CaseStatus.INSPECTING)
    task = case.inspection_tasks.get(status="in_progress")
    item = task.items.order_by("order").first()
    conduct.evidence_add(item=item, upload=upload("site.png", png_bytes(), "image/png"),
                         by=crew.inspectors[0])
    inspection.conclude(case, inspectors=crew.inspectors)
    case = drive(Case.objects.get(pk=case.pk), crew, CaseStatus.ISSUED)
    return FullCase(case=case, material_versions=2, evidence_count=1)


@pytest.fixture
def full_case(crew) -> FullCase:
    return make_full_case(crew)


def archive(case: Case, crew: Crew) -> Case:
    return case_transition(case_id=case.pk, name="archive", by=crew.users["archivist"],
                           note="一事项一存档")


def closed_case(crew: Crew, status: str = CaseStatus.WITHDRAWN, **matter_kwargs) -> Case:
    """A small case closed as ``status`` (withdrawn, rejected or issued)."""
    case = CaseFactory(matter=MatterFactory(**matter_kwargs))
    if status == CaseStatus.WITHDRAWN:
        case = drive(case, crew, CaseStatus.SUBMITTED)
        return case_transition(case_id=case.pk, name="withdraw", by=case.applicant.user)
    if status == CaseStatus.REJECTED:
        case = drive(case, crew, CaseStatus.SUBMITTED)
        return case_transition(case_id=case.pk, name="reject", by=crew.users["clerk"],
                               note="不符合受理条件")
    return drive(case, crew, status)


@pytest.fixture
def package(crew):
    """The package of a small withdrawn case."""
    case = archive(closed_case(crew), crew)
    return case.archive_package
