"""The notification service's app factory (gunicorn: `services.notification.app:create_app()`)."""

from __future__ import annotations

import os
import socket

from flask import Flask

from services.notification.api import blp
from services.notification.email import EmailDelivery, SmtpSettings
from services.notification.inbox import Inbox
from shared.application.erasure import People
from shared.application.nominations.book import NominationBook
from shared.application.nominations.service import Clock
from shared.application.runtime import Runtime
from shared.config import Config
from shared.eventlog.topics import CASES, NOMINATIONS, NOTIFICATIONS
from shared.events.envelope import utcnow
from shared.web.factory import create_base_app

DELIVERY_INTERVAL_S = 0.2


def create_app(config: Config | None = None, clock: Clock | None = None) -> Flask:
    """Wire the notification service: inbox projection, API, and e-mail when SMTP_HOST is set."""
    config = config or Config.from_env("notification")
    runtime = Runtime.build(config)
    inbox = Inbox(NominationBook(reread=runtime.log.read_at), city_unit=config.supervision.city_unit)
    follower = runtime.follow([NOMINATIONS, NOTIFICATIONS, CASES], inbox, name="inbox")
    people = People.of(runtime)
    app, api = create_base_app(config, "cadreflow notification service", runtime.readiness, runtime.refresh_metrics)
    api.register_blueprint(blp)
    app.extensions.update(runtime=runtime, inbox=inbox, follower=follower, people=people)
    if config.smtp_host:
        delivery = EmailDelivery(
            inbox,
            runtime.log,
            follower,
            SmtpSettings(config.smtp_host, config.smtp_port, config.smtp_sender),
            config.role_emails,
            clock or utcnow,
            runtime.metrics,
            sender_id=f"{socket.gethostname()}:{os.getpid()}",
            opener=people.opener,
        )
        app.extensions["email"] = delivery
        if config.start_follower:
            delivery.run_every(DELIVERY_INTERVAL_S)
    if config.start_follower:
        runtime.start()
    return app
