"""CaseLinks: the cases topic reduced to what other services need to know of a case.

The review service shows, in the view of a nomination, the open cases linked to its cadre; the
notification service needs a case's units and linked cadre to address its messages. Neither
needs (nor may hold) the description, the reporter's sealed identity, the receipt digest or the
messages, so each case is kept lean: the domain's fold, with those fields dropped after every
event. Services never import each other; they share this projection and the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from shared.application.cases.views import link_view
from shared.domain.supervision.events import COMMITMENT_STREAM_PREFIX
from shared.domain.supervision.evolution import evolve
from shared.domain.supervision.state import Case
from shared.events.envelope import Event
from shared.events.gate import Outcome

Listener = Callable[[Event, "Case | None", "Case"], None]
_KEPT_SUBJECT = ("unit", "nomination_id")


def lean(case: Case) -> Case:
    """The case without what only the supervision service may hold."""
    subject = MappingProxyType({k: v for k, v in case.subject.items() if k in _KEPT_SUBJECT})
    return replace(
        case,
        subject=subject,
        description="",
        identity_sealed=None,
        receipt_digest="",
        messages=(),
        accesses=(),
        history=(),
    )


class CaseLinks:
    """In-memory, lean projection of the cases topic (no snapshot: the topic is small)."""

    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}
        self.by_cadre: dict[str, set[str]] = defaultdict(set)
        self.listeners: list[Listener] = []

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Follower handler)."""
        if outcome is not Outcome.APPLIED or event.stream_id.startswith(COMMITMENT_STREAM_PREFIX):
            return
        before = self.cases.get(event.stream_id)
        after = lean(evolve(before, event))
        self.cases[event.stream_id] = after
        if after.cadre_id is not None:
            self.by_cadre[after.cadre_id].add(event.stream_id)
        for listener in self.listeners:
            listener(event, before, after)

    def get(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    def open_cases(self, cadre_id: str) -> list[dict[str, Any]]:
        """`[{case_id, category, status}]` of the cases linked to the cadre that are neither
        closed nor dismissed, oldest first."""
        found = [self.cases[i] for i in tuple(self.by_cadre.get(cadre_id, ()))]
        found.sort(key=lambda case: (case.received_at, case.case_id))
        return [link_view(case) for case in found if case.is_open]

    def snapshot(self) -> None:
        """Not snapshotted: rebuilt from the (small) cases topic at every start."""
        return None

    def restore(self, state: dict[str, Any], records: Any = ()) -> None:
        raise ValueError("case links are not restored from snapshots")
