"""Queue a task without letting a broker outage break the caller.

Used from ``transaction.on_commit`` callbacks. Everything queued this way is also found
by a beat sweep over database state, except the case-transition notice, whose caller
passes a ``fallback`` that does the (small) work inline instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *, fallback: Callable[[], object] | None = None, **kwargs) -> bool:
    """``task.apply_async(kwargs=kwargs)``; on a broker error log it and run ``fallback``."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
        return True
    except (OperationalError, OSError):
        logger.warning("could not queue %s(%s): broker unreachable", task.name, kwargs,
                       exc_info=True)
        if fallback is not None:
            fallback()
        return False
