"""A realistic nominations log, made with the real decider and the real codec.

Nominations arrive over simulated time through the three channels; reviewers approve, return,
reject; cadres revise returned nominations or withdraw; the deadline scanner flags overdue steps.
A heap of next actions keeps the log in time order with many streams interleaved, as in life.
Personal texts are sealed under each cadre's key, as the nomination service records them.
Logs are cached as SQLite files (the SqliteEventLog schema) by size and generator version.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import shared.contracts  # noqa: F401 - registers the event types
from shared.application.personal import Sealer
from shared.application.recording import event_of
from shared.domain.workflow.commands import (
    CloseNotice,
    DecideStage,
    FlagOverdue,
    ReviseNomination,
    SubmitNomination,
    WithdrawNomination,
)
from shared.domain.workflow.decider import decide
from shared.domain.workflow.evolution import evolve
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import IN_REVIEW, ON_NOTICE, RETURNED, Actor, Nomination, Person
from shared.eventlog.sqlite import SqliteEventLog
from shared.eventlog.topics import NOMINATIONS
from shared.events.codec import encode
from shared.events.envelope import Event
from shared.keys import InMemoryKeyStore

GENERATOR_VERSION = 3  # 2: approved nominations go on public notice, then are appointed; 3: texts sealed
CACHE = Path(__file__).resolve().parent / "var" / "logs"
SYSTEM = Actor("deadline-scanner", "system")
CHANNEL_WEIGHTS = (("unit", 6), ("org_department", 3), ("secretary", 1))
WORDS = [
    "rural",
    "revitalisation",
    "county",
    "project",
    "delivery",
    "reform",
    "service",
    "people",
    "grassroots",
    "party",
    "building",
    "economy",
    "digital",
    "hub",
    "industry",
    "poverty",
    "alleviation",
    "training",
    "team",
    "budget",
    "audit",
    "ecology",
    "tourism",
    "cooperative",
    "investment",
    "infrastructure",
    "village",
    "township",
    "education",
    "health",
    "safety",
    "innovation",
    "integrity",
    "coordination",
    "planning",
    "supervision",
    "community",
    "volunteers",
    "emergency",
    "flood",
    "relief",
]


@dataclass
class Pending:
    """One nomination in flight: its state and the chain head for the next event."""

    state: Nomination
    head: str


class Generator:
    """Yields encoded events of a time-ordered, interleaved nominations log."""

    def __init__(self, seed: int = 7, units: int = 200, cadres: int = 50_000) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.units = [f"unit-{i:03d}" for i in range(units)]
        self.cadres = [Person(f"cadre-{i:05d}", f"Cadre {i:05d}", self.rng.choice(self.units)) for i in range(cadres)]
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        self.heap: list[tuple[datetime, int, str]] = []
        self.pending: dict[str, Pending] = {}
        self.counter = 0
        self.sealer = Sealer(InMemoryKeyStore())

    def events(self, count: int) -> Iterator[tuple[Event, bytes]]:
        """`count` events in log order, each with its stored bytes."""
        produced = 0
        next_submission = self.now
        while produced < count:
            if not self.heap or next_submission <= self.heap[0][0]:
                self.now, event = next_submission, self._submit()
                next_submission = self.now + timedelta(seconds=self.rng.expovariate(1 / 90))
            else:
                self.now, _, nid = heapq.heappop(self.heap)
                event = self._advance(nid)
                if event is None:
                    continue
            produced += 1
            yield event

    def _submit(self) -> tuple[Event, bytes]:
        cadre = self.rng.choice(self.cadres)
        channel = self.rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
        nid = f"{self.rng.getrandbits(128):032x}"
        command = SubmitNomination(
            nid, cadre, channel, self._position(), self._text(25, 90), self._achievements(), self._text(12, 35)
        )
        return self._record(nid, command, Actor(cadre.id, "cadre", cadre.unit, cadre.name))

    def _advance(self, nid: str) -> tuple[Event, bytes] | None:
        state = self.pending[nid].state
        roll = self.rng.random()
        if state.status == RETURNED:
            command = (
                ReviseNomination({"statement": self._text(25, 90)}) if roll < 0.85 else WithdrawNomination("moved")
            )
            return self._record(nid, command, self._cadre(state))
        if state.status == ON_NOTICE:
            return self._record(nid, CloseNotice(), SYSTEM)
        step = state.active_step
        if step is not None and step.overdue_at is None and self.now >= step.due_at:
            return self._record(nid, FlagOverdue(step.index), SYSTEM)
        if roll < 0.07:
            return self._record(nid, WithdrawNomination("another post"), self._cadre(state))
        decision = self.rng.choices(("approve", "return", "reject"), (0.78, 0.14, 0.08))[0]
        command = DecideStage(state.stage, decision, self._text(3, 15), step.index)
        return self._record(nid, command, self._reviewer(state))

    def _record(self, nid: str, command: object, actor: Actor) -> tuple[Event, bytes]:
        pending = self.pending.get(nid)
        state = pending.state if pending else None
        decision = decide(command, state, actor, self.now)
        cadre_id = state.cadre.id if state is not None else decision.payload["cadre"]["id"]
        sealed = self.sealer.nomination(decision.type, decision.payload, nid, cadre_id)
        version, head = (state.version, pending.head) if pending else (0, "")
        event = event_of(sealed, nid, version, actor, self.now, prev_hash=head)
        data = encode(event)
        after = evolve(state, event)
        if after.is_terminal:
            self.pending.pop(nid, None)
        else:
            self.pending[nid] = Pending(after, hashlib.sha256(data).hexdigest())
            self._schedule(nid, after)
        return event, data

    def _schedule(self, nid: str, state: Nomination) -> None:
        step = state.active_step
        if state.status == IN_REVIEW and step is not None:
            late = self.rng.random() < 0.12 and step.overdue_at is None
            at = step.due_at + timedelta(hours=2) if late else self.now + timedelta(hours=self.rng.uniform(2, 96))
        elif state.status == ON_NOTICE and state.notice_ends_at is not None:
            at = state.notice_ends_at + timedelta(minutes=self.rng.uniform(1, 60))  # the notice timer
        else:
            at = self.now + timedelta(hours=self.rng.uniform(4, 72))
        self.counter += 1
        heapq.heappush(self.heap, (at, self.counter, nid))

    def _reviewer(self, state: Nomination) -> Actor:
        role = STAGE_ROLES[state.stage]
        unit = state.cadre.unit if state.stage == "unit" else "hq"
        return Actor(f"{role}-{unit}-{self.rng.randrange(3)}", role, unit, f"Reviewer of {unit}")

    @staticmethod
    def _cadre(state: Nomination) -> Actor:
        return Actor(state.cadre.id, "cadre", state.cadre.unit, state.cadre.name)

    def _text(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def _position(self) -> dict[str, str]:
        return {
            "title": f"Deputy director of {self.rng.choice(WORDS)}",
            "organization": f"Bureau {self.rng.randrange(90)}",
        }

    def _achievements(self) -> list[dict[str, str]]:
        return [{"title": self._text(3, 8), "description": self._text(8, 25)} for _ in range(self.rng.randint(1, 4))]


def cached_log(count: int, seed: int = 7) -> Path:
    """The path of a SQLite log of `count` nominations events, generated once and kept."""
    path = CACHE / f"nominations-{count}-s{seed}-g{GENERATOR_VERSION}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        write_sqlite(partial, Generator(seed).events(count))
        os.replace(partial, path)
    return path


def write_sqlite(path: Path, events: Iterator[tuple[Event, bytes]], batch: int = 20_000) -> int:
    """Bulk-write events into a fresh SqliteEventLog file (one transaction per batch)."""
    SqliteEventLog(str(path)).close()
    db = sqlite3.connect(path, isolation_level=None)
    written, rows = 0, []
    for event, data in events:
        rows.append((NOMINATIONS, event.stream_id, event.stream_version, data))
        if len(rows) >= batch:
            written += _insert(db, rows)
            rows = []
    written += _insert(db, rows)
    db.execute("INSERT OR IGNORE INTO topics VALUES (?, 1)", (NOMINATIONS,))
    db.close()
    return written


def _insert(db: sqlite3.Connection, rows: list) -> int:
    db.execute("BEGIN")
    db.executemany("INSERT INTO records (topic, key, stream_version, value) VALUES (?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    return len(rows)


def read_values(path: Path) -> list[tuple[str, int, bytes]]:
    """(stream id, stream version, bytes) of every record, in log order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT key, stream_version, value FROM records ORDER BY offset").fetchall()
    finally:
        db.close()
