"""evolve(state, fact) -> the next state; fold(facts) -> the state after all of them.

A fact is any recorded event with `type`, `payload`, `time` and `actor` (the envelope satisfies
`Fact`). Times of steps (opened, decided, flagged) are the fact's time; due times come from the
payload, so changing the configuration never rewrites history. `encode` writes the content of a
nomination (see `state`): the standard library's by default. Unknown event types on an
existing stream are tolerated: they count in `version` and change nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from sys import intern  # names from a small vocabulary (stages, channels, units): one string each
from typing import Any, TypeVar

from shared.domain.facts import Fact
from shared.domain.workflow import events
from shared.domain.workflow.state import (
    APPROVE,
    APPROVED,
    IN_REVIEW,
    ON_NOTICE,
    REJECT,
    REJECTED,
    RETURN,
    RETURNED,
    WITHDRAWN,
    JsonEncoder,
    Nomination,
    Person,
    Step,
    dumps,
    encode_content,
)


def evolve(state: Nomination | None, fact: Fact, encode: JsonEncoder = dumps) -> Nomination:
    """The nomination after `fact`; `version` grows by one per fact.

    Raises `ValueError` when the stream does not start with `NominationSubmitted` or starts twice.
    """
    if state is None:
        if fact.type != events.NOMINATION_SUBMITTED:
            raise ValueError(f"a nomination stream starts with {events.NOMINATION_SUBMITTED}, not {fact.type}")
        return _submitted(fact, encode)
    apply = _APPLIERS.get(fact.type)
    if apply is None:
        if fact.type == events.NOMINATION_SUBMITTED:
            raise ValueError(f"nomination {state.nomination_id} was already submitted")
        return _next(state, fact.time, {})
    return _next(state, fact.time, apply(state, fact, encode))


def fold(facts: Iterable[Fact], encode: JsonEncoder = dumps) -> Nomination | None:
    """The nomination after all `facts` in order; None for an empty stream."""
    state = None
    for fact in facts:
        state = evolve(state, fact, encode)
    return state


Changes = dict[str, Any]
"""What an event changes in the nomination (besides `version` and `updated_at`)."""


def _submitted(fact: Fact, encode: JsonEncoder) -> Nomination:
    payload = fact.payload
    route = tuple(map(intern, payload["route"]))
    cadre = payload["cadre"]
    return Nomination(
        nomination_id=payload["nomination_id"],
        version=1,
        cadre=Person(intern(cadre["id"]), cadre["name"], intern(cadre["unit"])),
        channel=intern(payload["channel"]),
        status=IN_REVIEW,
        route=route,
        step=0,
        history=(Step(0, route[0], fact.time, _time(payload["due_at"])),),
        submitted_at=fact.time,
        updated_at=fact.time,
        content=encode_content(payload, encode),
        proposer=(payload.get("proposer") or {}).get("id"),
    )


def _revised(state: Nomination, fact: Fact, encode: JsonEncoder) -> Changes:
    payload = fact.payload
    index = payload["step"]
    reopened = Step(index, state.route[index], fact.time, _time(payload["due_at"]))
    changes = payload["changes"]
    content = encode_content({**state.contents(), **changes}, encode) if changes else state.content
    history = (*state.history, reopened)
    return {"content": content, "status": IN_REVIEW, "step": index, "history": history, "overdue": False}


def _withdrawn(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    return {"status": WITHDRAWN, "withdrawal_reason": fact.payload["reason"], "overdue": False}


def _stage_approved(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    payload = fact.payload
    opened = Step(payload["next_step"], intern(payload["next_stage"]), fact.time, _time(payload["next_due_at"]))
    return {"step": opened.index, "history": (*_closed(state, fact, APPROVE), opened), "overdue": False}


def _approved(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    # notice_ends_at is absent only from an approval written before public notice existed
    # (version 1, upcast): that approval was final, and stays so
    ends = fact.payload.get("notice_ends_at")
    status = {"status": ON_NOTICE, "notice_ends_at": _time(ends)} if ends else {"status": APPROVED}
    return {**status, "history": _closed(state, fact, APPROVE), "overdue": False}


def _appointed(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    return {"status": APPROVED, "appointed_at": fact.time}


def _objection_upheld(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    return {"status": REJECTED, "objection_case": fact.payload["case_id"]}


def _returned(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    return {"status": RETURNED, "history": _closed(state, fact, RETURN), "overdue": False}


def _rejected(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    return {"status": REJECTED, "history": _closed(state, fact, REJECT), "overdue": False}


def _stage_overdue(state: Nomination, fact: Fact, _: JsonEncoder) -> Changes:
    flagged = _changed(state.history[-1], {"overdue_at": fact.time})
    return {"history": (*state.history[:-1], flagged), "overdue": True}


def _closed(state: Nomination, fact: Fact, decision: str) -> tuple[Step, ...]:
    """The history with its last entry decided by the fact's actor at the fact's time."""
    changes = {
        "decision": decision,
        "reviewer": fact.actor.id,
        "comment": fact.payload.get("comment"),
        "decided_at": fact.time,
    }
    decided = _changed(state.history[-1], changes)
    return (*state.history[:-1], decided)


def _next(state: Nomination, time: datetime, changes: Changes) -> Nomination:
    """The state one event later: `version` + 1, `updated_at` the event's time, and `changes`."""
    return _changed(state, {"version": state.version + 1, "updated_at": time, **changes})


_T = TypeVar("_T", Nomination, Step)
_FIELDS = {kind: {name: i for i, name in enumerate(kind._fields)} for kind in (Nomination, Step)}


def _changed(value: _T, changes: Changes) -> _T:
    """`value._replace(**changes)` at a third of the cost: namedtuple's `_replace` pops every field
    name from a dict, and a fold makes one or two per event."""
    values, fields = list(value), _FIELDS[type(value)]
    for name, new in changes.items():
        values[fields[name]] = new
    return tuple.__new__(type(value), values)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


_APPLIERS: dict[str, Callable[[Nomination, Fact, JsonEncoder], Changes]] = {
    events.NOMINATION_REVISED: _revised,
    events.NOMINATION_WITHDRAWN: _withdrawn,
    events.STAGE_APPROVED: _stage_approved,
    events.NOMINATION_APPROVED: _approved,
    events.NOMINATION_RETURNED: _returned,
    events.NOMINATION_REJECTED: _rejected,
    events.STAGE_OVERDUE: _stage_overdue,
    events.APPOINTED: _appointed,
    events.OBJECTION_UPHELD: _objection_upheld,
}
