"""The review service's app factory (gunicorn: `services.review.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.review.api import blp
from services.review.dead_letters import DeadLetterCounter
from services.review.overdue import OverdueScanner
from services.review.people import blp as people
from services.review.workflow_metrics import WorkflowMetrics
from shared.application.cases.links import CaseLinks
from shared.application.erasure import Eraser
from shared.application.nominations.service import Clock
from shared.config import Config
from shared.eventlog.topics import CASES
from shared.events.envelope import utcnow
from shared.web.nominations import create_nomination_app


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the review service, its deadline scanner and the erasure of people; once per process."""
    config = config or Config.from_env("review")
    links = CaseLinks()  # the open cases about a nomination's cadre, shown in the review view
    app, api = create_nomination_app(
        config,
        "cadreflow review service",
        clock,
        extras=lambda runtime, _: {"case_links": links, "case_follower": runtime.follow([CASES], links, "cases")},
    )
    runtime = app.extensions["runtime"]
    app.extensions["eraser"] = Eraser(
        app.extensions["people"], clock or utcnow, runtime.metrics, config.command_timeout_s
    )
    api.register_blueprint(blp)
    api.register_blueprint(people)
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
