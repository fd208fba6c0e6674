"""The intake pages app: no models, only views, forms and templates over approvals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "portal.intake"
    label = "intake"
    verbose_name = _("受理门户")
