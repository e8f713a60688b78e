"""Flask app-factory helpers shared by the services: JSON errors, auth, health, metrics, OpenAPI."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import flask_smorest
import orjson
from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException

from shared.config import Config
from shared.domain.workflow.errors import DomainError
from shared.metrics import render, service_metrics
from shared.web.auth import Principal, TokenVerifier
from shared.web.errors import ApiError
from shared.web.openapi import ErrorResponseSchema, ErrorResponsesPlugin
from shared.web.ratelimit import Limit, RateLimiter

BEARER = {"bearerAuth": []}


class JsonErrorApi(Api):
    """flask-smorest Api whose errors use the one JSON shape `{"error": {code, message, details}}`."""

    ERROR_SCHEMA = ErrorResponseSchema

    def handle_http_exception(self, error: HTTPException):  # type: ignore[override]
        details = getattr(error, "data", {}).get("messages", {}) if hasattr(error, "data") else {}
        code = (error.name or "error").lower().replace(" ", "_")
        status = error.code or 500
        message = error.description or error.name
        if status == 422:
            code, message = "invalid", "the request does not match the schema"
        return jsonify(ApiError(status, code, message, details).body()), status


class StrictJsonParser(FlaskParser):
    """Reads JSON bodies with orjson, as strictly as the log stores them.

    Text the log could not store (lone surrogates), nesting deeper than 1024 levels and numbers
    beyond a double are refused as invalid JSON (400) here, instead of failing later as a 500.
    """

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        data = req.get_data(cache=True)
        if not data:
            return missing
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    """The services' Blueprint: request bodies are parsed by `StrictJsonParser`."""

    ARGUMENTS_PARSER = StrictJsonParser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable:
        """As flask-smorest's, but a schema class is instantiated once here: given a class, webargs
        builds a new instance, nested schemas and all, on every request (a fifth of a submission)."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)


def create_base_app(
    config: Config, title: str, readiness: Callable[[], tuple[bool, dict]], on_scrape: Callable[[], None]
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
    _register_errors(app)
    _register_probes(app, config, readiness, on_scrape)
    _register_request_metrics(app, config.service)
    return app, api


def rate_limit(bucket: str) -> None:
    """Count one request of the caller against `bucket`; 429 when over the limit."""
    from flask import current_app

    current_app.extensions["limiter"].check(bucket, principal().id)


def principal() -> Principal:
    """The authenticated caller of the current request (401 if the token is missing or bad)."""
    if "principal" not in g:
        from flask import current_app

        g.principal = current_app.extensions["verifier"].verify(request.headers.get("Authorization"))
    return g.principal


DOMAIN_STATUS = {"invalid": 422, "forbidden": 403, "conflict": 409, "not_found": 404}


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def on_api_error(error: ApiError):
        headers = {"Retry-After": str(error.details["retry_after_s"])} if error.status == 429 else {}
        return jsonify(error.body()), error.status, headers

    @app.errorhandler(DomainError)
    def on_domain_error(error: DomainError):
        status = DOMAIN_STATUS.get(error.code, 422)
        return jsonify(ApiError(status, error.code, error.message, error.details).body()), status

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            body = ApiError(
                error.code or 500, (error.name or "error").lower().replace(" ", "_"), error.description or ""
            ).body()
            return jsonify(body), error.code or 500
        app.logger.exception("unhandled error")
        return jsonify(ApiError(500, "internal", "internal error").body()), 500


def _register_probes(
    app: Flask, config: Config, readiness: Callable[[], tuple[bool, dict]], on_scrape: Callable[[], None]
) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": config.service}

    @app.get("/readyz")
    def readyz():
        ready, details = readiness()
        return {"ready": ready, **details}, (200 if ready else 503)

    @app.get("/metrics")
    def metrics():
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
