"""Who the bulk cases are for and who works on them.

Staff: a bureau-sized crew (counter clerks, reviewers per approval section, inspectors,
approvers, certifiers, archivists), created once and reused; a few reviewers also hold the
inspector role, so the generator must really keep duties apart. Applicants: persons and
organisations per industry with valid resident IDs / USCCs derived from their primary key
(unique across runs), most with a login for online filing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group

from approvals.demo.identity import bulk_resident_id, bulk_uscc, mobile_for
from approvals.demo.upsert import Tally, upsert
from portal.accounts.models import Applicant, Bureau, Section, User
from portal.accounts.roles import Role

NO_LOGIN = UNUSABLE_PASSWORD_PREFIX + "bulk-generated"  # an unusable password hash
STAFF_SIZES = {Role.CLERK: 12, Role.INSPECTOR: 14, Role.APPROVER: 4, Role.CERTIFIER: 4,
               Role.ARCHIVIST: 3}
REVIEWERS_PER_SECTION, DUAL_ROLE_PER_SECTION = 5, 1

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭薛卫柴畅景师贾杜"
GIVEN = "建国海峰晓东文华志刚秀英丽娟永红国庆伟强敏静磊洋芳军勇杰涛明超华平辉鑫宇浩然佳琪子涵"
BRANDS = ("福顺", "鑫源", "祥和", "聚德", "华盛", "康源", "金泰", "永兴", "晋丰", "盛世", "和美",
          "润泽", "瑞丰", "天禾", "乐康", "百味", "佳禾", "宏达", "新源", "三晋", "河东", "舜都")
STREETS = ("解放路", "人民路", "中银大道", "河东街", "槐东路", "红旗街", "府东街", "新建路",
           "建设路", "文化路", "振兴街", "学苑路", "盐湖大道", "工农路", "南风广场")
INDUSTRY_NAMES = {
    "餐饮服务": ("饭店", "餐饮管理有限公司", "小吃店", "面馆", "快餐店", "火锅店"),
    "食品生产": ("食品有限公司", "面业有限公司", "醋业有限公司"),
    "药品零售": ("大药房有限公司", "医药连锁有限公司"),
    "医疗器械": ("医疗器械有限公司", "医疗科技有限公司"),
    "出版物发行": ("图书发行有限公司", "书店有限公司"),
    "农药经营": ("农资有限公司", "农业科技有限公司", "植保服务部"),
    "危险化学品": ("化工贸易有限公司", "化工有限公司"),
    "住宿与生活服务": ("宾馆有限公司", "酒店管理有限公司", "洗浴中心", "美容美发店"),
    "医疗卫生": ("口腔门诊部有限公司", "中医门诊部", "综合门诊部有限公司"),
    "职业培训": ("教育咨询有限公司", "职业技能培训中心"),
}
SOLE_TRADER_SHARE = {"餐饮服务": 0.5, "住宿与生活服务": 0.3}  # USCC kind "92"
ONLINE_ACCOUNT_SHARE = {Applicant.Kind.PERSON: 0.6, Applicant.Kind.ORGANISATION: 0.85}

APPLICANT_COLUMNS = ("id", "kind", "name", "id_number", "legal_representative", "contact_name",
                     "phone", "address", "district_id", "industry", "user_id", "created_at",
                     "updated_at")
USER_COLUMNS = ("id", "password", "username", "is_active", "date_joined", "real_name", "phone")
USER_GROUP_COLUMNS = ("user_id", "group_id")


@dataclass(frozen=True)
class ApplicantRef:
    """What a case needs to know about its applicant."""

    id: int
    user_id: int | None
    district_id: int
    address: str
    name: str


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def staff_user(tally: Tally, username: str, roles: list[str], *, bureau: Bureau,
               section: Section | None, rng: random.Random) -> User:
    user = upsert(User, {"username": username}, {
        "real_name": person_name(rng), "phone": mobile_for(username), "bureau": bureau,
        "section": section, "employer": bureau.name, "password": NO_LOGIN}, tally)
    names = {str(r) for r in roles}
    if set(user.groups.values_list("name", flat=True)) != names:
        user.groups.set([Group.objects.get_or_create(name=n)[0] for n in names])
    return user


def ensure_staff(bureau: Bureau, sections: list[Section]) -> dict[str, list[int]]:
    """The bulk crew (idempotent). Returns user ids per role, reviewers per section id
    under ``"reviewer:<section id>"``."""
    rng, tally, pools = random.Random(7), Tally(), {}
    ky = Section.objects.filter(code="KY").first()
    for role, size in STAFF_SIZES.items():
        role = str(role)
        section = ky if role == Role.INSPECTOR else None
        pools[role] = [staff_user(tally, f"bulk-{role}-{i:02d}", [role], bureau=bureau,
                                  section=section, rng=rng).pk for i in range(1, size + 1)]
    for section in sections:
        key = f"reviewer:{section.pk}"
        pools[key] = []
        for i in range(1, REVIEWERS_PER_SECTION + 1):
            roles = [Role.REVIEWER] + ([Role.INSPECTOR] if i <= DUAL_ROLE_PER_SECTION else [])
            user = staff_user(tally, f"bulk-reviewer-{section.code.lower()}-{i:02d}", roles,
                              bureau=bureau, section=section, rng=rng)
            pools[key].append(user.pk)
            if Role.INSPECTOR in roles:
                pools[str(Role.INSPECTOR)].append(user.pk)
    return pools


def org_name(rng: random.Random, industry: str, place: str) -> str:
    suffix = rng.choice(INDUSTRY_NAMES.get(industry, ("商贸有限公司",)))
    return f"{place}{rng.choice(BRANDS)}{suffix}"


def address(rng: random.Random, district_name: str) -> str:
    return f"运城市{district_name}{rng.choice(STREETS)}{rng.randint(1, 460)}号"


def applicant_row(applicant_id: int, user_id: int | None, kind: str, industry: str,
                  district: tuple[int, str, str], rng: random.Random, at: datetime) -> tuple:
    """One applicant row; ``district`` is (id, code, name)."""
    district_id, code, district_name = district
    if kind == Applicant.Kind.PERSON:
        name = person_name(rng)
        id_number, legal = bulk_resident_id(code, applicant_id), ""
    else:
        name = org_name(rng, industry, district_name)
        sole = rng.random() < SOLE_TRADER_SHARE.get(industry, 0.0)
        id_number, legal = bulk_uscc("92" if sole else "91", code, applicant_id), person_name(rng)
    return (applicant_id, kind, name, id_number, legal, legal or name,
            mobile_for(f"bulk-applicant:{applicant_id}"), address(rng, district_name),
            district_id, industry, user_id, at, at)


def user_row(user_id: int, name: str, at: datetime) -> tuple:
    return (user_id, NO_LOGIN, f"bulk-a{user_id}", True, at, name,
            mobile_for(f"bulk-user:{user_id}"))
