"""The nomination service's app factory (gunicorn: `services.nomination.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.nomination.api import blp
from shared.application.nominations.service import Clock
from shared.application.transparency import Transparency
from shared.config import Config
from shared.web import transparency
from shared.web.nominations import WireMore, create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the nomination service; call once per process (after gunicorn's fork).

    It keeps the transparency log when a signing key is configured: it already holds the
    decision trail and /verify, which anchors to the same signed heads, and it alone holds the key.
    """
    config = config or Config.from_env("nomination")
    app, api = create_nomination_app(config, "cadreflow nomination service", clock, _with_transparency(config))
    api.register_blueprint(blp)
    if "transparency" in app.extensions:
        api.register_blueprint(transparency.blp)
    return app


def _with_transparency(config: Config) -> WireMore | None:
    key_file = config.transparency_key_file
    if not key_file:
        return None
    return lambda runtime: {"transparency": Transparency.wire(runtime, key_file)}
