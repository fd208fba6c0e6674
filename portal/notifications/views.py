"""Pages: the notification list (mark read, mark all read) and the channel preferences.
Each view validates input, selects, calls one service and redirects or renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.errors import ApplicationError
from portal.notifications import selectors, services


@login_required
def notification_list_page(request):
    unread = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=request.user, unread_only=unread)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread_only": unread,
        "unread_count": selectors.unread_count(user=request.user),
    })


@login_required
@require_POST
def notification_read(request, notification_id: int):
    """Mark read; then open its link if asked (``open=1``), else back to the list."""
    notification = selectors.notification_get(user=request.user,
                                              notification_id=notification_id)
    services.notification_mark_read(notification=notification, by=request.user)
    link = notification.link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(link)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request):
    marked = services.notification_mark_all_read(by=request.user)
    messages.success(request, _("已将 {n} 条消息标为已读。").format(n=marked))
    return redirect("notification-list")


@login_required
def notification_preferences_page(request):
    rows = selectors.preference_list(user=request.user)
    if request.method == "POST":
        changes = [{"event": row.event, "email": f"email_{row.event}" in request.POST,
                    "sms": f"sms_{row.event}" in request.POST} for row in rows]
        try:
            services.preferences_update(user=request.user, changes=changes)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {
        "rows": rows, "has_email": bool(request.user.email),
        "has_phone": bool(request.user.phone),
    })
