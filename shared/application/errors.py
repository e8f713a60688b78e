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
