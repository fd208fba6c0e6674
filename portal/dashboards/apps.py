"""Supervisor dashboards (督查): figures, drill-down, the district map and ledger exports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "portal.dashboards"
    label = "dashboards"
    verbose_name = _("监督看板")

    def ready(self) -> None:
        from portal.dashboards import receivers  # noqa: F401
