"""Service apps on both backends: `services` gives Flask test clients sharing one event log.

The apps start once per backend and serve every test: tests keep apart by random people and
units, and move the shared clock only forward (or put it back where they found it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from services.nomination.app import create_app as create_nomination
from services.notification.app import create_app as create_notification
from services.review.app import create_app as create_review
from shared.config import Config
from shared.eventlog.port import LogReader, caught_up
from shared.events.codec import decode
from shared.events.envelope import Event
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome, StreamGate
from tests.support.apps import wait_ready
from tests.support.people import Person, nomination_body, person_factory


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
    _reader: LogReader | None = None

    def settle(self, timeout_s: float = 20) -> None:
        """Wait until every app has folded everything written so far."""
        deadline = time.monotonic() + timeout_s
        ends = self._end_offsets()
        for app in self.apps:
            for follower in app.extensions["runtime"].followers:
                target = {tp: offset for tp, offset in ends.items() if tp[0] in follower.topics}
                assert follower.wait_until(target, max(0.1, deadline - time.monotonic())), follower.name

    def _end_offsets(self):
        # one long-lived reader of every followed topic: a fresh Kafka client per call costs ~0.1 s
        if self._reader is None:
            topics = sorted({t for app in self.apps for f in app.extensions["runtime"].followers for t in f.topics})
            self._reader = self.apps[0].extensions["runtime"].log.open_reader(topics)
        return self._reader.end_offsets()

    def submit(self, cadre: Person, channel: str = "unit", **changes) -> dict:
        """Submit a nomination through the nomination service; every app has folded it on return."""
        created = self.nomination.post(
            "/api/v1/nominations", json=nomination_body(channel, **changes), headers=cadre.headers
        )
        assert created.status_code == 201, created.json
        self.settle()
        return created.json

    def decide(self, reviewer: Person, nomination_id: str, stage: str, decision: str = "approve", **extra):
        """POST a decision to the review service, settling before and after; returns the response."""
        self.settle()
        answer = self.review.post(
            f"/api/v1/reviews/{nomination_id}/decisions",
            json={"stage": stage, "decision": decision, **extra},
            headers=reviewer.headers,
        )
        self.settle()
        return answer

    def log_events(self, topic: str) -> list[tuple[Event, Outcome]]:
        """Every decodable event of `topic` so far, each with the outcome the log order gives it."""
        reader = self.apps[0].extensions["runtime"].log.open_reader([topic])
        target, position, gate, found = reader.end_offsets(), {}, StreamGate(), []
        try:
            while not caught_up(position, target):
                for record in reader.poll(0.2):
                    position[(record.topic, record.partition)] = record.offset + 1
                    try:
                        event = decode(record.value)
                    except DecodeError:  # poison from fault tests on the shared Kafka log
                        continue
                    found.append((event, gate.admit(event)))
        finally:
            reader.close()
        return found

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        for app in self.apps:
            app.extensions["runtime"].stop()


@dataclass(frozen=True)
class Cast:
    """A cadre and one person for every other role, the unit reviewer from the cadre's unit."""

    cadre: Person
    unit_reviewer: Person
    org_reviewer: Person
    secretary: Person
    admin: Person

    def reviewer_of(self, stage: str) -> Person:
        return {"unit": self.unit_reviewer, "org_department": self.org_reviewer, "secretary": self.secretary}[stage]


@pytest.fixture(scope="session", params=["sqlite", "kafka"])
def backend(request) -> str:
    return request.param


UNLIMITED = {"submission_rate_limit": "0", "decision_rate_limit": "0"}  # tests/security covers the limits


@pytest.fixture(scope="session")
def config_factory(backend, tmp_path_factory, request):
    db = str(tmp_path_factory.mktemp("log") / "events.db")
    bootstrap = request.getfixturevalue("kafka_bootstrap") if backend == "kafka" else ""

    def make(service: str, **overrides) -> Config:
        return Config(
            service=service,
            event_backend=backend,
            event_db=db,
            kafka_bootstrap_servers=bootstrap,
            overdue_scan_interval_s=0,
            **{**UNLIMITED, **overrides},
        )

    return make


@pytest.fixture(scope="session")
def running_services(config_factory) -> Iterator[Services]:
    """The three apps, started once per backend: the Kafka topics are shared and kept, so every
    start folds all of them again; tests tell their data apart by random people and units."""
    clock = MovableClock()
    apps = [
        create_nomination(config_factory("nomination"), clock=clock),
        create_review(config_factory("review"), clock=clock),
        create_notification(config_factory("notification"), clock=clock),
    ]
    for app in apps:
        wait_ready(app)
    running = Services(*(app.test_client() for app in apps), apps=apps, clock=clock)
    yield running
    running.close()


@pytest.fixture(scope="session")
def review_replica(running_services, config_factory):
    """A second review app on the same log and clock (started once per backend): a replica."""
    app = create_review(config_factory("review"), clock=running_services.clock)
    running_services.apps.append(app)
    wait_ready(app)
    return app.test_client()


@pytest.fixture
def services(running_services) -> Services:
    running_services.settle()
    return running_services


@pytest.fixture
def app_factory(services, config_factory) -> Iterator[Callable]:
    """Start one more app (a restart or a replica) on the same log and clock; stopped after the test."""
    factories = {"nomination": create_nomination, "review": create_review, "notification": create_notification}
    started = []

    def make(service: str, **overrides):
        app = factories[service](config_factory(service, **overrides), clock=services.clock)
        started.append(app)
        wait_ready(app)
        services.apps.append(app)
        return app

    yield make
    for app in started:
        if app in services.apps:
            services.apps.remove(app)
        app.extensions["runtime"].stop()


@pytest.fixture
def cast() -> Cast:
    cadre = person_factory("cadre")
    return Cast(
        cadre=cadre,
        unit_reviewer=person_factory("unit_reviewer", cadre.unit),
        org_reviewer=person_factory("org_reviewer"),
        secretary=person_factory("secretary"),
        admin=person_factory("admin"),
    )
