"""Recreate the dashboard facts and tallies from the case records (set-based SQL)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.dashboards.models import CaseFact, DailyTally
from portal.dashboards.rebuild import rebuild


class Command(BaseCommand):
    help = _("重建统计看板的办件事实表和日/月统计表（批量导入数据后运行）")

    def handle(self, *args, **options):
        steps = rebuild(log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS(_(
            "完成：{facts} 条办件事实，{days} 条日统计，用时 {s:.1f} 秒。").format(
                facts=CaseFact.objects.count(), days=DailyTally.objects.count(),
                s=sum(steps.values()))))
