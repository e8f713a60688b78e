"""OpenAPI additions every service shares: the error answers each operation can give, and limits.

An apispec plugin adds the documented error statuses (with the one error schema) to every
operation, so the spec says what a client can really get back.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from marshmallow import Schema, fields

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
ERRORS = {
    "400": "Malformed JSON",
    "401": "Missing, expired or invalid bearer token",
    "403": "Role, unit or recusal forbids it",
    "404": "Unknown id, or not visible to the caller",
    "413": "Request body larger than the limit",
    "422": "The body or query does not match the schema (field details)",
    "429": "Too many requests from this client (see details.retry_after_s)",
    "503": "The event log is unavailable; retry",
}
WRITE_ONLY = {"409": "The step is not active or was already decided, or another change came first"}


class ErrorResponsesPlugin(BasePlugin):
    """Adds the shared error responses to each operation that does not document them itself."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            errors = {**ERRORS, **(WRITE_ONLY if method in ("post", "put", "patch", "delete") else {})}
            for status, description in errors.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
                )


class ErrorBodySchema(Schema):
    code = fields.String()
    message = fields.String()
    details = fields.Raw()


class ErrorResponseSchema(Schema):
    """Every error: `{"error": {code, message, details}}`."""

    error = fields.Nested(ErrorBodySchema)
