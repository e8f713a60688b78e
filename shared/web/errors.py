"""Errors that become HTTP answers, in the one JSON shape `{"error": {code, message, details}}`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer other than success: status, a stable code, a message and optional details."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else {}

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def unavailable(message: str) -> ApiError:
    return ApiError(503, "unavailable", message)
