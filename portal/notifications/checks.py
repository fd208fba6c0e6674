"""System checks: a deployment with a development SMS backend delivers no SMS."""

from __future__ import annotations

from django.core.checks import Info, register

from portal.notifications.conf import setting

DEVELOPMENT_BACKENDS = {
    "portal.notifications.backends.sms.ConsoleSmsBackend",
    "portal.notifications.backends.sms.FileSmsBackend",
    "portal.notifications.backends.sms.LocmemSmsBackend",
}


@register(deploy=True)
def sms_backend_check(app_configs, **kwargs) -> list:
    backend = setting("ONESEAL_SMS_BACKEND")
    if backend in DEVELOPMENT_BACKENDS:
        return [Info(
            f"ONESEAL_SMS_BACKEND is {backend}: SMS are written locally, not delivered.",
            hint="Set ONESEAL_SMS_BACKEND to a gateway class (see "
                 "portal/notifications/backends/sms.py).",
            id="notifications.I001")]
    return []
