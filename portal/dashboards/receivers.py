"""Signal receivers: every save of a case (each transition saves it, and so do the clock
changes that move its promise outside a transition), of a stage pause and of an inspection
task asks for the case's dashboard fact to be refreshed when the transaction commits.
They only record ids; ``portal.dashboards.facts`` does the work after commit."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from approvals.models import Case, StagePause
from inspections.models import InspectionTask
from portal.dashboards.facts import fact_touch


@receiver(post_save, sender=Case, dispatch_uid="dashboards.case_saved")
def on_case_saved(sender, instance: Case, raw: bool = False, **kwargs) -> None:
    if not raw:
        fact_touch(case_id=instance.pk)


@receiver(post_save, sender=StagePause, dispatch_uid="dashboards.pause_saved")
def on_pause_saved(sender, instance: StagePause, raw: bool = False, **kwargs) -> None:
    if not raw:
        fact_touch(stage_id=instance.stage_id)


@receiver(post_save, sender=InspectionTask, dispatch_uid="dashboards.task_saved")
def on_task_saved(sender, instance: InspectionTask, raw: bool = False, **kwargs) -> None:
    if not raw:
        fact_touch(task_id=instance.pk)
