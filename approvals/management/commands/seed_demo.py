"""``manage.py seed_demo``: load the demo bureau, accounts, catalogue and cases.

Idempotent (a second run changes nothing) and refused unless ``settings.ONESEAL_DEMO`` is
true, so it can never write demo accounts with a published password into production.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from approvals.demo.builders import demo_accounts
from approvals.demo.seed import demo_counts, seed_demo
from portal.accounts.demo import DEMO_PASSWORD
from portal.accounts.models import User
from portal.accounts.roles import Role


def refuse_unless_demo() -> None:
    if not getattr(settings, "ONESEAL_DEMO", False):
        raise CommandError(_("当前不是演示环境（ONESEAL_DEMO 未开启），拒绝写入演示数据。"
                             "演示账号使用公开密码，不得在生产环境中创建。"))


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)


class Command(BaseCommand):
    help = _("加载演示数据：审批局、科室、窗口、行政区划、演示账号、事项清单、一件事套餐和演示办件（可重复运行）。")

    def add_arguments(self, parser):
        parser.add_argument("--no-cases", action="store_true",
                            help=_("只加载组织、账号和事项清单，不创建演示办件"))

    def handle(self, *args, **options):
        refuse_unless_demo()
        if not options["no_cases"]:  # demo cases are issued as signed licences
            call_command("pki_init_demo", stdout=self.stdout)
        result = seed_demo(with_cases=not options["no_cases"])
        tally = result.tally
        self.stdout.write(_("新建 {c} 条，更新 {u} 条，未变 {n} 条；新建演示办件 {k} 件。").format(
            c=tally.total("created"), u=tally.total("updated"), n=tally.total("unchanged"),
            k=result.cases_created))
        self.stdout.write(_("数据库现有：") + "，".join(f"{label} {n}" for label, n in demo_counts()))
        self._accounts_table()

    def _accounts_table(self) -> None:
        labels = dict(Role.choices)
        users = {u.username: u for u in User.objects.select_related("section", "window")
                 .filter(username__in=[d.username for d in demo_accounts()])}
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码均为 {pw}）：").format(pw=DEMO_PASSWORD))
        self.stdout.write(pad(_("用户名"), 12) + pad(_("角色"), 16) + pad(_("姓名"), 32)
                          + _("科室/窗口"))
        for demo in demo_accounts():
            user = users[demo.username]
            place = " ".join(str(x) for x in (user.section and user.section.name,
                                              user.window) if x)
            self.stdout.write(pad(demo.username, 12) + pad(str(labels[demo.role]), 16)
                              + pad(demo.real_name, 32) + place)
