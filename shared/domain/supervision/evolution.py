"""evolve(state, fact) -> the next case; fold(facts) -> the case after all of them.

A fact is any recorded event with `type`, `payload`, `time` and `actor` (the envelope satisfies
`Fact`). Times (received, found, ordered, reported, ...) are the fact's time; due times come from
the payload, so changing the calendar never rewrites history. Unknown event types on an existing
stream are tolerated: they count in `version` and change nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import reduce
from types import MappingProxyType
from typing import Any

from shared.domain.facts import Fact
from shared.domain.supervision import events
from shared.domain.supervision.categories import OBJECTION
from shared.domain.supervision.state import (
    CLOSED,
    DISMISSED,
    EVALUATING,
    FOUND,
    INVESTIGATING,
    OFFICER,
    RECEIVED,
    RECTIFYING,
    REPORTER,
    UPHELD_RESULTS,
    Access,
    Assignment,
    Case,
    Circular,
    Entry,
    Finding,
    Message,
    Round,
)


def evolve(state: Case | None, fact: Fact) -> Case:
    """The case after `fact`; `version` grows by one per fact and each known fact is in `history`.

    Raises `ValueError` when the stream does not start with `ClueReceived` or starts twice.
    """
    if state is None:
        if fact.type != events.CLUE_RECEIVED:
            raise ValueError(f"a case stream starts with {events.CLUE_RECEIVED}, not {fact.type}")
        return _with_entry(_received(fact), fact)
    if fact.type == events.CLUE_RECEIVED:
        raise ValueError(f"case {state.case_id} was already received")
    apply = _APPLIERS.get(fact.type)
    if apply is None:
        return replace(state, version=state.version + 1, updated_at=fact.time)
    changed = replace(state, version=state.version + 1, updated_at=fact.time, **apply(state, fact))
    return _with_entry(changed, fact)


def fold(facts: Iterable[Fact]) -> Case | None:
    """The case after all `facts` in order; None for an empty stream."""
    return reduce(evolve, facts, None)


Changes = dict[str, Any]
"""What an event changes in the case (besides `version`, `updated_at` and `history`)."""


def _with_entry(case: Case, fact: Fact) -> Case:
    entry = Entry(fact.type, case.status, fact.time, fact.actor.id, fact.actor.role)
    return replace(case, history=(*case.history, entry))


def _received(fact: Fact) -> Case:
    payload = fact.payload
    return Case(
        case_id=payload["case_id"],
        version=1,
        kind=payload["kind"],
        category=payload["category"],
        subject=MappingProxyType(dict(payload["subject"])),
        description=payload["description"],
        channel=payload["channel"],
        anonymous=payload["anonymous"],
        identity_sealed=payload.get("identity_sealed"),
        receipt_digest=payload["receipt_digest"],
        unit=payload["unit"],
        supervising_unit=payload["unit"],
        status=RECEIVED,
        received_at=fact.time,
        updated_at=fact.time,
    )


def _accepted(state: Case, fact: Fact) -> Changes:
    return {"status": INVESTIGATING, "cadre_id": fact.payload.get("cadre_id")}


def _dismissed(state: Case, fact: Fact) -> Changes:
    return {"status": DISMISSED, "dismissal_reason": fact.payload["reason"]}


def _found(state: Case, fact: Fact) -> Changes:
    payload = fact.payload
    circular = payload.get("circular")
    finding = Finding(
        result=payload["result"],
        outcome=payload["outcome"],
        summary=payload["summary"],
        found_at=fact.time,
        found_by=fact.actor.id,
        circular=Circular(tuple(circular["units"]), circular["text"]) if circular else None,
    )
    education = payload.get("education")
    assignments = tuple(Assignment(unit, education["requirement"]) for unit in education["units"]) if education else ()
    goes_on = finding.result in UPHELD_RESULTS and state.kind != OBJECTION
    closing = {} if goes_on else {"closed_at": fact.time}
    return {"status": FOUND if goes_on else CLOSED, "finding": finding, "education": assignments, **closing}


def _ordered(state: Case, fact: Fact) -> Changes:
    payload = fact.payload
    opened = _round(payload, payload["round"], fact.time)
    return {"status": RECTIFYING, "rounds": (*state.rounds, opened), "supervising_unit": opened.supervising_unit}


def _round(payload: Mapping[str, Any], number: int, at: datetime) -> Round:
    return Round(
        number=number,
        unit=payload["unit"],
        requirement=payload["requirement"],
        due_days=payload["due_days"],
        due_at=datetime.fromisoformat(payload["due_at"]),
        ordered_at=at,
        supervising_unit=payload["supervising_unit"],
    )


def _reported(state: Case, fact: Fact) -> Changes:
    rounds = _with_current(state, report=fact.payload["what_was_done"], reported_at=fact.time)
    return {"status": EVALUATING, "rounds": rounds}


def _confirmed(state: Case, fact: Fact) -> Changes:
    rounds = _with_current(state, effective=True, evaluation_note=fact.payload["note"], evaluated_at=fact.time)
    return {"status": CLOSED, "rounds": rounds, "closed_at": fact.time}


def _reopened(state: Case, fact: Fact) -> Changes:
    payload = fact.payload
    evaluated = _with_current(state, effective=False, evaluation_note=payload["note"], evaluated_at=fact.time)
    opened = _round(payload, payload["next_round"], fact.time)
    return {"status": RECTIFYING, "rounds": (*evaluated, opened), "supervising_unit": opened.supervising_unit}


def _overdue(state: Case, fact: Fact) -> Changes:
    return {"rounds": _with_current(state, overdue_at=fact.time)}


def _with_current(state: Case, **changes: Any) -> tuple[Round, ...]:
    """The rounds with the current (last) one changed."""
    return (*state.rounds[:-1], replace(state.rounds[-1], **changes))


def _educated(state: Case, fact: Fact) -> Changes:
    unit, note = fact.payload["unit"], fact.payload["note"]
    education = tuple(
        replace(a, done_at=fact.time, note=note) if a.unit == unit and not a.is_done else a for a in state.education
    )
    return {"education": education}


def _message(sender: str) -> Callable[[Case, Fact], Changes]:
    def apply(state: Case, fact: Fact) -> Changes:
        return {"messages": (*state.messages, Message(sender, fact.payload["text"], fact.time))}

    return apply


def _accessed(state: Case, fact: Fact) -> Changes:
    return {"accesses": (*state.accesses, Access(fact.actor.id, fact.payload["reason"], fact.time))}


_APPLIERS: dict[str, Callable[[Case, Fact], Changes]] = {
    events.CASE_ACCEPTED: _accepted,
    events.CASE_DISMISSED: _dismissed,
    events.FINDING_RECORDED: _found,
    events.RECTIFICATION_ORDERED: _ordered,
    events.RECTIFICATION_REPORTED: _reported,
    events.RECTIFICATION_CONFIRMED: _confirmed,
    events.RECTIFICATION_REOPENED: _reopened,
    events.RECTIFICATION_OVERDUE: _overdue,
    events.EDUCATION_COMPLETED: _educated,
    events.MESSAGE_SENT_TO_REPORTER: _message(OFFICER),
    events.MESSAGE_RECEIVED_FROM_REPORTER: _message(REPORTER),
    events.IDENTITY_ACCESSED: _accessed,
}
