"""The registry of deadline sources. A feature with deadlines registers a source once
(in its AppConfig.ready) and the sweep and ``deadline_status`` pick it up:

    from portal.notifications.deadlines.registry import Deadline, deadline_source_register

    class RectificationDeadlines:
        code = "inspections.rectification"
        def open_deadlines(self, *, horizon=None, case=None): ...  # -> Iterable[Deadline]
        def recipients(self, deadline, level): ...                # -> Iterable[User]

    deadline_source_register(RectificationDeadlines())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from portal.accounts.models import User


@dataclass(frozen=True)
class Deadline:
    """One open deadline of one object."""

    source: str
    object_id: int
    due: date
    #: the limit in working days (for the percentage threshold), if there is one
    limit: int | None
    #: short label for the case page and messages, e.g. "审查环节"
    label: str
    case_id: int | None = None
    #: the clock is stopped now (no alert; shown as paused)
    paused: bool = False
    #: levels at which the applicant side of the case is told too (e.g. 容缺 promises)
    applicant_levels: frozenset[str] = field(default_factory=frozenset)


class DeadlineSource(Protocol):
    code: str

    def open_deadlines(self, *, horizon: date | None = None,
                       case=None) -> Iterable[Deadline]:
        """Open deadlines due by ``horizon`` (all if None), of one ``case`` if given."""

    def recipients(self, deadline: Deadline, level: str) -> Iterable[User]:
        """Bureau staff to notify of ``level`` (yellow, red, escalation)."""


_SOURCES: dict[str, DeadlineSource] = {}


def deadline_source_register(source: DeadlineSource) -> DeadlineSource:
    """Add (or replace, by ``code``) a source of deadlines."""
    _SOURCES[source.code] = source
    return source


def deadline_source_unregister(code: str) -> None:
    _SOURCES.pop(code, None)


def deadline_sources() -> list[DeadlineSource]:
    return list(_SOURCES.values())
