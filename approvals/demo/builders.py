"""Builders: load the demo data modules into the database, idempotently.

Each ``load_*`` function brings its rows to the data (create or update what differs) and
counts what it did in a ``Tally``. The single-approver flag of a matter goes through
``matter_set_single_approver`` so the exception is recorded as an administrator's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group

from approvals.demo import catalogue, identity, organisation, people
from approvals.demo.upsert import Tally, upsert
from approvals.models import Bundle, BundleItem, MaterialRequirement, Matter
from approvals.services import matter_set_single_approver
from portal.accounts import validators
from portal.accounts.demo import DEMO_ADMIN, DEMO_PASSWORD, DEMO_USERS
from portal.accounts.models import Applicant, Bureau, District, Section, User, Window
from portal.accounts.roles import STAFF_ROLES

SINGLE_APPROVER_REASON = "演示数据：法律关系明确、无需现场核查的即办件，实行独任审批（seed_demo）"


@dataclass
class Org:
    bureau: Bureau
    districts: dict[str, District]
    sections: dict[str, Section]
    windows: dict[str, Window]


def load_organisation(tally: Tally) -> Org:
    city_code, city_name = organisation.CITY
    city = upsert(District, {"code": city_code}, {"name": city_name, "parent": None}, tally)
    districts = {city_code: city}
    for code, name in organisation.DISTRICTS:
        districts[code] = upsert(District, {"code": code}, {"name": name, "parent": city}, tally)
    data = organisation.BUREAU
    bureau = upsert(Bureau, {"name": settings.BUREAU_NAME}, {
        "uscc": identity.uscc(data["uscc_kind"], city_code, data["uscc_body"]),
        "district": districts[data["district"]], "address": data["address"],
        "phone": data["phone"]}, tally)
    sections = {code: upsert(Section, {"code": code}, {"bureau": bureau, "name": name}, tally)
                for code, name in organisation.SECTIONS}
    windows = {number: upsert(Window, {"bureau": bureau, "number": number},
                              {"name": name, "district": districts.get(district)}, tally)
               for number, name, district in organisation.WINDOWS}
    return Org(bureau, districts, sections, windows)


def demo_accounts():
    """Every demo account with a role (the administrator is added by ``load_users``)."""
    return DEMO_USERS


def _user_values(demo, org: Org) -> dict:
    section_code, window_no = people.STAFF_PLACEMENT.get(demo.username, (demo.section, ""))
    staff = demo.role in STAFF_ROLES
    return {
        "real_name": demo.real_name,
        "phone": identity.mobile_for(f"demo:{demo.username}"),
        "employer": org.bureau.name if staff else people.EMPLOYERS.get(demo.username, ""),
        "bureau": org.bureau if staff else None,
        "section": org.sections.get(demo.section or section_code),
        "window": org.windows.get(window_no),
        "is_active": True,
    }


def set_demo_passwords(users: list[User]) -> None:
    """Give every demo account ``DEMO_PASSWORD``, hashing (and verifying) as rarely as
    possible: accounts share one hash, so a re-run costs one verification, not one each."""
    verified: dict[str, bool] = {}
    shared = ""
    for user in users:
        if user.password not in verified:
            verified[user.password] = bool(user.password) and check_password(
                DEMO_PASSWORD, user.password)
        if not verified[user.password]:
            shared = shared or make_password(DEMO_PASSWORD)
            user.password = shared
            user.save(update_fields=["password"])


def load_users(tally: Tally, org: Org) -> dict[str, User]:
    users = {}
    for demo in demo_accounts():
        user = upsert(User, {"username": demo.username}, _user_values(demo, org), tally)
        group, _ = Group.objects.get_or_create(name=demo.role)
        if list(user.groups.values_list("name", flat=True)) != [demo.role]:
            user.groups.set([group])
        users[demo.username] = user
    users[DEMO_ADMIN] = upsert(User, {"username": DEMO_ADMIN}, {
        "real_name": "系统管理员", "is_staff": True, "is_superuser": True, "is_active": True,
        "bureau": org.bureau}, tally)
    set_demo_passwords(list(users.values()))
    return users


def applicant_id_number(parts: tuple) -> str:
    if parts[0] == Applicant.Kind.PERSON:
        _, region, born, seq = parts
        return identity.resident_id(region, born, seq)
    _, kind, region, body = parts
    return identity.uscc(kind, region, body)


def load_applicants(tally: Tally, org: Org, users: dict[str, User]) -> dict[str, Applicant]:
    applicants = {}
    for data in people.APPLICANTS:
        kind, id_number = data["identity"][0], applicant_id_number(data["identity"])
        validators.validate_applicant_identity(kind, id_number)
        values = {
            "name": data["name"], "phone": identity.mobile_for(f"applicant:{data['key']}"),
            "legal_representative": data.get("legal_representative", ""),
            "contact_name": data.get("contact_name", ""), "address": data["address"],
            "district": org.districts[data["district"]], "industry": data["industry"],
            "user": users.get(data["login"]),
            "premises_latitude": Decimal(data["premises"][0]),
            "premises_longitude": Decimal(data["premises"][1]),
        }
        applicants[data["key"]] = upsert(
            Applicant, {"kind": kind, "id_number": id_number}, values, tally)
    return applicants


def _matter_values(data: dict, org: Org) -> dict:
    modes = set(data["inspection_modes"])
    skip = {"code", "section", "inspection_modes", "materials", "single_approver"}
    values = {k: v for k, v in data.items() if k not in skip}
    values.update(section=org.sections[data["section"]],
                  inspection_video="video" in modes, inspection_onsite="onsite" in modes,
                  inspection_rectification_only="rectification" in modes, is_active=True)
    return values


_KINDS = {catalogue.REQUIRED: (True, False), catalogue.TOLERABLE: (True, True),
          catalogue.OPTIONAL: (False, False)}


def load_materials(tally: Tally, matter: Matter, materials: list[tuple]) -> None:
    for order, (name, kind, copies, description) in enumerate(materials, start=1):
        required, tolerable = _KINDS[kind]
        upsert(MaterialRequirement, {"matter": matter, "name": name},
               {"required": required, "tolerable": tolerable, "copies": copies,
                "description": description, "order": order}, tally)


def load_catalogue(tally: Tally, org: Org, *, configured_by: User | None) -> dict[str, Matter]:
    matters = {}
    for data in catalogue.MATTERS:
        matter = upsert(Matter, {"code": data["code"]}, _matter_values(data, org), tally)
        load_materials(tally, matter, data["materials"])
        matters[data["code"]] = matter_set_single_approver(
            matter=matter, enabled=data["single_approver"], by=configured_by,
            reason=SINGLE_APPROVER_REASON)
    for data in catalogue.BUNDLES:
        bundle = upsert(Bundle, {"code": data["code"]}, {
            "name": data["name"], "description": data["description"],
            "integrated_licence": data["integrated_licence"], "is_active": True}, tally)
        for order, code in enumerate(data["matters"], start=1):
            upsert(BundleItem, {"bundle": bundle, "matter": matters[code]}, {"order": order}, tally)
    return matters
