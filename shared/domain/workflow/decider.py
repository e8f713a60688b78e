"""decide(command, state) -> the one event it produces, or a refusal (`DomainError`).

Every command yields exactly ONE event, never two: on Kafka the log order decides which event
of a stream wins, and a pair could be split by a competing writer.

Checks run in this order for every command; the first failing one raises:

1. shape (`Invalid`): values wrong whatever the state — a blank nomination id, an unknown stage
   name or decision value, a step index that is not an integer, a comment or reason that is not a
   string, revision changes that are empty or name a field that cannot be revised, a blank case
   id or a result that does not uphold an objection;
2. existence: no nomination -> `NotFound` (for SubmitNomination and ProposeNomination: one
   exists -> `Conflict`);
3. status (`Conflict`): terminal nominations accept nothing; revise needs `returned`; decide and
   flag-overdue need `in_review` (returned -> "waiting for the cadre's revision"); withdraw needs
   `in_review` or `returned`; closing a notice and upholding an objection need `on_notice`;
4. authority (`Forbidden`): the cadre alone submits, revises, withdraws; only an org reviewer
   proposes a cadre directly, never themself; a reviewer needs the role of the stage they name,
   the cadre's unit at the unit stage, and may not decide their own nomination (recusal); only
   the `system` role flags overdue steps, closes notices and upholds objections;
5. currency (`Conflict`): the named stage/step must be the active one ("stale"); a step is flagged
   overdue once and not before it is due; a notice closes only once its window has ended and no
   objection is open;
6. content (`Invalid`): channel and nomination content rules, with field `details`.

The public notice and the direct nomination are decided in `appointment`.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch
from typing import Any

from shared.domain.facts import Fact
from shared.domain.workflow import appointment, events
from shared.domain.workflow.commands import (
    CloseNotice,
    DecideStage,
    FlagOverdue,
    ProposeNomination,
    ReviseNomination,
    SubmitNomination,
    UpholdObjection,
    WithdrawNomination,
)
from shared.domain.workflow.content import checked_content
from shared.domain.workflow.decision import Decision
from shared.domain.workflow.errors import Conflict, Forbidden, Invalid
from shared.domain.workflow.evolution import evolve, fold
from shared.domain.workflow.guards import (
    active_step,
    check_change_keys,
    check_decision_shape,
    check_is_cadre,
    check_reviewer,
    current_step,
    nomination_in_review,
    open_nomination,
)
from shared.domain.workflow.routes import CHANNELS, DEFAULT_CONFIG, WorkflowConfig
from shared.domain.workflow.state import (
    APPROVE,
    CADRE_ROLE,
    ON_NOTICE,
    REJECT,
    RETURN,
    RETURNED,
    SYSTEM_ROLE,
    Actor,
    Nomination,
)

__all__ = ["Decision", "Fact", "decide", "evolve", "fold"]


def decide(
    command: Any,
    state: Nomination | None,
    actor: Actor,
    now: datetime,
    config: WorkflowConfig = DEFAULT_CONFIG,
) -> Decision:
    """Decide the event `command` by `actor` at `now` (timezone-aware) produces on `state`.

    Raises a `DomainError` (`Invalid`, `NotFound`, `Conflict`, `Forbidden`) when the command is
    refused, in the check order of this module's docstring.
    """
    if now.tzinfo is None:
        raise ValueError("decide needs a timezone-aware `now`")
    return _decide(command, state, actor, now, config)


@singledispatch
def _decide(command: Any, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig) -> Decision:
    raise TypeError(f"not a workflow command: {type(command).__name__}")


@_decide.register
def _submit(
    command: SubmitNomination, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    if not isinstance(command.nomination_id, str) or not command.nomination_id.strip():
        raise Invalid("a nomination needs an id", details={"nomination_id": ["must not be blank"]})
    if state is not None:
        raise Conflict(f"nomination {state.nomination_id} already exists")
    if actor.role != CADRE_ROLE or actor.id != command.cadre.id:
        raise Forbidden("only a cadre may submit, and only a nomination of themself")
    if command.channel not in CHANNELS:
        raise Invalid(f"unknown channel {command.channel!r}", details={"channel": ["unknown channel"]})
    content = checked_content(
        {
            "target_position": command.target_position,
            "statement": command.statement,
            "achievements": command.achievements,
            "commitment": command.commitment,
        }
    )
    route = config.route_for(command.channel)
    cadre = command.cadre
    if "unit" in route and not (cadre.unit or "").strip():
        raise Invalid(
            "this route passes the unit stage, so the cadre needs a unit (the token has none)",
            details={"unit": ["required for a route through the unit stage"]},
        )
    return Decision(
        events.NOMINATION_SUBMITTED,
        {
            "nomination_id": command.nomination_id,
            "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
            "channel": command.channel,
            **content,
            "route": list(route),
            "due_at": config.due_at(route[0], now).isoformat(),
        },
    )


@_decide.register
def _revise(
    command: ReviseNomination, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    check_change_keys(command.changes)
    nomination = open_nomination(state)
    if nomination.status != RETURNED:
        raise Conflict("only a returned nomination can be revised; this one is in review")
    check_is_cadre(nomination, actor, "revise")
    changes = checked_content(command.changes)
    step = active_step(nomination)
    payload = {"changes": changes, "step": step.index, "due_at": config.due_at(step.stage, now).isoformat()}
    return Decision(events.NOMINATION_REVISED, payload)


@_decide.register
def _withdraw(
    command: WithdrawNomination, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    if not isinstance(command.reason, str):
        raise Invalid("the reason must be a string", details={"reason": ["must be a string"]})
    nomination = open_nomination(state)
    if nomination.status == ON_NOTICE:
        raise Conflict("the nomination is on public notice; it can no longer be withdrawn")
    check_is_cadre(nomination, actor, "withdraw")
    return Decision(events.NOMINATION_WITHDRAWN, {"reason": command.reason})


@_decide.register
def _decide_stage(
    command: DecideStage, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    check_decision_shape(command)
    nomination = nomination_in_review(state)
    check_reviewer(nomination, command.stage, actor)
    step = current_step(nomination, command.stage, command.step)
    closing = {"stage": step.stage, "step": step.index, "comment": command.comment}
    if command.decision == APPROVE and not nomination.is_last_step:
        next_stage = nomination.route[step.index + 1]
        next_due_at = config.due_at(next_stage, now).isoformat()
        opening = {"next_stage": next_stage, "next_step": step.index + 1, "next_due_at": next_due_at}
        return Decision(events.STAGE_APPROVED, {**closing, **opening})
    if command.decision == APPROVE:
        return Decision(
            events.NOMINATION_APPROVED, {**closing, "notice_ends_at": config.notice_ends_at(now).isoformat()}
        )
    return Decision(_CLOSING_EVENTS[command.decision], closing)


_CLOSING_EVENTS = {
    RETURN: events.NOMINATION_RETURNED,
    REJECT: events.NOMINATION_REJECTED,
}


@_decide.register
def _flag_overdue(
    command: FlagOverdue, state: Nomination | None, actor: Actor, now: datetime, config: WorkflowConfig
) -> Decision:
    if isinstance(command.step, bool) or not isinstance(command.step, int):
        raise Invalid("the step must be an integer", details={"step": ["must be an integer"]})
    nomination = nomination_in_review(state)
    if actor.role != SYSTEM_ROLE:
        raise Forbidden("only the system (deadline scanner) flags overdue steps")
    step = current_step(nomination, None, command.step)
    if step.overdue_at is not None:
        raise Conflict(f"step {step.index} ({step.stage}) is already flagged overdue")
    if now < step.due_at:
        raise Conflict(f"step {step.index} ({step.stage}) is not due before {step.due_at.isoformat()}")
    return Decision(events.STAGE_OVERDUE, {"stage": step.stage, "step": step.index, "due_at": step.due_at.isoformat()})


_decide.register(ProposeNomination, appointment.propose)
_decide.register(CloseNotice, appointment.close_notice)
_decide.register(UpholdObjection, appointment.uphold_objection)
