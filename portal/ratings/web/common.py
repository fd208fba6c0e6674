"""Helpers shared by the pages: look-ups that hide what the user may not see (404), and a
service refusal shown as a message."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404

from approvals.models import Case
from portal.ratings import selectors
from portal.ratings.permissions import (
    can_view_alert,
    can_view_callback_task,
    can_view_rectification,
)


def case_get(case_id: int) -> Case:
    case = (Case.objects.select_related("matter__section", "applicant__user")
            .filter(pk=case_id).first())
    if case is None:
        raise Http404
    return case


def rectification_get(user, item_id: int):
    item = selectors.rectification_detail(item_id)
    if item is None or not can_view_rectification(user, item):
        raise Http404
    return item


def callback_task_get(user, task_id: int):
    task = selectors.callback_task_detail(task_id)
    if task is None or not can_view_callback_task(user, task):
        raise Http404
    return task


def alert_get(user, alert_id: int):
    alert = selectors.alert_detail(alert_id)
    if alert is None or not can_view_alert(user, alert):
        raise Http404
    return alert


def refuse(request, exc) -> None:
    messages.error(request, exc.message)


def query_string(data: dict) -> str:
    """Filters as a query string prefix for the pager ("a=1&b=2&")."""
    from urllib.parse import urlencode

    pairs = {k: v for k, v in data.items() if v not in (None, "")}
    return urlencode(pairs) + "&" if pairs else ""
