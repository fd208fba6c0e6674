"""Demo accounts (one per role), loaded by ``seed_demo`` and listed on the demo login page."""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.roles import Role

DEMO_PASSWORD = "oneseal-demo"  # noqa: S105 - documented demo accounts, demo mode only
#: The demo system administrator (Django admin: catalogue, calendar, users).
DEMO_ADMIN = "admin"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    real_name: str
    section: str = ""  # section code for section staff


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("applicant", Role.APPLICANT, "张明"),
    DemoUser("company", Role.APPLICANT, "运城市盐湖区好味道餐饮有限公司"),
    DemoUser("agent", Role.AGENT, "李帮办"),
    DemoUser("clerk", Role.CLERK, "王受理"),
    DemoUser("clerk2", Role.CLERK, "赵受理"),
    DemoUser("reviewer", Role.REVIEWER, "陈审查", "SC"),
    DemoUser("reviewer2", Role.REVIEWER, "刘审查", "SW"),
    DemoUser("reviewer3", Role.REVIEWER, "杨审查", "TJ"),
    DemoUser("dispatcher", Role.DISPATCHER, "孙调度", "KY"),
    DemoUser("inspector", Role.INSPECTOR, "周勘验", "KY"),
    DemoUser("inspector2", Role.INSPECTOR, "吴勘验", "KY"),
    DemoUser("inspector3", Role.INSPECTOR, "钱勘验", "KY"),
    DemoUser("inspector4", Role.INSPECTOR, "何勘验", "KY"),
    DemoUser("expert", Role.EXPERT, "郑专家"),
    DemoUser("approver", Role.APPROVER, "冯审批"),
    DemoUser("certifier", Role.CERTIFIER, "褚制证"),
    DemoUser("archivist", Role.ARCHIVIST, "卫档案"),
    DemoUser("supervisor", Role.SUPERVISOR, "蒋督查"),
    DemoUser("regulator", Role.REGULATOR, "沈监管"),
)
