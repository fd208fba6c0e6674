"""Departments' endpoint secrets: made when the department is created, rotated on
demand. The plain secret is returned once, to be handed to the department; only the
encrypted form and a fingerprint are kept. After a rotation the previous secret still
signs (a second header) for a grace period, so the department can switch without
missing deliveries."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.core.audit import audit_log
from portal.regulators import secretbox
from portal.regulators.conf import setting
from portal.regulators.models import RegulatorDepartment


def department_create(*, name: str, code: str, by=None, endpoint_url: str = "",
                      claim_days: int | None = None, industries: list[str] | None = None,
                      matters=()) -> tuple[RegulatorDepartment, str]:
    """A new department with a fresh secret; returns (department, the secret, once)."""
    secret = secretbox.new_secret()
    with transaction.atomic():
        department = RegulatorDepartment(
            name=name, code=code, endpoint_url=endpoint_url, industries=industries or [],
            secret_sealed=secretbox.seal(secret),
            secret_fingerprint=secretbox.fingerprint(secret),
            secret_rotated_at=timezone.now())
        if claim_days is not None:
            department.claim_days = claim_days
        department.full_clean()
        department.save()
        department.matters.set(matters)
        audit_log(action="regulators.department_create", actor=by, obj=department,
                  after={"code": code, "endpoint": endpoint_url,
                         "fingerprint": department.secret_fingerprint})
    return department, secret


def department_secret_set(department: RegulatorDepartment, secret: str, *,
                          grace: timedelta | None = None) -> None:
    """Install ``secret`` (unsaved); the old one signs too for ``grace``."""
    if department.secret_sealed and grace:
        department.previous_secret_sealed = department.secret_sealed
        department.previous_secret_until = timezone.now() + grace
    department.secret_sealed = secretbox.seal(secret)
    department.secret_fingerprint = secretbox.fingerprint(secret)
    department.secret_rotated_at = timezone.now()


def department_rotate_secret(*, department: RegulatorDepartment, by) -> str:
    """A new secret for the department; returns it (shown once)."""
    secret = secretbox.new_secret()
    grace = timedelta(hours=setting("ONESEAL_REGULATORS_SECRET_GRACE_HOURS"))
    with transaction.atomic():
        department = RegulatorDepartment.objects.select_for_update().get(pk=department.pk)
        before = department.secret_fingerprint
        department_secret_set(department, secret, grace=grace)
        department.save(update_fields=["secret_sealed", "secret_fingerprint",
                                       "secret_rotated_at", "previous_secret_sealed",
                                       "previous_secret_until", "updated_at"])
        audit_log(action="regulators.secret_rotate", actor=by, obj=department,
                  before={"fingerprint": before},
                  after={"fingerprint": department.secret_fingerprint,
                         "previous_valid_until": department.previous_secret_until})
    return secret
