"""Build a service process around the nomination read model: runtime, follower, commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask

from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.application.runtime import Runtime
from shared.config import Config
from shared.eventlog.topics import NOMINATIONS
from shared.events.envelope import utcnow
from shared.web.factory import create_base_app

Clock = Callable[[], datetime]


def create_nomination_app(config: Config, title: str, clock: Clock | None = None) -> tuple[Flask, object]:
    """A Flask app whose state is the nominations topic folded into a NominationBook."""
    runtime = Runtime.build(config)
    book = NominationBook()
    follower = runtime.follow([NOMINATIONS], book.apply, name="nominations")
    commands = NominationCommands(
        runtime.log, follower, book, config.workflow, clock or utcnow, runtime.metrics, config.command_timeout_s
    )
    app, api = create_base_app(config, title, runtime.readiness, runtime.refresh_metrics)
    app.extensions.update(runtime=runtime, book=book, commands=commands, follower=follower)
    if config.start_follower:
        runtime.start()
    return app, api
