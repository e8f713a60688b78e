"""CaseBook: every case and unit commitment folded from the cases topic, with the indexes the
supervision API reads (receipt digest -> case, cadre -> cases).

It is a projection: `apply(event, outcome)` is called with every event of the topic in log order;
only applied events change state. For its snapshot it keeps each stream's applied facts (type,
payload, time, actor) and folds them again on restore: cases are few and short, so a refold is
quick, and the fold stays the domain's `evolve` alone (no second encoding of the state to keep
in step with it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple

from shared.application.cases.views import link_view
from shared.domain.supervision.commitments import evolve_commitment
from shared.domain.supervision.events import COMMITMENT_STREAM_PREFIX
from shared.domain.supervision.evolution import evolve
from shared.domain.supervision.state import Case, Commitment
from shared.events.envelope import Actor, Event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records

Listener = Callable[[Event, "Case | None", "Case"], None]
"""Told of every applied case event with the case before and after it (metrics, notifications)."""


class Fact(NamedTuple):
    """An applied event as the fold reads it (what a snapshot keeps of it)."""

    type: str
    payload: dict[str, Any]
    time: datetime
    actor: Actor


class CaseBook:
    """In-memory projection of the cases topic."""

    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}
        self.commitments: dict[str, Commitment] = {}
        self.by_receipt: dict[str, str] = {}
        self.by_cadre: dict[str, set[str]] = defaultdict(set)
        self.facts: dict[str, list[Fact]] = defaultdict(list)
        self.listeners: list[Listener] = []

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Follower handler)."""
        if outcome is Outcome.APPLIED:
            self._fold(event.stream_id, Fact(event.type, event.payload, event.time, event.actor), event)

    def _fold(self, stream_id: str, fact: Fact, event: Event | None = None) -> None:
        fact = self.kept_fact(fact)
        self.facts[stream_id].append(fact)
        if stream_id.startswith(COMMITMENT_STREAM_PREFIX):
            unit = stream_id.removeprefix(COMMITMENT_STREAM_PREFIX)
            self.commitments[unit] = evolve_commitment(self.commitments.get(unit), fact)
            return
        before = self.cases.get(stream_id)
        after = self.kept_case(evolve(before, fact))
        self.cases[stream_id] = after
        if before is None and after.receipt_digest:
            self.by_receipt[after.receipt_digest] = stream_id
        if after.cadre_id is not None:
            self.by_cadre[after.cadre_id].add(stream_id)
        if event is not None:
            for listener in self.listeners:
                listener(event, before, after)

    def kept_fact(self, fact: Fact) -> Fact:
        """What the book keeps of a fact (all of it; see `CaseLinks`)."""
        return fact

    def kept_case(self, case: Case) -> Case:
        """What the book keeps of a case (all of it; see `CaseLinks`)."""
        return case

    def get(self, case_id: str) -> Case | None:
        """The current state of one case."""
        return self.cases.get(case_id)

    def with_receipt(self, digest: str) -> Case | None:
        """The case whose receipt has this digest."""
        case_id = self.by_receipt.get(digest)
        return self.cases.get(case_id) if case_id else None

    def of_cadre(self, cadre_id: str) -> list[Case]:
        """The cases linked to a cadre, oldest first."""
        found = [self.cases[i] for i in self.by_cadre.get(cadre_id, ())]
        return sorted(found, key=lambda case: (case.received_at, case.case_id))

    def open_cases(self, cadre_id: str) -> list[dict[str, Any]]:
        """`[{case_id, category, status}]` of the cases linked to the cadre that are neither
        closed nor dismissed, oldest first (the review view of a nomination shows them)."""
        return [link_view(case) for case in self.of_cadre(cadre_id) if case.is_open]

    def all(self) -> list[Case]:
        """Every case (a copy of the list: the follower thread adds to the book)."""
        return list(self.cases.values())

    # -- snapshots ---------------------------------------------------------------------------
    def snapshot(self) -> Build | None:
        """Under the follower's lock: copies of the facts; the function builds the JSON-ready
        snapshot state from them outside the lock."""
        facts = {stream_id: list(entries) for stream_id, entries in self.facts.items()}

        def build(records: list[bytes]) -> dict[str, Any]:
            return {"streams": {stream_id: [_plain(f) for f in entries] for stream_id, entries in facts.items()}}

        return build

    def restore(self, state: dict[str, Any], records: Records | None = None) -> None:
        """Start from a snapshot: fold its facts again. ValueError (nothing changed) if it does not fit."""
        fresh = type(self)()
        try:
            for stream_id, entries in state["streams"].items():
                for entry in entries:
                    fresh._fold(stream_id, _fact(entry))
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"not a case book snapshot: {error!r}") from error
        self.cases, self.commitments, self.by_receipt = fresh.cases, fresh.commitments, fresh.by_receipt
        self.by_cadre, self.facts = fresh.by_cadre, fresh.facts


def _plain(fact: Fact) -> list[Any]:
    return [fact.type, fact.payload, fact.time.isoformat(), fact.actor.id, fact.actor.role]


def _fact(entry: Iterable[Any]) -> Fact:
    type_, payload, time, actor_id, actor_role = entry
    return Fact(type_, payload, datetime.fromisoformat(time), Actor(actor_id, actor_role))
