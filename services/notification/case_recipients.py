"""Who is told what when a supervision case event is applied (pure: state before and after in,
notices out). Keys as in `recipients`: `person:<id>`, `role:<role>:<unit>`.

Nothing is ever sent to a reporter (they follow with the receipt), and no message carries the
description, the subject's name or anything of the reporter.
"""

from __future__ import annotations

from services.notification.recipients import Notice, person
from shared.domain.supervision import events
from shared.domain.supervision.state import OFFICER_ROLE, UNIT_ROLE, Case

CADRE_ROLE = "cadre"


def officers(unit: str) -> str:
    return f"role:{OFFICER_ROLE}:{unit}"


def unit_reviewers(unit: str) -> str:
    return f"role:{UNIT_ROLE}:{unit}"


def case_notices(event_type: str, payload: dict, state: Case, city_unit: str) -> list[Notice]:
    """The notices an applied case event produces (`state` is the case after it)."""
    ref = f"case {state.case_id}"
    match event_type:
        case events.CLUE_RECEIVED:
            return [Notice(officers(state.unit), f"New {state.kind} clue ({state.category}) in your scope: {ref}.")]
        case events.MESSAGE_RECEIVED_FROM_REPORTER:
            return [Notice(officers(state.supervising_unit), f"The reporter of {ref} wrote a message.")]
        case events.FINDING_RECORDED:
            return _finding(payload, ref)
        case events.RECTIFICATION_ORDERED:
            return [_order(payload, ref)]
        case events.RECTIFICATION_REOPENED:
            escalated = (
                f"Rectification of {ref} was found ineffective; supervised now by {payload['supervising_unit']}."
            )
            return [_order(payload, ref), Notice(officers(payload["supervising_unit"]), escalated)]
        case events.RECTIFICATION_REPORTED:
            done = f"{payload['unit']} reported its rectification of {ref}; it waits for your evaluation."
            return [Notice(officers(state.supervising_unit), done)]
        case events.RECTIFICATION_OVERDUE:
            return _overdue(payload, ref, city_unit)
    return []


def _finding(payload: dict, ref: str) -> list[Notice]:
    found: list[Notice] = []
    if payload.get("cadre_id"):
        outcome = payload["outcome"]
        told = f"A finding about you was recorded in {ref}: {payload['result']}" + (
            f", outcome {outcome}." if outcome != "none" else "."
        )
        found.append(Notice(person(payload["cadre_id"]), told))
    circular = payload.get("circular")
    if circular:
        found += [Notice(f"role:{CADRE_ROLE}:{unit}", f"Circular: {circular['text']}") for unit in circular["units"]]
    education = payload.get("education")
    if education:
        assigned = f"Education assigned ({ref}): {education['requirement']}. Report it done when held."
        found += [Notice(unit_reviewers(unit), assigned) for unit in education["units"]]
    return found


def _order(payload: dict, ref: str) -> Notice:
    due = payload["due_at"][:10]
    return Notice(
        unit_reviewers(payload["unit"]), f"Rectification ordered ({ref}), due {due}: {payload['requirement']}"
    )


def _overdue(payload: dict, ref: str, city_unit: str) -> list[Notice]:
    late = f"Rectification of {ref} by {payload['unit']} is overdue (due {payload['due_at'][:10]})."
    told = [Notice(unit_reviewers(payload["unit"]), late), Notice(officers(payload["supervising_unit"]), late)]
    if payload["supervising_unit"] != city_unit:
        told.append(Notice(officers(city_unit), f"Escalation: {late}"))
    return told
