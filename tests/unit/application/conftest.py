"""Service processes on one in-memory log, with a clock the tests move.

A `Process` is what a gunicorn worker holds: a runtime and the nominations side (book,
follower, commands). Several processes on the same log are several workers or replicas.
Tests read given (commands run) / when (a command) / then (the events it added to the stream).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.application.nominations.book import NominationBook
from shared.application.nominations.notices import NoticeTimer
from shared.application.nominations.service import NominationService
from shared.application.runtime import Runtime
from shared.config import Config
from shared.domain.workflow.commands import DecideStage, SubmitNomination
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import Actor, Nomination, Person
from shared.eventlog.memory import InMemoryEventLog
from shared.eventlog.port import EventLog
from shared.eventlog.topics import ALL_TOPICS
from shared.keys import InMemoryKeyStore
from shared.metrics import service_metrics
from tests.support.held_log import HeldLog

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The injected clock: tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Process:
    """One service process on the shared log."""

    runtime: Runtime
    nominations: NominationService
    timer: NoticeTimer | None = None  # the nomination service's: with `process_factory(notices=True)`

    @property
    def book(self) -> NominationBook:
        return self.nominations.book

    def execute(self, nomination_id: str, command: Any, actor: Actor) -> Nomination:
        return self.nominations.commands.execute(nomination_id, command, actor)

    def opened(self, nomination: Nomination, value: Any, field: str) -> str | None:
        """A personal text of the nomination as a view shows it (None once redacted)."""
        return self.nominations.people.opener.reading(nomination.nomination_id).text(value, field)

    def trail(self, nomination_id: str) -> list[tuple[str, str]]:
        """The stream as this process folded it: (event type, outcome) in log order."""
        return [(e.event.type, e.outcome.value) for e in self.book.events(nomination_id)]


@pytest.fixture
def event_log() -> InMemoryEventLog:
    log = InMemoryEventLog()
    log.create_topics(ALL_TOPICS)
    return log


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keys() -> InMemoryKeyStore:
    """The key store the processes of a test share (as the workers of one host share a directory)."""
    return InMemoryKeyStore()


@pytest.fixture
def process_factory(event_log: InMemoryEventLog, clock: Clock, keys: InMemoryKeyStore) -> Iterator:
    """Start a process on the shared log (or on `log`, a view of it); every one is stopped after."""
    started: list[Runtime] = []

    def make(log: EventLog | None = None, notices: bool = False) -> Process:
        config = Config(service="unit", snapshot_dir=None, command_timeout_s=5)
        runtime = Runtime(config, log or event_log, service_metrics("unit"), keys)
        nominations = NominationService.wire(runtime, clock)
        timer = NoticeTimer.wire(runtime, nominations) if notices else None
        runtime.start()
        started.append(runtime)
        process = Process(runtime, nominations, timer)
        wait_caught_up(process)
        return process

    yield make
    for runtime in started:
        runtime.stop()


@pytest.fixture
def process(process_factory) -> Process:
    return process_factory()


def wait_caught_up(*processes: Process, timeout_s: float = 10) -> None:
    """Until every process is ready and has folded everything in the log now."""
    deadline = time.monotonic() + timeout_s
    for process in processes:
        for follower in process.runtime.followers:
            while not follower.ready:
                assert time.monotonic() < deadline, f"{follower.name} not ready"
                time.sleep(0.001)
            assert follower.catch_up(max(0.0, deadline - time.monotonic())), follower.name


def cadre(unit: str | None = None) -> Actor:
    ident = f"cadre-{uuid.uuid4().hex[:6]}"
    return Actor(ident, "cadre", unit or f"unit-{uuid.uuid4().hex[:4]}", ident.title())


def reviewer(stage: str, unit: str | None = None) -> Actor:
    return Actor(f"{stage}-reviewer-{uuid.uuid4().hex[:4]}", STAGE_ROLES[stage], unit or "hq", "Reviewer")


def of(nomination: Nomination, stage: str) -> Actor:
    """A reviewer entitled to decide `stage` of `nomination`."""
    return reviewer(stage, nomination.cadre.unit if stage == "unit" else "hq")


def submission(who: Actor, channel: str = "unit", title: str = "Deputy director") -> SubmitNomination:
    return SubmitNomination(
        nomination_id=uuid.uuid4().hex,
        cadre=Person(who.id, who.name, who.unit or ""),
        channel=channel,
        target_position={"title": title, "organization": "Municipal Bureau of Commerce"},
        statement="Ten years of rural revitalisation work.",
        achievements=[{"title": "Led the county e-commerce hub", "description": "Sales up 40%"}],
        commitment="First-class performance within three years.",
    )


def submitted(process: Process, who: Actor | None = None, channel: str = "unit", **fields: Any) -> Nomination:
    """Given: a nomination submitted through `process` by `who` (a new cadre if None)."""
    who = who or cadre()
    command = submission(who, channel, **fields)
    return process.execute(command.nomination_id, command, who)


def approve(process: Process, nomination: Nomination, stage: str, step: int | None = None) -> Nomination:
    return process.execute(nomination.nomination_id, DecideStage(stage, "approve", "ok", step), of(nomination, stage))


@pytest.fixture
def held_log(event_log: InMemoryEventLog) -> Iterator[HeldLog]:
    """A view of the shared log whose readers the test can hold back (a slow worker)."""
    log = HeldLog(event_log)
    yield log
    log.release()
