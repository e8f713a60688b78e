"""Compact JSON-ready forms of folded state for snapshots, and back.

Lists rather than objects keep snapshots small and quick to parse. Times are ISO-8601 strings
with their offset, so a value read back equals the value written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from shared import compact_json
from shared.domain.workflow.state import Nomination, Person, Step


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
