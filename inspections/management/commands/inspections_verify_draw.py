"""``manage.py inspections_verify_draw <draw id>``: recompute a recorded random draw of
inspectors from its seed and candidates. Exits 0 when the recorded result follows, 1 with
a message when it does not (the record was altered) or the draw does not exist."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspections.models import AssignmentDraw
from inspections.services import dispatch


class Command(BaseCommand):
    help = _("按抽取记录中的随机种子与候选人重算勘验员随机抽取，核对记录的抽中结果。")

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=int, help=_("抽取记录编号"))

    def handle(self, *args, **options):
        draw = AssignmentDraw.objects.select_related("task").filter(pk=options["draw_id"]).first()
        if draw is None:
            raise CommandError(_("第 {n} 号抽取记录不存在。").format(n=options["draw_id"]))
        recorded = list(draw.chosen)
        try:
            recomputed = dispatch.draw_choice(draw.eligible, draw.seed, draw.needed)
        except (TypeError, ValueError) as exc:
            raise CommandError(_("第 {n} 号抽取记录无法重算（{error}），记录可能已被改动。").format(
                n=draw.pk, error=exc)) from exc
        if recorded != recomputed:
            raise CommandError(_("第 {n} 号抽取记录（任务 {task}）与重算结果不符：记录抽中 {recorded}，"
                                 "按种子重算应为 {recomputed}。").format(
                n=draw.pk, task=draw.task.number, recorded=recorded, recomputed=recomputed))
        assigned_ok = sorted(draw.assignments.values_list("inspector_id", flat=True)) == sorted(
            recorded)
        if assigned_ok and not dispatch.draw_verify(draw):
            raise CommandError(_("第 {n} 号抽取记录（任务 {task}）与审计日志中抽取时记下的种子、候选人或结果"
                                 "不一致，记录可能已被改动。").format(n=draw.pk, task=draw.task.number))
        if not assigned_ok:
            assigned = sorted(draw.assignments.values_list("inspector_id", flat=True))
            raise CommandError(_("第 {n} 号抽取记录（任务 {task}）的抽中人员 {recorded} 与按该次抽取"
                                 "实际指派的人员 {assigned} 不一致，记录可能已被改动。").format(
                n=draw.pk, task=draw.task.number, recorded=recorded, assigned=assigned))
        self.stdout.write(_("第 {n} 号抽取记录（任务 {task}）复核一致：候选人 {eligible}，"
                            "按种子重算抽中 {chosen}。").format(
            n=draw.pk, task=draw.task.number, eligible=list(draw.eligible), chosen=recorded))
