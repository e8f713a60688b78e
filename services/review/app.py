"""The review service's app factory (gunicorn: `services.review.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.review.api import blp
from services.review.dead_letters import DeadLetterCounter
from services.review.overdue import OverdueScanner
from services.review.workflow_metrics import WorkflowMetrics
from shared.application.nominations.service import Clock
from shared.config import Config
from shared.web.nominations import create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the review service and its deadline scanner; once per process."""
    config = config or Config.from_env("review")
    app, api = create_nomination_app(config, "cadreflow review service", clock)
    api.register_blueprint(blp)
    app.extensions["book"].listeners.append(WorkflowMetrics())
    dead_letters = DeadLetterCounter(app.extensions["runtime"].log)
    app.extensions["runtime"].companions.append(dead_letters)
    scanner = OverdueScanner(app.extensions["book"], app.extensions["commands"])
    app.extensions["scanner"] = scanner
    if config.start_follower and config.overdue_scan_interval_s > 0:
        scanner.run_every(config.overdue_scan_interval_s)
    if config.start_follower:
        dead_letters.start()
    return app
