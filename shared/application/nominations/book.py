"""NominationBook: every nomination folded from the log, with the indexes the APIs read.

It is the Follower's handler: `apply(event, outcome)` is called with every event of the
nominations topic in log order. Only applied events change state; void ones are kept in the
audit trail marked as such.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from shared import compact_json
from shared.application.nominations.records import nomination_from_list, nomination_to_list
from shared.domain.workflow.evolution import evolve, fold
from shared.domain.workflow.queue import queue_order, waiting_for
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import IN_REVIEW, Nomination
from shared.eventlog.port import Record
from shared.events.codec import decode
from shared.events.envelope import Event
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records


class Logged(NamedTuple):
    """One event of a stream as the audit trail shows it."""

    event: Event
    outcome: Outcome


class NominationBook:
    """In-memory projection of the nominations topic."""

    def __init__(self) -> None:
        self.nominations: dict[str, Nomination] = _Nominations()
        self.trail: dict[str, list[Logged]] = defaultdict(list)
        self.by_cadre: dict[str, list[str]] = defaultdict(list)
        self.waiting: dict[str, set[str]] = defaultdict(set)  # reviewer role -> in-review ids
        self.listeners: list = []
        self._stored = _StoredTrail()
        self._trail_lock = threading.Lock()

    def use_log(self, reread: Callable[[Sequence[tuple[str, int, int]]], list]) -> None:
        """Keep the trail of a closed nomination as positions and digests only, and re-read its
        events from the log (`reread`) when it is shown: most of a long log is closed nominations."""
        self._stored.reread = reread

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Follower handler)."""
        if outcome is Outcome.DUPLICATE:
            return
        self.trail[event.stream_id].append(Logged(event, outcome))
        if outcome is not Outcome.APPLIED:
            return
        before = self.nominations.get(event.stream_id)
        after = evolve(before, event)
        self.nominations[event.stream_id] = after
        if before is None:
            self.by_cadre[after.cadre.id].append(after.nomination_id)
        self._index(before, after)
        for listener in self.listeners:
            listener(event, before, after)
        if after.is_terminal and self._stored.reread is not None:
            with self._trail_lock:
                self._stored.extend(event.stream_id, self.trail.pop(event.stream_id, []))

    def _index(self, before: Nomination | None, after: Nomination) -> None:
        # in review, the active step is the last entry of the history
        if before is not None and before.status == IN_REVIEW and before.history:
            self.waiting[STAGE_ROLES[before.history[-1].stage]].discard(before.nomination_id)
        if after.status == IN_REVIEW and after.history:
            self.waiting[STAGE_ROLES[after.history[-1].stage]].add(after.nomination_id)

    def get(self, nomination_id: str) -> Nomination | None:
        """The current state of one nomination."""
        return self.nominations.get(nomination_id)

    def of_cadre(self, cadre_id: str) -> list[Nomination]:
        """A cadre's own nominations, newest first."""
        found = [self.nominations[i] for i in self.by_cadre.get(cadre_id, [])]
        return sorted(found, key=lambda n: n.submitted_at, reverse=True)

    def queue(self, role: str, unit: str | None, reviewer_id: str | None = None) -> list[Nomination]:
        """Nominations waiting at the stage of `role` (and `unit` at the unit stage), oldest due first.

        The reviewer's own nomination is left out (recusal).
        """
        waiting = tuple(self.waiting.get(role, ()))  # one C-level copy: the follower thread changes the set
        candidates = [self.nominations[i] for i in waiting]
        return queue_order([n for n in candidates if waiting_for(n, role, unit, reviewer_id)])

    def events(self, nomination_id: str) -> list[Logged]:
        """The stream in log order, void events included (the audit trail)."""
        with self._trail_lock:
            stored, live = self._stored.compact.get(nomination_id), list(self.trail.get(nomination_id, ()))
        return [*self._stored.events(nomination_id, stored), *live]

    def as_of(self, nomination_id: str, when: datetime) -> Nomination | None:
        """The nomination as it stood at `when` (a fold of the applied events up to then)."""
        applied = [e.event for e in self.events(nomination_id) if e.outcome is Outcome.APPLIED]
        return fold([event for event in applied if event.time <= when])

    # -- snapshots ---------------------------------------------------------------------------
    def capture(self, own_listeners: Sequence = ()) -> Build | None:
        """Under the follower's lock: cheap copies of the (immutable) state; the returned function
        builds the snapshot from them outside the lock, each nomination as one record (see
        `shared.readside.snapshots.file`). None when a listener keeps state of its own that a snapshot would not
        restore."""
        if not self.can_restore(own_listeners):
            return None
        listeners = [listener.snapshot_state() for listener in self._kept_listeners(own_listeners)]
        nominations, restored = dict(dict.items(self.nominations)), self.nominations.records
        trail = {sid: list(entries) for sid, entries in self.trail.items()}
        by_cadre = {cadre: list(ids) for cadre, ids in self.by_cadre.items()}
        waiting = {role: sorted(ids) for role, ids in self.waiting.items()}
        stored, compact = self._stored, dict(self._stored.compact)

        def build(records: list[bytes]) -> dict[str, Any]:
            first = len(records)
            records.extend(restored[n] if type(n) is int else _record(n) for n in nominations.values())
            return {
                "nominations": {"ids": list(nominations), "first_record": first},
                "trail": stored.merged(compact, trail),
                "topics": list(stored.topics),
                "by_cadre": by_cadre,
                "waiting": waiting,
                "listeners": listeners,
            }

        return build

    def can_restore(self, own_listeners: Sequence = ()) -> bool:
        """Only a book whose listeners are all accounted for may start from a snapshot: the caller's
        own, or listeners that keep their state in the book's snapshot (`snapshot_state` and
        `restore_state`)."""
        return all(listener in own_listeners or _keeps_state(listener) for listener in self.listeners)

    def _kept_listeners(self, own_listeners: Sequence) -> list:
        return [listener for listener in self.listeners if listener not in own_listeners]

    def restore(
        self,
        state: dict[str, Any],
        reread: Callable[[Sequence[tuple[str, int, int]]], list],
        records: Records,
        own_listeners: Sequence = (),
    ) -> None:
        """Start from a snapshot; a nomination is built from its record when first read, trail events
        are re-read from the log (`reread`) when first shown."""
        ids, first = state["nominations"]["ids"], state["nominations"]["first_record"]
        if first + len(ids) > len(records):
            raise ValueError("the snapshot holds fewer records than nominations")
        nominations = _Nominations(zip(ids, range(first, first + len(ids)), strict=True), records=records)
        stored = _StoredTrail(state["trail"], state["topics"], reread)
        by_cadre = defaultdict(list, {cadre: list(ids) for cadre, ids in state["by_cadre"].items()})
        waiting = defaultdict(set, {role: set(ids) for role, ids in state["waiting"].items()})
        kept, listener_states = self._kept_listeners(own_listeners), state["listeners"]
        if len(kept) != len(listener_states):
            raise ValueError(f"the snapshot holds {len(listener_states)} listener states, the book has {len(kept)}")
        for listener, listener_state in zip(kept, listener_states, strict=True):
            listener.restore_state(listener_state)
        self.nominations, self._stored, self.by_cadre, self.waiting = nominations, stored, by_cadre, waiting
        self.trail = defaultdict(list)


def _keeps_state(listener: Any) -> bool:
    return hasattr(listener, "snapshot_state") and hasattr(listener, "restore_state")


def _record(nomination: Nomination) -> bytes:
    """A nomination as one snapshot record: compact JSON, parsed only when first read after a restart."""
    return compact_json.dumps(nomination_to_list(nomination))


class _Nominations(dict):
    """nomination id -> Nomination; entries restored from a snapshot are built on first read.

    A restored entry is the index of its snapshot record; readers build it and swap it in only if
    the follower has not replaced it meanwhile.
    """

    _lock = threading.Lock()

    def __init__(self, entries: Any = (), records: Records | None = None) -> None:
        super().__init__(entries)
        self.records = records if records is not None else Records()

    def __getitem__(self, key: str) -> Nomination:
        value = dict.__getitem__(self, key)
        return self._built(key, value) if type(value) is int else value

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        return self._built(key, value) if type(value) is int else value

    def values(self) -> list[Nomination]:  # type: ignore[override]
        return [self[key] for key in list(self)]

    def items(self) -> list[tuple[str, Nomination]]:  # type: ignore[override]
        return [(key, self[key]) for key in list(self)]

    def __setitem__(self, key: str, value: Nomination) -> None:
        with self._lock:
            dict.__setitem__(self, key, value)

    def _built(self, key: str, index: int) -> Nomination:
        value = nomination_from_list(orjson.loads(self.records[index]))
        with self._lock:
            current = dict.get(self, key)
            if current is index:
                dict.__setitem__(self, key, value)
                return value
        return self[key]


_OUTCOMES = {"a": Outcome.APPLIED, "v": Outcome.VOID}
SHOWN_CACHE = 2000  # closed streams re-read from the log and kept for the next view


class _StoredTrail:
    """Trail entries a snapshot recorded, as text `topic,partition,offset,outcome,digest;...` per
    stream. The events are re-read from the log when a stream's trail is first shown; an event
    whose stored bytes changed keeps the digest it had when folded, so verification notices."""

    def __init__(self, compact: dict[str, str] | None = None, topics: Sequence[str] = (), reread=None) -> None:
        self.compact = compact or {}
        self.topics: dict[str, int] = {topic: i for i, topic in enumerate(topics)}
        self.reread = reread
        self._shown: dict[str, tuple[str, list[Logged]]] = {}  # streams shown since, by their text

    def events(self, stream_id: str, text: str | None) -> list[Logged]:
        if text is None:
            return []
        shown = self._shown.get(stream_id)
        if shown is None or shown[0] != text:
            if len(self._shown) >= SHOWN_CACHE:
                self._shown.clear()
            shown = self._shown[stream_id] = (text, self._reread_stream(text))
        return shown[1]

    def extend(self, stream_id: str, entries: list[Logged]) -> None:
        """Move folded trail entries of a stream to the compact text."""
        text = ";".join(self._entry(logged) for logged in entries)
        if text:
            before = self.compact.get(stream_id)
            self.compact[stream_id] = f"{before};{text}" if before else text

    def merged(self, compact: dict[str, str], live: dict[str, list[Logged]]) -> dict[str, str]:
        """Compact text of every stream: what was restored or closed, then what was folded since."""
        merged = dict(compact)
        for sid, entries in live.items():
            text = ";".join(self._entry(logged) for logged in entries)
            merged[sid] = f"{merged[sid]};{text}" if sid in merged and text else (merged.get(sid) or text)
        return merged

    def _entry(self, logged: Logged) -> str:
        topic, partition, offset = logged.event.position or ("", 0, -1)
        index = self.topics.setdefault(topic, len(self.topics))
        return f"{index},{partition},{offset},{logged.outcome.value[0]},{logged.event.digest}"

    def _reread_stream(self, text: str) -> list[Logged]:
        names = list(self.topics)
        entries = [entry.split(",") for entry in text.split(";")]
        positions = [(names[int(t)], int(p), int(o)) for t, p, o, _, _ in entries]
        records = self.reread(positions)
        shown = []
        for (_, _, _, outcome, digest), position, record in zip(entries, positions, records, strict=True):
            event = _reread_event(record, position, digest)
            if event is not None:
                shown.append(Logged(event, _OUTCOMES[outcome]))
        return shown


def _reread_event(record: Record | None, position: tuple[str, int, int], digest: str) -> Event | None:
    if record is None:
        return None
    try:
        event = decode(record.value, position=position)
    except DecodeError:
        return None
    return event if event.digest == digest else event._replace(digest=digest)
