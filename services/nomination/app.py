"""The nomination service's app factory (gunicorn: `services.nomination.app:create_app()`)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from services.nomination import notices
from services.nomination.api import blp
from shared.application.nominations.notices import NoticeTimer
from shared.application.nominations.service import Clock, NominationService
from shared.application.runtime import Runtime
from shared.config import Config
from shared.web.nominations import create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the nomination service and its notice timer; call once per process (after gunicorn's fork)."""
    config = config or Config.from_env("nomination")
    app, api = create_nomination_app(config, "cadreflow nomination service", clock, extras=_notice_timer)
    api.register_blueprint(blp)
    api.register_blueprint(notices.blp)
    if config.start_follower and config.notice_scan_interval_s > 0:
        app.extensions["notice_timer"].run_every(config.notice_scan_interval_s)
    return app


def _notice_timer(runtime: Runtime, nominations: NominationService) -> dict[str, Any]:
    """The objections folded from the cases topic, and the timer that ends public notices."""
    return {"notice_timer": NoticeTimer.wire(runtime, nominations)}
