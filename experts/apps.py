"""Experts (专家库): the pool, verifiable random draws, review meetings."""
from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "专家"

    def ready(self) -> None:
        from experts.deadlines import InvitationDeadlines
        from portal.notifications.deadlines.registry import deadline_source_register

        deadline_source_register(InvitationDeadlines())
