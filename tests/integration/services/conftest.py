"""Service apps on both backends: `services` gives Flask test clients sharing one event log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from services.nomination.app import create_app as create_nomination
from services.notification.app import create_app as create_notification
from services.review.app import create_app as create_review
from shared.config import Config


class MovableClock:
    """An injected clock tests move instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@dataclass
class Services:
    nomination: object
    review: object
    notification: object
    apps: list
    clock: MovableClock

    def settle(self, timeout_s: float = 20) -> None:
        """Wait until every app has folded everything written so far."""
        deadline = time.monotonic() + timeout_s
        for app in self.apps:
            runtime = app.extensions["runtime"]
            for follower in runtime.followers:
                target = runtime.log.end_offsets(follower.topics)
                assert follower.wait_until(target, max(0.1, deadline - time.monotonic())), follower.name


@pytest.fixture(params=["sqlite", "kafka"])
def backend(request) -> str:
    if request.param == "kafka":
        request.getfixturevalue("kafka_bootstrap")
    return request.param


@pytest.fixture
def config_factory(backend, tmp_path_factory, kafka_bootstrap_or_none):
    db = str(tmp_path_factory.mktemp("log") / "events.db")

    def make(service: str, **overrides) -> Config:
        return Config(
            service=service,
            event_backend=backend,
            event_db=db,
            kafka_bootstrap_servers=kafka_bootstrap_or_none or "",
            overdue_scan_interval_s=0,
            **overrides,
        )

    return make


@pytest.fixture
def kafka_bootstrap_or_none(request) -> str | None:
    if request.node.callspec.params.get("backend") == "kafka":
        return request.getfixturevalue("kafka_bootstrap")
    return None


@pytest.fixture
def services(config_factory) -> Iterator[Services]:
    clock = MovableClock()
    apps = [
        create_nomination(config_factory("nomination"), clock=clock),
        create_review(config_factory("review"), clock=clock),
        create_notification(config_factory("notification"), clock=clock),
    ]
    for app in apps:
        _wait_ready(app)
    yield Services(*(app.test_client() for app in apps), apps=apps, clock=clock)
    for app in apps:
        app.extensions["runtime"].stop()


def _wait_ready(app, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.extensions["runtime"].readiness()[0]:
            return
        time.sleep(0.02)
    raise AssertionError(f"{app.name} not ready: {app.extensions['runtime'].readiness()}")
