"""Build a service process around the nomination read model: runtime, follower, commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_smorest import Api

from shared.application.nominations.service import Clock, NominationService
from shared.application.runtime import Runtime
from shared.config import Config
from shared.web.factory import create_base_app

Extras = Callable[[Runtime, NominationService], dict[str, Any]]
"""Wires more of the process before it starts (more followers, timers over the book, the
transparency log); returns app extensions."""


def create_nomination_app(
    config: Config,
    title: str,
    clock: Clock | None = None,
    extras: Extras | None = None,
) -> tuple[Flask, Api]:
    """A Flask app whose state is the nominations topic folded into a NominationBook; `extras`
    wires the rest before it starts."""
    runtime = Runtime.build(config)
    nominations = NominationService.wire(runtime, clock)
    more = extras(runtime, nominations) if extras is not None else {}
    app, api = create_base_app(config, title, runtime.readiness, runtime.refresh_metrics)
    app.extensions.update(
        runtime=runtime,
        book=nominations.book,
        commands=nominations.commands,
        follower=nominations.follower,
        people=nominations.people,
        **more,
    )
    if config.start_follower:
        runtime.start()
    return app, api
