"""Demo data of the expert pool: fields of expertise tied to the demo matters that need an
expert review, and a small pool (郑专家 linked to the demo ``expert`` login). Idempotent:
a second run changes no row. Called from the demo seed with
``experts.demo.load_expert_pool(tally)`` after the catalogue and the accounts are loaded."""

from __future__ import annotations

from approvals.demo.upsert import Tally, upsert
from approvals.models import Matter
from experts.models import Expert, ExpertField
from portal.accounts.models import User

#: name -> (industry, matter codes usually reviewed by this field)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "放射卫生": ("医疗卫生", ("SW-RAD-01",)),
    "医学影像": ("医疗卫生", ("SW-RAD-01",)),
    "职业培训": ("职业培训", ("SW-EDU-01",)),
    "消防安全": ("安全生产", ()),
    "食品安全": ("餐饮服务", ()),
}

#: (phone, name, fields, employer, title, qualifications, login)
EXPERTS: list[tuple[str, str, tuple[str, ...], str, str, str, str]] = [
    ("13935900001", "郑专家", ("放射卫生", "医学影像"), "运城市中心医院", "主任医师",
     "放射医学副教授；放射诊疗建设项目评价专家", "expert"),
    ("13935900002", "韩立新", ("放射卫生",), "山西省疾病预防控制中心", "研究员",
     "放射卫生技术服务机构资质评审员", ""),
    ("13935900003", "杜文静", ("医学影像",), "运城市第一医院", "副主任医师", "医学影像学博士", ""),
    ("13935900004", "马晓光", ("放射卫生", "消防安全"), "运城学院", "教授", "辐射防护注册核安全工程师", ""),
    ("13935900005", "王丽萍", ("放射卫生",), "运城市职业病防治所", "主管技师", "放射防护检测上岗证", ""),
    ("13935900006", "李建国", ("职业培训",), "运城职业技术大学", "教授", "国家职业技能鉴定考评员", ""),
    ("13935900007", "赵敏", ("职业培训",), "山西省人社厅职业能力建设中心", "高级讲师",
     "民办职业培训学校评估专家", ""),
    ("13935900008", "孙志远", ("职业培训", "消防安全"), "运城市消防救援支队", "高级工程师",
     "注册消防工程师（一级）", ""),
    ("13935900009", "周慧", ("职业培训",), "河津市职业中学", "高级教师", "职业教育督导评估专家", ""),
    ("13935900010", "吴国庆", ("食品安全",), "运城市食品检验检测中心", "高级工程师", "食品检验师", ""),
]


def load_expert_pool(tally: Tally | None = None) -> Tally:
    tally = tally or Tally()
    fields = {}
    for name, (industry, codes) in FIELDS.items():
        field = upsert(ExpertField, {"name": name}, {"industry": industry}, tally)
        matters = list(Matter.objects.filter(code__in=codes))
        missing = [m for m in matters if not field.matters.filter(pk=m.pk).exists()]
        if missing:
            field.matters.add(*missing)
        fields[name] = field
    for phone, name, names, employer, title, qualifications, login in EXPERTS:
        user = User.objects.filter(username=login).first() if login else None
        expert = upsert(Expert, {"phone": phone}, {
            "name": name, "employer": employer, "title": title,
            "qualifications": qualifications, "active": True, "user": user,
            "industries": sorted({fields[n].industry for n in names})}, tally)
        wanted = {fields[n].pk for n in names}
        if set(expert.fields.values_list("pk", flat=True)) != wanted:
            expert.fields.set(wanted)
    return tally
