"""Notification settings with their defaults (portal/settings/sections/notifications.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from portal.settings.sections import notifications as defaults


def setting(name: str) -> Any:
    """``settings.<name>``, or the section's default where the section is not imported."""
    return getattr(settings, name, getattr(defaults, name))
