"""The public licence verification page (/verify/<code>/): no login, rate-limited, shows
only what is printed on the licence's face and its current status."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from approvals.models import Certificate

RATE_LIMIT = 30  # look-ups per client address per minute
STATUS_TEXT = {
    "valid": _("有效"), "superseded": _("已变更：本版本已被新版本取代"),
    "cancelled": _("已注销"), "revoked": _("已撤销"), "expired": _("已过期"),
}


def _client(request) -> str:
    """The client address. X-Forwarded-For is trusted only behind the configured proxies
    (production), where the last hop the proxy adds is the client; otherwise anyone could
    rotate the header to escape the limit."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if h.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limited(request) -> bool:
    key = f"oneseal:verify:{_client(request)}"
    added = cache.add(key, 1, timeout=60)
    count = 1 if added else cache.incr(key)
    return count > RATE_LIMIT


def certificate_public(code: str) -> Certificate | None:
    return Certificate.objects.select_related("next_version").filter(verify_code=code).first()


@never_cache
def verify_page(request, code: str) -> HttpResponse:
    if rate_limited(request):
        return HttpResponse(_("查询过于频繁，请一分钟后再试。"), status=429,
                            content_type="text/plain; charset=utf-8")
    cert = certificate_public(code)
    status = 404 if cert is None else 200
    context = {"cert": cert}
    if cert is not None:
        context["public_status"] = cert.public_status
        context["status_text"] = STATUS_TEXT[cert.public_status]
        newer = getattr(cert, "next_version", None)
        context["newer_code"] = newer.verify_code if newer else ""
    response = render(request, "approvals/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
