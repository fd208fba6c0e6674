"""Factories for tests. ``CaseFactory`` makes drafts; ``drive`` walks a case to a state
through the real services, so every case in a test got there by the rules."""

from __future__ import annotations

import itertools
import random

import factory
from django.contrib.auth.models import Group

from approvals.models import Case, MaterialRequirement, Matter
from portal.accounts.models import Applicant, Bureau, Section, User
from tests.factories import ids

_rng = random.Random(20261122)
_seq = itertools.count(1)


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("name",)

    name = "测试市行政审批服务局"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("code",)

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"审批{n}科")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = "13800138000"
    password = factory.PostGenerationMethodCall("set_password", "pw-12345678")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=role)[0])
            self.__dict__.pop("role_codes", None)
        if create:
            self.save()


def staff(role: str, **kwargs) -> User:
    return UserFactory(roles=[role], username=f"{role}{next(_seq)}", **kwargs)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = Applicant.Kind.PERSON
    name = factory.Sequence(lambda n: f"申请人{n}")
    id_number = factory.LazyFunction(lambda: ids.resident_id(_rng))
    phone = "13912345678"
    address = "运城市盐湖区解放路100号"
    user = factory.SubFactory(UserFactory, roles=["applicant"])

    class Params:
        organisation = factory.Trait(kind=Applicant.Kind.ORGANISATION,
                                     id_number=factory.LazyFunction(lambda: ids.uscc(_rng)))


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter

    code = factory.Sequence(lambda n: f"TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    section = factory.SubFactory(SectionFactory)
    statutory_days = 20
    promised_days = 5
    needs_inspection = False

    class Params:
        inspected = factory.Trait(needs_inspection=True, inspection_onsite=True,
                                  inspection_video=True)
        instant = factory.Trait(single_approver=True, promised_days=0)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialRequirement

    matter = factory.SubFactory(MatterFactory)
    name = factory.Sequence(lambda n: f"材料{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    matter = factory.SubFactory(MatterFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    created_by = factory.LazyAttribute(lambda o: o.applicant.user)
    title = "测试项目"
