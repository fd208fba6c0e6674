"""``manage.py seed_bulk --cases N``: realistic volume for benchmarks.

Generates applicants, cases across the catalogue's matters, districts and statuses over
the last months, with consistent status history, stage clocks and participants, written
in batches (PostgreSQL COPY, or ``bulk_create``) without going through the per-case
services. No audit entries are written (see bench/README.md). Refused outside demo
settings unless ``--i-know``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from approvals.demo.checks import case_problems
from approvals.demo.seed import seed_demo
from approvals.models import Case, Matter
from bench.management.bulk.run import Options, analyze, generate

VERIFY_SAMPLE = 2000


class Command(BaseCommand):
    help = _("生成基准测试用的大批量办件数据（申请人、办件、状态记录、环节时限、经办人）。")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help=_("生成办件数"))
        parser.add_argument("--seed", type=int, default=20261122, help=_("随机种子"))
        parser.add_argument("--batch", type=int, default=5000, help=_("每批（每个事务）办件数"))
        parser.add_argument("--months", type=int, default=18, help=_("时间跨度（月）"))
        parser.add_argument("--writer", choices=["auto", "copy", "orm"], default="auto",
                            help=_("写入方式：copy（PostgreSQL COPY）、orm（bulk_create）"))
        parser.add_argument("--writers", type=int, default=1,
                            help=_("PostgreSQL：并行写入连接数（生成在主线程，写入在后台线程）"))
        parser.add_argument("--skip-fk-checks", action="store_true",
                            help=_("PostgreSQL：批量写入时不逐行检查外键（需超级用户；"
                                   "生成器本身保证引用完整，可配合 --verify 抽查）"))
        parser.add_argument("--verify", action="store_true",
                            help=_("生成后抽查办件的一致性（状态记录、经办人、四分离、时限）"))
        parser.add_argument("--i-know", action="store_true",
                            help=_("确认在非演示环境（如生产库）中写入基准数据"))

    def handle(self, *args, **options):
        self._refuse_or_prepare(options)
        opts = Options(cases=options["cases"], seed=options["seed"], batch=options["batch"],
                       months=options["months"], writer=options["writer"],
                       skip_fk_checks=options["skip_fk_checks"], writers=options["writers"])
        report = generate(opts, self._progress)
        analyze()
        if options["verify"]:
            self._verify(report)
        rate = report.cases / report.seconds if report.seconds else 0.0
        self.stdout.write(_("完成：{n} 件办件，共 {rows} 行，用时 {s:.1f} 秒，{rate:.0f} 件/秒，"
                            "{rrate:.0f} 行/秒（写入方式 {w}）。").format(
            n=report.cases, rows=report.rows, s=report.seconds, rate=rate,
            rrate=report.rows / report.seconds if report.seconds else 0.0, w=report.writer))

    def _refuse_or_prepare(self, options) -> None:
        if min(options["cases"], options["batch"], options["months"], options["writers"]) < 1:
            raise CommandError(_("--cases、--batch、--months 和 --writers 须为正整数。"))
        demo = getattr(settings, "ONESEAL_DEMO", False)
        if not demo and not options["i_know"]:
            raise CommandError(_("当前不是演示环境（ONESEAL_DEMO 未开启），拒绝写入基准数据；"
                                 "确需写入请加 --i-know。"))
        if not Matter.objects.filter(is_active=True).exists():
            if not demo:
                raise CommandError(_("事项清单为空：请先在演示环境运行 seed_demo。"))
            self.stdout.write(_("事项清单为空，先加载演示事项清单（seed_demo --no-cases）。"))
            seed_demo(with_cases=False)

    def _progress(self, done: int, seconds: float) -> None:
        self.stdout.write(_("已生成 {n} 件，{s:.1f} 秒，{rate:.0f} 件/秒").format(
            n=done, s=seconds, rate=done / seconds if seconds else 0.0))

    def _verify(self, report) -> None:
        ids = list(Case.objects.filter(pk__gte=report.first_case_id, pk__lte=report.last_case_id)
                   .order_by("?").values_list("pk", flat=True)[:VERIFY_SAMPLE])
        problems = case_problems(ids)
        for problem in problems[:20]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("一致性检查发现 {n} 处问题。").format(n=len(problems)))
        self.stdout.write(_("一致性检查通过：抽查 {n} 件。").format(n=len(ids)))
