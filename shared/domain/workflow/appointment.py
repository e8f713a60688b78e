"""From approval to appointment: the direct nomination, the public notice and its objections.

Decided here, dispatched by `decider` (same signature, same check order):

- `ProposeNomination`: the organization department puts an outstanding cadre forward directly
  (Huzhou); the nomination takes the `direct` route (the secretary alone by default).
- `CloseNotice`: the notice timer closes a window that has ended with no objection open:
  `Appointed`, the nomination is approved.
- `UpholdObjection`: the notice timer records that an objection was found substantiated (or
  partly): `ObjectionUpheld`, the nomination is rejected with the case as the reason.

The objections themselves are supervision cases; the caller folds them and passes what it
found (the open case ids, the upheld case) in the command, so this stays a pure function.
"""

from __future__ import annotations

from datetime import datetime

from shared.domain.workflow import events
from shared.domain.workflow.commands import CloseNotice, ProposeNomination, UpholdObjection
from shared.domain.workflow.content import BLANK, checked_content
from shared.domain.workflow.decision import Decision
from shared.domain.workflow.errors import Conflict, Forbidden, Invalid
from shared.domain.workflow.guards import open_nomination
from shared.domain.workflow.routes import DIRECT, WorkflowConfig
from shared.domain.workflow.state import ON_NOTICE, ORG_ROLE, SYSTEM_ROLE, Actor, Nomination

UPHELD_RESULTS = ("substantiated", "partly")
"""Findings on an objection that stop the appointment (`unsubstantiated` releases the hold)."""


def propose(
    command: ProposeNomination, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    """An org reviewer nominates a cadre directly (never themself): route `direct`."""
    _check_cadre_shape(command)
    if state is not None:
        raise Conflict(f"nomination {state.nomination_id} already exists")
    if actor.role != ORG_ROLE:
        raise Forbidden("only the organization department (org_reviewer) puts a cadre forward directly")
    if actor.id == command.cadre.id:
        raise Forbidden("an org reviewer cannot put themself forward (recusal)")
    content = checked_content({"target_position": command.target_position, "justification": command.justification})
    route = config.route_for(DIRECT)
    cadre = command.cadre
    return Decision(
        events.NOMINATION_SUBMITTED,
        {
            "nomination_id": command.nomination_id,
            "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
            "channel": DIRECT,
            **content,
            "statement": "",
            "achievements": [],
            "commitment": "",
            "proposer": {"id": actor.id, "name": actor.name},
            "route": list(route),
            "due_at": config.due_at(route[0], now).isoformat(),
        },
    )


def close_notice(
    command: CloseNotice, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    """A window that has ended, with no objection open: the appointment."""
    objections = command.open_objections
    if not isinstance(objections, tuple) or not all(isinstance(case, str) for case in objections):
        raise Invalid("open objections must be case ids", details={"open_objections": ["must be a list of ids"]})
    nomination = _on_notice(state, actor)
    assert nomination.notice_ends_at is not None  # set by the approval that opened the notice
    if now < nomination.notice_ends_at:
        raise Conflict(f"the public notice runs until {nomination.notice_ends_at.isoformat()}")
    if objections:
        raise Conflict(f"the appointment is held by open objection(s): {', '.join(objections)}")
    cadre = nomination.cadre
    return Decision(
        events.APPOINTED,
        {
            "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
            "target_position": dict(nomination.target_position),
            "notice_ends_at": nomination.notice_ends_at.isoformat(),
        },
    )


def uphold_objection(
    command: UpholdObjection, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    """An objection found substantiated (or partly) stops the appointment: rejected."""
    if not isinstance(command.case_id, str) or not command.case_id.strip():
        raise Invalid("an objection needs its case id", details={"case_id": [BLANK]})
    if command.result not in UPHELD_RESULTS:
        message = f"must be one of {', '.join(UPHELD_RESULTS)}"
        raise Invalid(f"result {command.result!r} does not uphold an objection", details={"result": [message]})
    _on_notice(state, actor)
    return Decision(events.OBJECTION_UPHELD, {"case_id": command.case_id, "result": command.result})


def _on_notice(state: Nomination | None, actor: Actor) -> Nomination:
    """Existence, status and authority of the timer's commands."""
    nomination = open_nomination(state)
    if nomination.status != ON_NOTICE:
        raise Conflict(f"nomination {nomination.nomination_id} is {nomination.status}, not on public notice")
    if actor.role != SYSTEM_ROLE:
        raise Forbidden("only the system (notice timer) closes a notice or records an objection's outcome")
    return nomination


def _check_cadre_shape(command: ProposeNomination) -> None:
    if not isinstance(command.nomination_id, str) or not command.nomination_id.strip():
        raise Invalid("a nomination needs an id", details={"nomination_id": ["must not be blank"]})
    cadre = command.cadre
    blank = {
        f"cadre.{name}": [BLANK]
        for name, value in (("id", cadre.id), ("name", cadre.name), ("unit", cadre.unit))
        if not isinstance(value, str) or not value.strip()
    }
    if blank:
        raise Invalid("the cadre put forward needs an id, a name and a unit", details=blank)
