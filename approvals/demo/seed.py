"""The demo seed as one transaction: organisation, accounts, applicants, catalogue (with its
inspection standards), cases.

``seed_demo`` is what ``manage.py seed_demo`` runs; with ``with_cases=False`` it loads the
part the bulk generator needs. It is idempotent: a second run changes no row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from approvals.demo import builders
from approvals.demo.cases import build_demo_cases
from approvals.demo.inspection_steps import qualify_demo_inspectors
from approvals.demo.samples import attach_samples
from approvals.demo.upsert import Tally
from approvals.models import Bundle, Case, MaterialRequirement, Matter
from experts.demo import load_expert_pool
from inspections.demo.standards import load_standards
from portal.accounts.models import Applicant, District, Section, User, Window


@dataclass
class SeedResult:
    tally: Tally = field(default_factory=Tally)
    cases_created: int = 0


def _load_base(result: SeedResult):
    org = builders.load_organisation(result.tally)
    users = builders.load_users(result.tally, org)
    applicants = builders.load_applicants(result.tally, org, users)
    builders.load_catalogue(result.tally, org, configured_by=users.get("supervisor"))
    load_standards(result.tally)
    qualify_demo_inspectors()
    load_expert_pool(result.tally)
    attach_samples()
    return applicants


def seed_demo(*, with_cases: bool = True) -> SeedResult:
    """Organisation, demo accounts, applicants, catalogue and (once) the demo cases."""
    result = SeedResult()
    with transaction.atomic():
        applicants = _load_base(result)
        if with_cases:
            result.cases_created = build_demo_cases(applicants)
    return result


def demo_counts() -> list[tuple[str, int]]:
    """What the database now holds, for the summary."""
    return [
        ("行政区划", District.objects.count()),
        ("科室", Section.objects.count()),
        ("窗口", Window.objects.count()),
        ("审批事项", Matter.objects.count()),
        ("申请材料", MaterialRequirement.objects.count()),
        ("一件事套餐", Bundle.objects.count()),
        ("用户", User.objects.count()),
        ("申请人", Applicant.objects.count()),
        ("办件", Case.objects.count()),
    ]
