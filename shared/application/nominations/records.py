"""Nominations as snapshot records: compact JSON-ready lists, and back, built on first read.

Lists rather than objects keep snapshots small and quick to parse. Times are ISO-8601 strings
with their offset, so a value read back equals the value written.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import orjson

from shared import compact_json
from shared.domain.workflow.state import Nomination, Person, Step
from shared.readside.snapshots.file import Records


def nomination_to_list(n: Nomination) -> list[Any]:
    cadre = n.cadre
    return [
        n.nomination_id,
        n.version,
        [cadre.id, cadre.name, cadre.unit],
        n.channel,
        orjson.Fragment(n.content),  # already JSON: embedded as it is
        n.status,
        list(n.route),
        n.step,
        [step_to_list(s) for s in n.history],
        n.submitted_at.isoformat(),
        n.updated_at.isoformat(),
        n.withdrawal_reason,
        n.overdue,
    ]


def nomination_from_list(raw: list[Any]) -> Nomination:
    (
        nid,
        version,
        cadre,
        channel,
        content,
        status,
        route,
        step,
        history,
        submitted_at,
        updated_at,
        withdrawal_reason,
        overdue,
    ) = raw
    return Nomination(
        nomination_id=nid,
        version=version,
        cadre=Person(*cadre),
        channel=channel,
        content=compact_json.dumps(content),
        status=status,
        route=tuple(route),
        step=step,
        history=tuple(step_from_list(s) for s in history),
        submitted_at=datetime.fromisoformat(submitted_at),
        updated_at=datetime.fromisoformat(updated_at),
        withdrawal_reason=withdrawal_reason,
        overdue=overdue,
    )


def step_to_list(s: Step) -> list[Any]:
    return [
        s.index,
        s.stage,
        s.opened_at.isoformat(),
        s.due_at.isoformat(),
        s.decision,
        s.reviewer,
        s.comment,
        _time_text(s.decided_at),
        _time_text(s.overdue_at),
    ]


def step_from_list(raw: list[Any]) -> Step:
    index, stage, opened_at, due_at, decision, reviewer, comment, decided_at, overdue_at = raw
    return Step(
        index,
        stage,
        datetime.fromisoformat(opened_at),
        datetime.fromisoformat(due_at),
        decision,
        reviewer,
        comment,
        _time(decided_at),
        _time(overdue_at),
    )


def _time_text(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


class LazyNominations(dict[str, Nomination | int]):
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
        return self._built(key, value) if isinstance(value, int) else value

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        return self._built(key, value) if type(value) is int else value

    def values(self) -> list[Nomination]:  # type: ignore[override]
        return [self[key] for key in list(self)]

    def items(self) -> list[tuple[str, Nomination]]:  # type: ignore[override]
        return [(key, self[key]) for key in list(self)]

    def __setitem__(self, key: str, value: Nomination | int) -> None:
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


def record_of(nomination: Nomination) -> bytes:
    """A nomination as one snapshot record: compact JSON, parsed only when first read after a restart."""
    return compact_json.dumps(nomination_to_list(nomination))
