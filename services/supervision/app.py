"""The supervision service's app factory (gunicorn: `services.supervision.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.supervision import officers, public
from services.supervision.case_metrics import CaseMetrics
from services.supervision.clients import KEY_ID, parse_networks
from services.supervision.limits import install
from shared.application.cases.service import CaseService, Clock
from shared.application.runtime import Runtime
from shared.config import Config
from shared.keys import KeyStore
from shared.web.factory import create_base_app

METRICS_REFRESH_S = 2.0


def create_app(config: Config | None = None, clock: Clock | None = None, keys: KeyStore | None = None) -> Flask:
    """Wire the supervision service, its rectification scanner and metrics; once per process."""
    config = config or Config.from_env("supervision")
    runtime = Runtime.build(config, keys)
    service = CaseService.wire(runtime, clock)
    metrics = CaseMetrics(service.book.all)

    def on_scrape() -> None:
        runtime.refresh_metrics()
        metrics.refresh()

    app, api = create_base_app(config, "cadreflow supervision service", runtime.readiness, on_scrape)
    for blueprint in (public.clues, public.commitments, public.boards, officers.blp):
        api.register_blueprint(blueprint)
    install(app.extensions["limiter"], config.clue_rate_limit, config.receipt_rate_limit, config.decision_rate_limit)
    app.extensions.update(
        runtime=runtime,
        cases=service,
        people=service.people,
        follower=service.follower,
        client_key=runtime.keys.create(KEY_ID),
        trusted_proxies=parse_networks(config.trusted_proxies),
    )
    if config.start_follower:
        runtime.start()
        metrics.run_every(METRICS_REFRESH_S)
        if config.overdue_scan_interval_s > 0:
            service.scanner.run_every(config.overdue_scan_interval_s)
    return app
