"""Refusals of the application layer that are not the domain's: the web layer maps them to HTTP.

The domain's refusals (`shared.domain.workflow.errors`: Invalid, Forbidden, Conflict, NotFound)
pass through the application unchanged.
"""

from __future__ import annotations


class Unavailable(Exception):
    """The event log cannot be reached, or this process has not caught up with it in time: the
    outcome is unknown and the caller may retry (HTTP 503)."""

    code = "unavailable"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LimitReached(Exception):
    """A cap on what one person may hold open is reached, e.g. open nominations per cadre (HTTP
    409 with its own `code`): finish or withdraw something first."""

    def __init__(self, code: str, message: str, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = dict(details or {})


class Erased(Exception):
    """A text about a person who was erased cannot be recorded: their key was destroyed for good,
    and nothing new of theirs is kept (HTTP 409 `person_erased`)."""

    code = "person_erased"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
