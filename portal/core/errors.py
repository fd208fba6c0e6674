"""The one error type for business refusals.

Services raise ``ApplicationError``; the API handler turns it into ``{"code", "detail"}``
with its HTTP status, and pages show its message as a form error.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A refusal the user can act on. ``message`` is shown to the user (Chinese via gettext)."""

    status = 400

    def __init__(self, message: str, code: str = "invalid", *, status: int | None = None,
                 extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        if status is not None:
            self.status = status
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message


class PermissionRefused(ApplicationError):
    """The user may not do this (role, ownership or separation of duties)."""

    status = 403


class ConflictError(ApplicationError):
    """The object is not in a state that allows this (or changed under our feet)."""

    status = 409
