"""The nomination service's app factory (gunicorn: `services.nomination.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.nomination.api import blp
from shared.application.nominations.service import Clock
from shared.config import Config
from shared.web.nominations import create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the nomination service; call once per process (after gunicorn's fork)."""
    config = config or Config.from_env("nomination")
    app, api = create_nomination_app(config, "cadreflow nomination service", clock)
    api.register_blueprint(blp)
    return app
