"""Refusals of the workflow. Each carries a stable `code` the HTTP layer maps to a status."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A command refused by the workflow, with a human `message` and optional field `details`."""

    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = dict(details or {})

    def as_dict(self) -> dict[str, Any]:
        """The error as `{"code", "message", "details"}`, the body of an HTTP error."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"


class Invalid(DomainError):
    """The command itself is malformed or breaks a content rule (HTTP 422)."""

    code = "invalid"


class Forbidden(DomainError):
    """The actor may not issue this command: role, unit scope or recusal (HTTP 403)."""

    code = "forbidden"


class Conflict(DomainError):
    """The command does not fit the nomination's current state, e.g. terminal or stale (HTTP 409)."""

    code = "conflict"


class NotFound(DomainError):
    """The nomination does not exist (HTTP 404)."""

    code = "not_found"
