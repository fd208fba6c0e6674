"""The allowed moves of a rectification item (the graph is drawn in
``portal.ratings.models.ratings``). Pure data and one check; the services lock the row,
call ``move`` and record what happened."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import ConflictError
from portal.ratings.models.ratings import RectificationStatus as R

#: action -> (states it may start from, state it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": ((R.OPEN, R.ASSIGNED), R.ASSIGNED),
    "answer": ((R.ASSIGNED,), R.ANSWERED),
    "close": ((R.ANSWERED,), R.CLOSED),
    "reopen": ((R.ANSWERED,), R.ASSIGNED),
    "dismiss": ((R.OPEN, R.ASSIGNED, R.ANSWERED), R.DISMISSED),
    "appeal": ((R.DISMISSED,), R.APPEALED),
    "uphold": ((R.APPEALED,), R.UPHELD),
    "overturn": ((R.APPEALED,), R.OPEN),
}

LABELS = {
    "assign": gettext_lazy("分派承办人"), "answer": gettext_lazy("答复整改情况"),
    "close": gettext_lazy("回访办结"), "reopen": gettext_lazy("回访不满意，重新整改"),
    "dismiss": gettext_lazy("不予整改"), "appeal": gettext_lazy("申诉复核"),
    "uphold": gettext_lazy("复核维持"), "overturn": gettext_lazy("复核撤销"),
}


def allowed(action: str, status: str) -> bool:
    return status in MOVES[action][0]


def move(item, action: str) -> None:
    """Set ``item.status`` for ``action``, or refuse with the item's current state."""
    sources, target = MOVES[action]
    if item.status not in sources:
        raise ConflictError(_("整改事项当前状态为“{status}”，不能{action}。").format(
            status=item.get_status_display(), action=LABELS[action]), "invalid_state")
    item.status = target
