"""审管互动: decisions and licence events pushed to the regulator departments through an
outbox, claimed by the regulators' users, and the regulators' requests back."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulatorsConfig(AppConfig):
    name = "portal.regulators"
    label = "regulators"
    verbose_name = _("审管互动")

    def ready(self) -> None:
        from portal.notifications.deadlines.registry import deadline_source_register
        from portal.regulators import receivers
        from portal.regulators.deadlines import ClaimDeadlines

        receivers.connect()
        deadline_source_register(ClaimDeadlines())
