"""The Flask app factory every service shares: JSON errors, auth, health, metrics, OpenAPI."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from shared.config import Config
from shared.metrics import render, service_metrics
from shared.web.auth import TokenVerifier
from shared.web.errors import ApiError, register_errors
from shared.web.openapi import ErrorResponseSchema, ErrorResponsesPlugin
from shared.web.ratelimit import Limit, RateLimiter

BEARER: dict[str, list[str]] = {"bearerAuth": []}
Readiness = Callable[[], tuple[bool, dict[str, Any]]]


class JsonErrorApi(Api):
    """flask-smorest Api whose errors use the one JSON shape `{"error": {code, message, details}}`."""

    ERROR_SCHEMA = ErrorResponseSchema

    def handle_http_exception(self, error: HTTPException) -> tuple[Response, int]:
        details = getattr(error, "data", {}).get("messages", {}) if hasattr(error, "data") else {}
        code = (error.name or "error").lower().replace(" ", "_")
        status = error.code or 500
        message = error.description or error.name
        if status == 422:
            code, message = "invalid", "the request does not match the schema"
        return jsonify(ApiError(status, code, message, details).body()), status


def create_base_app(
    config: Config, title: str, readiness: Readiness, on_scrape: Callable[[], None]
) -> tuple[Flask, Api]:
    """A Flask app with the conventions every service shares; the caller adds its blueprints."""
    app = Flask(title)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        API_SPEC_OPTIONS={"security": [BEARER]},
        CADREFLOW_CONFIG=config,
    )
    api = JsonErrorApi(app, spec_kwargs={"extra_plugins": [ErrorResponsesPlugin()]})
    app.extensions["limiter"] = RateLimiter(
        {"submission": Limit.parse(config.submission_rate_limit), "decision": Limit.parse(config.decision_rate_limit)}
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.extensions["verifier"] = TokenVerifier(config.jwt_secret, config.jwt_public_key)
    register_errors(app)
    _register_probes(app, config, readiness, on_scrape)
    _register_request_metrics(app, config.service)
    return app, api


def _register_probes(app: Flask, config: Config, readiness: Readiness, on_scrape: Callable[[], None]) -> None:
    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": config.service}

    @app.get("/readyz")
    def readyz() -> tuple[dict[str, Any], int]:
        ready, details = readiness()
        return {"ready": ready, **details}, (200 if ready else 503)

    @app.get("/metrics")
    def metrics() -> Response:
        on_scrape()
        body, content_type = render()
        return Response(body, content_type=content_type)


def _register_request_metrics(app: Flask, service: str) -> None:
    metrics = service_metrics(service)

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.http_requests.labels(request.method, route, str(response.status_code)).inc()
        metrics.http_duration.labels(request.method, route).observe(time.perf_counter() - g.get("started", 0))
        return response
