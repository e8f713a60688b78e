"""Guards shared by the command handlers of `decider`; each returns the checked value or raises.

The order in which handlers call them is documented in `decider`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.domain.workflow.commands import REVISABLE_FIELDS, DecideStage
from shared.domain.workflow.errors import Conflict, Forbidden, Invalid, NotFound
from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import DECISIONS, IN_REVIEW, Actor, Nomination, Step


def check_change_keys(changes: Any) -> None:
    """Shape: a revision changes at least one field, and only revisable ones (`Invalid`)."""
    if not isinstance(changes, Mapping) or not changes:
        raise Invalid("a revision must change at least one field", details={"changes": ["must not be empty"]})
    unknown = sorted(str(key) for key in changes if key not in REVISABLE_FIELDS)
    if unknown:
        details = {key: [f"cannot be revised; revisable: {', '.join(REVISABLE_FIELDS)}"] for key in unknown}
        raise Invalid(f"unknown field(s) in revision: {', '.join(unknown)}", details=details)


def check_decision_shape(command: DecideStage) -> None:
    """Shape: a known stage and decision value, an integer step if any, a string comment (`Invalid`)."""
    if command.stage not in STAGE_ROLES:
        raise Invalid(f"unknown stage {command.stage!r}", details={"stage": ["unknown stage"]})
    if command.decision not in DECISIONS:
        message = f"must be one of {', '.join(DECISIONS)}"
        raise Invalid(f"unknown decision {command.decision!r}", details={"decision": [message]})
    if command.step is not None and (isinstance(command.step, bool) or not isinstance(command.step, int)):
        raise Invalid("the step must be an integer", details={"step": ["must be an integer"]})
    if not isinstance(command.comment, str):
        raise Invalid("the comment must be a string", details={"comment": ["must be a string"]})


def open_nomination(state: Nomination | None) -> Nomination:
    """Existence and status: the nomination exists (`NotFound`) and is not terminal (`Conflict`)."""
    if state is None:
        raise NotFound("no such nomination")
    if state.is_terminal:
        raise Conflict(f"nomination {state.nomination_id} is {state.status}; it accepts no more commands")
    return state


def nomination_in_review(state: Nomination | None) -> Nomination:
    """As `open_nomination`, and it waits for a reviewer rather than for the cadre (`Conflict`)."""
    nomination = open_nomination(state)
    if nomination.status != IN_REVIEW:
        raise Conflict("the nomination was returned and is waiting for the cadre's revision")
    return nomination


def check_is_cadre(nomination: Nomination, actor: Actor, verb: str) -> None:
    """Authority: only the cadre of the nomination may `verb` it (`Forbidden`)."""
    if actor.id != nomination.cadre.id:
        raise Forbidden(f"only the cadre who submitted the nomination may {verb} it")


def check_reviewer(nomination: Nomination, stage: str, actor: Actor) -> None:
    """Authority: the role of `stage`, the cadre's unit at the unit stage, and recusal (`Forbidden`)."""
    if actor.role != STAGE_ROLES[stage]:
        raise Forbidden(f"the {stage} stage is decided by role {STAGE_ROLES[stage]}, not {actor.role}")
    if stage == "unit" and actor.unit != nomination.cadre.unit:
        raise Forbidden("unit reviewers decide only nominations of their own unit")
    if actor.id == nomination.cadre.id:
        raise Forbidden("nobody decides their own nomination (recusal)")


def current_step(nomination: Nomination, stage: str | None, index: int | None) -> Step:
    """Currency: the named stage and/or step index is the active step (`Conflict`, "stale")."""
    step = active_step(nomination)
    if stage is not None and stage != step.stage:
        raise Conflict(f"stale: the active step is {step.index} ({step.stage}), not stage {stage}")
    if index is not None and index != step.index:
        raise Conflict(f"stale: the active step is {step.index} ({step.stage}), not step {index}")
    return step


def active_step(nomination: Nomination) -> Step:
    """The active step of a non-terminal nomination."""
    step = nomination.active_step
    if step is None:  # unreachable for a non-terminal nomination; guards a corrupt state
        raise Conflict("the nomination has no active step")
    return step
