"""Template context shared by every page: bureau name, demo flag, the user's roles."""

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    roles = user.role_codes if user is not None and user.is_authenticated else frozenset()
    return {
        "BUREAU_NAME": settings.BUREAU_NAME,
        "ONESEAL_DEMO": getattr(settings, "ONESEAL_DEMO", False),
        "user_roles": roles,
    }
