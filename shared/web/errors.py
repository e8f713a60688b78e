"""Errors as HTTP answers, in the one JSON shape `{"error": {code, message, details}}`.

The web layer raises ApiError itself (auth, rate limits, request checks) and maps the refusals
of the layers below: the domain's (by their `code`) and the application's (Unavailable).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from shared.application.errors import Erased, LimitReached, Unavailable
from shared.domain.workflow.errors import DomainError

DOMAIN_STATUS = {"invalid": 422, "forbidden": 403, "conflict": 409, "not_found": 404}
Answer = tuple[Response, int] | tuple[Response, int, dict[str, str]]


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


def from_http_exception(error: HTTPException) -> ApiError:
    """A werkzeug/flask-smorest HTTP exception in the one error shape."""
    return ApiError(error.code or 500, (error.name or "error").lower().replace(" ", "_"), error.description or "")


def register_errors(app: Flask) -> None:
    """Answer every error of the app in the one JSON shape."""

    @app.errorhandler(ApiError)
    def on_api_error(error: ApiError) -> Answer:
        headers = {"Retry-After": str(error.details["retry_after_s"])} if error.status == 429 else {}
        return jsonify(error.body()), error.status, headers

    @app.errorhandler(DomainError)
    def on_domain_error(error: DomainError) -> Answer:
        status = DOMAIN_STATUS.get(error.code, 422)
        return jsonify(ApiError(status, error.code, error.message, error.details).body()), status

    @app.errorhandler(LimitReached)
    def on_limit_reached(error: LimitReached) -> Answer:
        return jsonify(ApiError(409, error.code, error.message, error.details).body()), 409

    @app.errorhandler(Erased)
    def on_erased(error: Erased) -> Answer:
        return jsonify(ApiError(409, error.code, error.message).body()), 409

    @app.errorhandler(Unavailable)
    def on_unavailable(error: Unavailable) -> Answer:
        return jsonify(unavailable(error.message).body()), 503

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception) -> Answer:
        if isinstance(error, HTTPException):
            answer = from_http_exception(error)
            return jsonify(answer.body()), answer.status
        app.logger.exception("unhandled error")
        return jsonify(ApiError(500, "internal", "internal error").body()), 500
