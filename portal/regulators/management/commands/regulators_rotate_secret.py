"""Rotate a regulator department's endpoint secret and print the new one (once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.regulators.models import RegulatorDepartment
from portal.regulators.services.departments import department_rotate_secret


class Command(BaseCommand):
    help = "Rotate the endpoint secret of a regulator department (by code); prints it once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("code")

    def handle(self, *args, code: str, **options) -> None:
        department = RegulatorDepartment.objects.filter(code=code).first()
        if department is None:
            raise CommandError(f"no regulator department with code {code!r}")
        secret = department_rotate_secret(department=department, by=None)
        department.refresh_from_db()
        self.stdout.write(f"{department.code} fingerprint {department.secret_fingerprint}")
        self.stdout.write(secret)
