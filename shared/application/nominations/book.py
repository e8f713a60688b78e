"""NominationBook: every nomination folded from the log, with the indexes the APIs read.

It is a `Projection`: `apply(event, outcome)` is called with every event of the nominations
topic in log order. Only applied events change state; void ones are kept in the audit trail
marked as such. Listeners are told of every applied change (before, after).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from shared import compact_json
from shared.application.nominations.records import LazyNominations, record_of
from shared.application.nominations.trail import Logged, Reread, StoredTrail
from shared.domain.workflow.evolution import evolve, fold
from shared.domain.workflow.queue import queue_order, waiting_for
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import IN_REVIEW, ON_NOTICE, Nomination
from shared.events.envelope import Event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records

Listener = Callable[[Event, Nomination | None, Nomination], Any]
"""Told of every applied event with the nomination before and after it."""


@runtime_checkable
class KeptListener(Protocol):
    """A listener whose own state travels in the book's snapshot (e.g. the workflow metrics)."""

    def __call__(self, event: Event, before: Nomination | None, after: Nomination) -> Any: ...

    def snapshot_state(self) -> Any:
        """A JSON-ready copy of the state (called under the follower's lock)."""

    def restore_state(self, state: Any) -> None:
        """Take the state a snapshot recorded."""


def submission_key(nomination: Nomination) -> tuple[datetime, str]:
    """A cadre's list is ordered by submission time, the id breaking ties."""
    return nomination.submitted_at, nomination.nomination_id


ENCODE = compact_json.dumps  # the content of a nomination, in the domain's format, fast and kept small


class NominationBook:
    """In-memory projection of the nominations topic.

    The audit trail is kept as positions and digests, its events re-read with `reread` (the
    log's `read_at`) when shown.
    """

    def __init__(self, reread: Reread) -> None:
        self.nominations = LazyNominations()
        self.trail = StoredTrail(reread)
        self.by_cadre: dict[str, list[str]] = defaultdict(list)
        self.waiting: dict[str, set[str]] = defaultdict(set)  # reviewer role -> in-review ids
        self.on_notice: set[str] = set()  # ids of the nominations on public notice
        self.listeners: list[Listener] = []

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Projection)."""
        if outcome is Outcome.DUPLICATE:
            return
        self.trail.add(event, outcome)
        if outcome is not Outcome.APPLIED:
            return
        before = self.nominations.get(event.stream_id)
        after = evolve(before, event, ENCODE)
        self.nominations[event.stream_id] = after
        if before is None:
            self.by_cadre[after.cadre.id].append(event.stream_id)  # the string the dicts' keys are already
        self._index(before, after)
        for listener in self.listeners:
            listener(event, before, after)
        if after.is_terminal:
            self.trail.close(event.stream_id)

    def _index(self, before: Nomination | None, after: Nomination) -> None:
        # in review, the active step is the last entry of the history
        if before is not None and before.status == IN_REVIEW and before.history:
            self.waiting[STAGE_ROLES[before.history[-1].stage]].discard(before.nomination_id)
        if after.status == IN_REVIEW and after.history:
            self.waiting[STAGE_ROLES[after.history[-1].stage]].add(after.nomination_id)
        if after.status == ON_NOTICE:
            self.on_notice.add(after.nomination_id)
        elif before is not None and before.status == ON_NOTICE:
            self.on_notice.discard(after.nomination_id)

    def get(self, nomination_id: str) -> Nomination | None:
        """The current state of one nomination."""
        return self.nominations.get(nomination_id)

    def of_cadre(self, cadre_id: str) -> list[Nomination]:
        """A cadre's own nominations, newest first (by `submission_key`)."""
        found = [self.nominations[i] for i in self.by_cadre.get(cadre_id, [])]
        return sorted(found, key=submission_key, reverse=True)

    def open_of_cadre(self, cadre_id: str) -> int:
        """How many of a cadre's nominations are not yet approved, rejected or withdrawn."""
        return sum(self.nominations.is_open(i) for i in self.by_cadre.get(cadre_id, ()))

    def queue(self, role: str, unit: str | None, reviewer_id: str | None = None) -> list[Nomination]:
        """Nominations waiting at the stage of `role` (and `unit` at the unit stage), oldest due first.

        The reviewer's own nomination is left out (recusal).
        """
        waiting = tuple(self.waiting.get(role, ()))  # one C-level copy: the follower thread changes the set
        candidates = [self.nominations[i] for i in waiting]
        return queue_order([n for n in candidates if waiting_for(n, role, unit, reviewer_id)])

    def in_review(self) -> list[Nomination]:
        """Every nomination waiting for a reviewer, at whatever stage (in no particular order)."""
        waiting = [tuple(ids) for ids in tuple(self.waiting.values())]  # C-level copies, as in `queue`
        return [self.nominations[i] for ids in waiting for i in ids]

    def notices(self) -> list[Nomination]:
        """The nominations on public notice, the window ending first first (then by id)."""
        found = [self.nominations[i] for i in tuple(self.on_notice)]  # one C-level copy, as in `queue`
        return sorted(found, key=lambda n: (n.notice_ends_at, n.nomination_id))

    def events(self, nomination_id: str) -> list[Logged]:
        """The stream in log order, void events included (the audit trail)."""
        return self.trail.events(nomination_id)

    def as_of(self, nomination_id: str, when: datetime) -> Nomination | None:
        """The nomination as it stood at `when` (a fold of the applied events up to then)."""
        applied = [e.event for e in self.events(nomination_id) if e.outcome is Outcome.APPLIED]
        return fold([event for event in applied if event.time <= when], ENCODE)

    # -- snapshots (Projection) --------------------------------------------------------------
    def snapshot(self, own_listeners: Sequence[Listener] = ()) -> Build | None:
        """Under the follower's lock: cheap copies of the (immutable) state; the returned function
        builds the snapshot from them outside the lock, each nomination as one record (see
        `shared.readside.snapshots.file`). None when a listener keeps state of its own that a
        snapshot would not restore (the caller's `own_listeners` are the caller's business)."""
        if not self._accounted(own_listeners):
            return None
        listeners = [listener.snapshot_state() for listener in self._kept_listeners(own_listeners)]
        held: dict[str, Nomination | bytes | int] = dict(dict.items(self.nominations))  # see LazyNominations
        restored = self.nominations.records
        by_cadre = {cadre: list(ids) for cadre, ids in self.by_cadre.items()}
        waiting = {role: sorted(ids) for role, ids in self.waiting.items()}
        on_notice = sorted(self.on_notice)
        trail = self.trail.copy()

        def build(records: list[bytes]) -> dict[str, Any]:
            first = len(records)
            records.extend(_record(n, restored) for n in held.values())
            return {
                "nominations": {"ids": list(held), "first_record": first},
                "trail": trail.to_snapshot(),
                "topics": list(trail.topics),
                "by_cadre": by_cadre,
                "waiting": waiting,
                "on_notice": on_notice,
                "listeners": listeners,
            }

        return build

    def restore(self, state: dict[str, Any], records: Records, own_listeners: Sequence[Listener] = ()) -> None:
        """Start from a snapshot; a nomination is built from its record when first read, trail events
        are re-read from the log when first shown. ValueError when the snapshot does not fit."""
        if not self._accounted(own_listeners):
            raise ValueError("a listener of the book keeps state that a snapshot does not hold")
        ids, first = state["nominations"]["ids"], state["nominations"]["first_record"]
        if first + len(ids) > len(records):
            raise ValueError("the snapshot holds fewer records than nominations")
        nominations = LazyNominations(zip(ids, range(first, first + len(ids)), strict=True), records=records)
        trail = StoredTrail.from_snapshot(state["trail"], state["topics"], self.trail.reread)
        by_cadre = defaultdict(list, {cadre: list(ids) for cadre, ids in state["by_cadre"].items()})
        waiting = defaultdict(set, {role: set(ids) for role, ids in state["waiting"].items()})
        on_notice = set(state.get("on_notice", ()))  # absent from snapshots taken before public notice
        kept, listener_states = self._kept_listeners(own_listeners), state["listeners"]
        if len(kept) != len(listener_states):
            raise ValueError(f"the snapshot holds {len(listener_states)} listener states, the book has {len(kept)}")
        for listener, listener_state in zip(kept, listener_states, strict=True):
            listener.restore_state(listener_state)
        self.nominations, self.trail, self.by_cadre, self.waiting = nominations, trail, by_cadre, waiting
        self.on_notice = on_notice

    def _accounted(self, own_listeners: Sequence[Listener]) -> bool:
        """Only a book whose listeners are all accounted for may be snapshotted: the caller's own,
        or listeners that keep their state in the book's snapshot (`snapshot_state`, `restore_state`)."""
        return all(listener in own_listeners or isinstance(listener, KeptListener) for listener in self.listeners)

    def _kept_listeners(self, own_listeners: Sequence[Listener]) -> list[KeptListener]:
        kept = (listener for listener in self.listeners if listener not in own_listeners)
        return [listener for listener in kept if isinstance(listener, KeptListener)]


def _record(held: Nomination | bytes | int, restored: Records) -> bytes:
    """A held nomination as a snapshot record: a packed one (closed) as it is, a restored one as it
    was, an open one written now."""
    if isinstance(held, bytes):
        return held
    return restored[held] if isinstance(held, int) else record_of(held)
