"""Template context shared by every page: bureau name, demo flag, the user's roles, and
the calendar years still missing (shown to bureau staff as a banner)."""

from django.conf import settings
from django.core.cache import cache

from portal.core.calendar import MISSING_YEARS_KEY, missing_years


def _missing_years_cached() -> list[int]:
    return cache.get_or_set(MISSING_YEARS_KEY, missing_years, timeout=300)


def portal(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    roles = user.role_codes if authenticated else frozenset()
    staff = authenticated and (user.is_bureau_staff or user.is_superuser)
    return {
        "BUREAU_NAME": settings.BUREAU_NAME,
        "ONESEAL_DEMO": getattr(settings, "ONESEAL_DEMO", False),
        "user_roles": roles,
        "calendar_missing_years": _missing_years_cached() if staff else [],
    }
