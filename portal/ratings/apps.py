"""好差评 with rectification and callbacks, random callback sampling, and risk alerts (内控)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "portal.ratings"
    label = "ratings"
    verbose_name = _("好差评与内控")

    def ready(self) -> None:
        from portal.notifications.deadlines.registry import deadline_source_register
        from portal.ratings.deadlines import RectificationDeadlines

        deadline_source_register(RectificationDeadlines())
