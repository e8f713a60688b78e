"""The nomination service's app factory (gunicorn: `services.nomination.app:create_app()`)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from services.nomination import notices
from services.nomination.api import blp
from shared.application.nominations.notices import NoticeTimer
from shared.application.nominations.service import Clock, NominationService
from shared.application.runtime import Runtime
from shared.application.transparency import Transparency
from shared.config import Config
from shared.web import transparency
from shared.web.nominations import Extras, create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the nomination service, its notice timer and, when a signing key is configured, the
    transparency log; call once per process (after gunicorn's fork).

    This service keeps the transparency log: it already holds the decision trail and /verify,
    which anchors to the same signed heads, and it alone holds the key.
    """
    config = config or Config.from_env("nomination")
    app, api = create_nomination_app(config, "cadreflow nomination service", clock, extras=_extras(config))
    api.register_blueprint(blp)
    api.register_blueprint(notices.blp)
    if "transparency" in app.extensions:
        api.register_blueprint(transparency.blp)
    if config.start_follower and config.notice_scan_interval_s > 0:
        app.extensions["notice_timer"].run_every(config.notice_scan_interval_s)
    return app


def _extras(config: Config) -> Extras:
    """The objections folded from the cases topic and the timer that ends public notices; the
    transparency log when a signing key is configured."""
    key_file = config.transparency_key_file

    def wire(runtime: Runtime, nominations: NominationService) -> dict[str, Any]:
        more: dict[str, Any] = {"notice_timer": NoticeTimer.wire(runtime, nominations)}
        if key_file:
            more["transparency"] = Transparency.wire(runtime, key_file)
        return more

    return wire
