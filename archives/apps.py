"""Archives (一事项一存档): packages bound when a case ends, paper tracking, retention."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("档案")
