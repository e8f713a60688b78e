"""Restarting from a snapshot gives exactly the views of a full fold, on both backends.

A corrupt, old-format or foreign snapshot is ignored (full rebuild); events appended after the
snapshot are folded on top of it.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import shared.contracts  # noqa: F401 - registers the event types
from services.notification.inbox import Inbox
from services.review.workflow_metrics import WorkflowMetrics
from shared.application.nominations.book import NominationBook
from shared.application.recording import event_of
from shared.domain.workflow.commands import (
    DecideStage,
    FlagOverdue,
    ReviseNomination,
    SubmitNomination,
    WithdrawNomination,
)
from shared.domain.workflow.decider import decide
from shared.domain.workflow.evolution import evolve
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import Actor, Person
from shared.eventlog.port import TopicSpec
from shared.eventlog.sqlite import SqliteEventLog
from shared.events.envelope import Actor as EnvelopeActor
from shared.events.envelope import new_event
from shared.readside.follower import Follower
from shared.readside.snapshots.file import SnapshotFile
from shared.readside.snapshots.keeper import SnapshotKeeper

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class History:
    """Writes nominations through the real decider, keeping each stream's state as a reader would."""

    def __init__(self, log, topic: str, seed: int = 3) -> None:
        self.log, self.topic, self.rng = log, topic, random.Random(seed)
        self.states, self.now = {}, START

    def write(self, nominations: int, steps: int) -> None:
        ids = [self.submit() for _ in range(nominations)]
        for _ in range(steps):
            self.advance(self.rng.choice(ids))

    def submit(self) -> str:
        cadre = Person(f"cadre-{uuid.uuid4().hex[:6]}", "Cadre", f"unit-{self.rng.randrange(3)}")
        nid = uuid.uuid4().hex
        channel = self.rng.choice(["unit", "org_department", "secretary"])
        command = SubmitNomination(
            nid,
            cadre,
            channel,
            {"title": "Deputy", "organization": "Bureau"},
            "Strong.",
            [{"title": "Hub", "description": "Sales up"}],
            "Deliver.",
        )
        self.append(nid, command, Actor(cadre.id, "cadre", cadre.unit, cadre.name))
        return nid

    def advance(self, nid: str) -> None:
        state = self.get(nid)
        cadre = Actor(state.cadre.id, "cadre", state.cadre.unit, state.cadre.name)
        if state.is_terminal:
            return
        if state.status == "returned":
            self.append(nid, ReviseNomination({"statement": f"Revised {self.rng.random()}"}), cadre)
            return
        roll = self.rng.random()
        if roll < 0.1:
            self.append(nid, WithdrawNomination("moved"), cadre)
        elif roll < 0.25 and state.active_step.overdue_at is None:
            self.now = max(self.now, state.active_step.due_at) + timedelta(hours=1)
            self.append(nid, FlagOverdue(state.step), Actor("deadline-scanner", "system"))
        else:
            decision = self.rng.choice(["approve", "approve", "return", "reject"])
            role = STAGE_ROLES[state.stage]
            unit = state.cadre.unit if state.stage == "unit" else "hq"
            self.append(nid, DecideStage(state.stage, decision, "ok"), Actor(f"{role}-1", role, unit))

    def append(self, nid: str, command, actor: Actor) -> None:
        self.now += timedelta(minutes=self.rng.randint(1, 600))
        state = self.get(nid)
        decision = decide(command, state, actor, self.now)
        event = event_of(decision, nid, state.version if state else 0, actor, self.now)
        self.log.append(self.topic, [event])
        self.states[nid] = evolve(state, event)

    def get(self, nid: str):
        return self.states.get(nid)


def drain(follower: Follower) -> Follower:
    """Run the follower's loop here until it reached the end of the log it saw when opened."""
    follower.target = None
    reader = follower._open()
    try:
        while not follower.ready:
            follower.step(reader, timeout_s=0.5)
    finally:
        reader.close()
    return follower


def views(book: NominationBook, gate) -> dict:
    """Everything a reader can see, in comparable form."""
    ids = sorted(dict.keys(book.nominations))
    trail = {nid: [(e.event, e.event.digest, e.event.position, e.outcome) for e in book.events(nid)] for nid in ids}
    cadres = sorted({book.get(nid).cadre.id for nid in ids})
    queues = {
        (role, unit): [n.nomination_id for n in book.queue(role, unit)]
        for role in ("unit_reviewer", "org_reviewer", "secretary")
        for unit in ("unit-0", "unit-1", "hq")
    }
    as_of = {nid: book.as_of(nid, START + timedelta(days=3)) for nid in ids}
    return {
        "nominations": {nid: book.get(nid) for nid in ids},
        "trail": trail,
        "of_cadre": {c: [n.nomination_id for n in book.of_cadre(c)] for c in cadres},
        "queues": queues,
        "as_of": as_of,
        "gate": (
            gate.versions,
            gate.heads,
            {s: set(i.split()) if isinstance(i, str) else set(i) for s, i in gate.applied_ids.items()},
        ),
    }


@pytest.fixture(params=["sqlite", "kafka"])
def event_log(request, tmp_path):
    if request.param == "sqlite":
        log = SqliteEventLog(str(tmp_path / "log.db"))
    else:
        from shared.eventlog.kafka import KafkaEventLog

        log = KafkaEventLog(request.getfixturevalue("kafka_bootstrap"), client_id="snapshot-test")
    yield log
    log.close()


@pytest.fixture
def topic(event_log, topic_factory) -> str:
    name = topic_factory("snapshots")
    event_log.create_topics([TopicSpec(name, partitions=3)])
    return name


def follower_factory(event_log, topic, directory, projection=None):
    """A follower of `topic` into `projection` (a book whose closed trails are re-read from the log),
    keeping its snapshot in `directory` unless None."""
    projection = projection or NominationBook(reread=event_log.read_at)
    follower = Follower(event_log, [topic], projection.apply, name="svc.nominations")
    if directory is not None:
        follower.snapshots = SnapshotKeeper(SnapshotFile(directory, follower.name), projection, follower)
    return follower, projection


class TestRestartFromSnapshot:
    def test_gives_the_same_views_as_a_full_fold_and_folds_what_came_after(self, event_log, topic, tmp_path):
        history = History(event_log, topic)
        history.write(nominations=12, steps=40)
        first, _ = follower_factory(event_log, topic, tmp_path)
        drain(first)
        assert first.snapshots.save()
        history.write(nominations=4, steps=25)

        restarted, book = follower_factory(event_log, topic, tmp_path)
        drain(restarted)
        full, full_book = follower_factory(event_log, topic, None)
        drain(full)

        assert restarted.snapshots.restored
        assert views(book, restarted.gate) == views(full_book, full.gate)
        assert restarted.position == full.position

    def test_a_void_event_after_the_snapshot_is_void_after_the_restart(self, event_log, topic, tmp_path):
        if isinstance(event_log, SqliteEventLog):
            pytest.skip("SQLite refuses a second event for the same version at append")
        history = History(event_log, topic)
        history.write(nominations=3, steps=4)
        first, _ = follower_factory(event_log, topic, tmp_path)
        drain(first)
        first.snapshots.save()
        nid = sorted(history.states)[0]
        cadre = history.get(nid).cadre
        late = new_event("NominationWithdrawn", nid, 0, {"reason": "late"}, EnvelopeActor(cadre.id, "cadre"))
        event_log.append(topic, [late])  # expects version 0 of a stream that has moved on: void

        restarted, book = follower_factory(event_log, topic, tmp_path)
        drain(restarted)
        full, full_book = follower_factory(event_log, topic, None)
        drain(full)
        assert [e.outcome.value for e in book.events(nid)][-1] == "void"
        assert views(book, restarted.gate) == views(full_book, full.gate)

    def test_an_inbox_restarts_with_the_same_notifications(self, event_log, topic, tmp_path):
        (restarted, inbox), (full, full_inbox) = restart_beside_full_fold(event_log, topic, tmp_path, inbox_factory)
        # across partitions the fold order (and so `sequence`) may differ between any two folds
        assert unordered(inbox) == unordered(full_inbox)
        assert views(inbox.book, restarted.gate) == views(full_inbox.book, full.gate)

    def test_the_review_books_workflow_metrics_restart_with_the_same_values(self, event_log, topic, tmp_path):
        (_, book), (_, full_book) = restart_beside_full_fold(event_log, topic, tmp_path, reviewed_book)
        restored, folded = book.listeners[0].tallies, full_book.listeners[0].tallies
        flat = {(name, labels): value for name, tally in restored.items() for labels, value in tally.items() if value}
        assert flat == pytest.approx({(n, labels): v for n, t in folded.items() for labels, v in t.items() if v})
        assert sum(restored["nominations"].values()) == len(full_book.nominations) > 0


def restart_beside_full_fold(event_log, topic, directory, projection) -> tuple[tuple, tuple]:
    """Fold a history and snapshot it, add to it, then restart from the snapshot and, beside it,
    fold everything from the start: ((restarted follower, projection), (full follower, projection))."""
    History(event_log, topic).write(nominations=8, steps=30)
    first, _ = follower_factory(event_log, topic, directory, projection(event_log.read_at))
    drain(first)
    assert first.snapshots.save()
    History(event_log, topic, seed=5).write(nominations=3, steps=10)
    restarted = follower_factory(event_log, topic, directory, projection(event_log.read_at))
    drain(restarted[0])
    full = follower_factory(event_log, topic, None, projection(event_log.read_at))
    drain(full[0])
    assert restarted[0].snapshots.restored
    return restarted, full


def reviewed_book(reread) -> NominationBook:
    """The review service's book: its workflow metrics keep state in the book's snapshot."""
    book = NominationBook(reread)
    book.listeners.append(WorkflowMetrics())
    return book


def inbox_factory(reread) -> Inbox:
    return Inbox(NominationBook(reread))


def unordered(inbox: Inbox) -> tuple:
    notes = {nid: replace(n, sequence=0) for nid, n in inbox.by_id.items()}
    return notes, {r: set(ids) for r, ids in inbox.by_recipient.items()}, set(inbox.by_id), inbox.read


class TestUntrustedSnapshots:
    @pytest.fixture
    def saved(self, event_log, topic, tmp_path):
        History(event_log, topic).write(nominations=5, steps=10)
        first, _ = follower_factory(event_log, topic, tmp_path)
        drain(first)
        first.snapshots.save()
        return first.snapshots.file.path

    def restart(self, event_log, topic, tmp_path):
        restarted, book = follower_factory(event_log, topic, tmp_path)
        drain(restarted)
        full, full_book = follower_factory(event_log, topic, None)
        drain(full)
        assert views(book, restarted.gate) == views(full_book, full.gate)
        return restarted.snapshots.restored

    def test_a_corrupt_snapshot_means_a_full_rebuild(self, event_log, topic, tmp_path, saved):
        data = bytearray(saved.read_bytes())
        data[len(data) // 2] ^= 0x20
        saved.write_bytes(bytes(data))
        assert not self.restart(event_log, topic, tmp_path)

    def test_a_truncated_snapshot_means_a_full_rebuild(self, event_log, topic, tmp_path, saved):
        saved.write_bytes(saved.read_bytes()[:-100])
        assert not self.restart(event_log, topic, tmp_path)

    def test_an_old_format_means_a_full_rebuild(self, event_log, topic, tmp_path, saved):
        saved.write_bytes(saved.read_bytes().replace(b"cadreflow-snapshot 4 ", b"cadreflow-snapshot 3 ", 1))
        assert not self.restart(event_log, topic, tmp_path)

    def test_a_snapshot_of_another_log_means_a_full_rebuild(self, event_log, topic, tmp_path, saved, topic_factory):
        other = topic_factory("snapshots-other")
        event_log.create_topics([TopicSpec(other, partitions=3)])
        History(event_log, other, seed=9).write(nominations=6, steps=12)
        foreign = SnapshotFile(tmp_path, "svc.nominations")
        document = foreign.read()
        document["identity"]["topics"] = [other]
        foreign.write(document)  # same follower name and topic list, different records
        restarted, book = follower_factory(event_log, other, tmp_path)
        drain(restarted)
        full, full_book = follower_factory(event_log, other, None)
        drain(full)
        assert not restarted.snapshots.restored
        assert views(book, restarted.gate) == views(full_book, full.gate)
