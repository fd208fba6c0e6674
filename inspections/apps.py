from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "勘验"

    def ready(self) -> None:
        from inspections.deadlines import RectificationDeadlines
        from portal.notifications.deadlines.registry import deadline_source_register

        deadline_source_register(RectificationDeadlines())
