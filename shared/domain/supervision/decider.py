"""decide(command, state, actor, now, deadline=..., config=...) -> one event, or a refusal.

Every command yields exactly ONE event: on Kafka the log order decides which event of a stream
wins, and a pair could be split by a competing writer.

Checks run in this order for every command; the first failing one raises:

1. shape (`Invalid`): values wrong whatever the state (types, blanks, lengths, enumerations);
2. existence: no case -> `NotFound` (for ReceiveClue: one exists -> `Conflict`);
3. status (`Conflict`): the command must fit the case's place in the loop
   (accept, dismiss: received; finding: investigating; order: found; report: rectifying;
   evaluate: evaluating; overdue: rectifying, once per round and not before due);
   messages, education reports and the custodian's access do not depend on the status;
4. authority (`Forbidden`): public or hotline operator for a clue; a supervision officer in scope
   (the city, or the case's supervising unit) and not the cadre concerned for triage, finding,
   order, evaluation and messages; the responsible unit's reviewer for the report; a named unit's
   reviewer for education; the reporter (holder of the receipt) for the reporter's messages;
   a custodian for the identity; the system for overdue flags;
5. content (`Invalid`): rules across fields and state (category of the kind, subject fields,
   outcome of a cadre case, circular and education only with an upheld finding, ...).

The custodian's access checks authority before it checks that there is an identity, so that
nobody else learns whether a reporter gave their name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import singledispatch
from typing import Any

from shared.domain.supervision import events
from shared.domain.supervision import guards as g
from shared.domain.supervision.categories import CADRE, KINDS, OBJECTION
from shared.domain.supervision.commands import (
    AcceptCase,
    AccessIdentity,
    CompleteEducation,
    DismissCase,
    EvaluateRectification,
    FlagRectificationOverdue,
    MessageOfficers,
    MessageReporter,
    OrderRectification,
    ReceiveClue,
    RecordFinding,
    ReportRectification,
)
from shared.domain.supervision.config import DEFAULT_CONFIG, Deadline, SupervisionConfig
from shared.domain.supervision.errors import Conflict, Forbidden, NotFound
from shared.domain.supervision.state import (
    CUSTODIAN_ROLE,
    EVALUATING,
    FOUND,
    HOTLINE,
    HOTLINE_ROLE,
    INVESTIGATING,
    NO_OUTCOME,
    OUTCOMES,
    PUBLIC_ROLE,
    RECEIVED,
    RECTIFYING,
    REPORTER_ROLE,
    RESULTS,
    SYSTEM_ROLE,
    UNIT_ROLE,
    UPHELD_RESULTS,
    WEB,
    Actor,
    Case,
)

__all__ = ["Decision", "decide"]

INTAKE_CHANNELS = {PUBLIC_ROLE: WEB, HOTLINE_ROLE: HOTLINE}
"""Who may bring a clue in, and the channel that records."""


@dataclass(frozen=True)
class Decision:
    """The one event a command produces: its type and JSON-ready payload (no envelope yet)."""

    type: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class _Context:
    actor: Actor
    now: datetime
    deadline: Deadline
    config: SupervisionConfig


def decide(
    command: Any,
    state: Case | None,
    actor: Actor,
    now: datetime,
    *,
    deadline: Deadline,
    config: SupervisionConfig = DEFAULT_CONFIG,
) -> Decision:
    """Decide the event `command` by `actor` at `now` (timezone-aware) produces on `state`.

    `deadline(start, days)` computes due times in working days. Raises a `DomainError` in the
    check order of this module's docstring.
    """
    if now.tzinfo is None:
        raise ValueError("decide needs a timezone-aware `now`")
    return _decide(command, state, _Context(actor, now, deadline, config))


@singledispatch
def _decide(command: Any, state: Case | None, ctx: _Context) -> Decision:
    raise TypeError(f"not a supervision command: {type(command).__name__}")


@_decide.register
def _receive(command: ReceiveClue, state: Case | None, ctx: _Context) -> Decision:
    case_id = g.text(command.case_id, "case_id", limit="name")
    kind = g.one_of(command.kind, KINDS, "kind")
    category = g.text(command.category, "category", limit="name")
    description = g.text(command.description, "description", limit="description")
    if not isinstance(command.anonymous, bool):
        raise g.invalid("anonymous", "must be true or false")
    sealed = command.identity_sealed
    if sealed is not None and (not isinstance(sealed, str) or not sealed):
        raise g.invalid("identity_sealed", "must be sealed text or null")
    digest = g.text(command.receipt_digest, "receipt_digest")
    if state is not None:
        raise Conflict(f"case {case_id} already exists")
    channel = INTAKE_CHANNELS.get(ctx.actor.role)
    if channel is None:
        raise Forbidden("clues come from the public or through a hotline operator")
    configured = ctx.config.category(category)
    if configured is None or configured.kind != kind:
        raise g.invalid("category", f"is not a configured category of kind {kind}")
    subject = g.subject(kind, command.subject)
    _check_identity(command.anonymous, sealed)
    return Decision(
        events.CLUE_RECEIVED,
        {
            "case_id": case_id,
            "kind": kind,
            "category": category,
            "subject": subject,
            "description": description,
            "channel": channel,
            "anonymous": command.anonymous,
            "identity_sealed": sealed,
            "receipt_digest": digest,
            "unit": ctx.config.city_unit if kind == OBJECTION else subject["unit"],
        },
    )


def _check_identity(anonymous: bool, sealed: str | None) -> None:
    if anonymous and sealed is not None:
        raise g.invalid("reporter", "must be left out of an anonymous clue")
    if not anonymous and sealed is None:
        raise g.invalid("reporter", "is required unless the clue is anonymous")


@_decide.register
def _accept(command: AcceptCase, state: Case | None, ctx: _Context) -> Decision:
    cadre_id = command.cadre_id
    if cadre_id is not None:
        cadre_id = g.text(cadre_id, "cadre_id", limit="name")
    case = g.existing(state)
    g.in_status(case, (RECEIVED,), "accept")
    g.check_officer(case, ctx.actor, ctx.config)
    if cadre_id is not None and case.kind != CADRE:
        raise g.invalid("cadre_id", f"links a cadre case to its cadre; this case is a {case.kind}")
    if cadre_id is not None and cadre_id == ctx.actor.id:
        raise Forbidden("nobody handles a case about themself (recusal)")
    return Decision(events.CASE_ACCEPTED, {"cadre_id": cadre_id})


@_decide.register
def _dismiss(command: DismissCase, state: Case | None, ctx: _Context) -> Decision:
    reason = g.text(command.reason, "reason")
    case = g.existing(state)
    g.in_status(case, (RECEIVED,), "dismiss")
    g.check_officer(case, ctx.actor, ctx.config)
    return Decision(events.CASE_DISMISSED, {"reason": reason, **_about(case)})


def _about(case: Case) -> dict[str, Any]:
    """What closing events repeat of the case, so that consumers need no fold."""
    return {"kind": case.kind, "nomination_id": case.nomination_id}


@_decide.register
def _finding(command: RecordFinding, state: Case | None, ctx: _Context) -> Decision:
    result = g.one_of(command.result, RESULTS, "result")
    outcome = g.one_of(command.outcome, OUTCOMES, "outcome")
    summary = g.text(command.summary, "summary")
    circular = _circular(command.circular)
    education = _education(command.education)
    case = g.existing(state)
    g.in_status(case, (INVESTIGATING,), "record a finding on")
    g.check_officer(case, ctx.actor, ctx.config)
    upheld = result in UPHELD_RESULTS
    if outcome != NO_OUTCOME and not (upheld and case.kind == CADRE):
        raise g.invalid("outcome", "must be none unless a cadre case is substantiated or partly")
    for name, value in (("circular", circular), ("education", education)):
        if value is not None and not upheld:
            raise g.invalid(name, "goes only with a substantiated or partly finding")
    payload = {"result": result, "outcome": outcome, "summary": summary, "circular": circular}
    payload |= {"education": education, "cadre_id": case.cadre_id, **_about(case)}
    return Decision(events.FINDING_RECORDED, payload)


def _circular(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    given = g.mapping(value, "circular", ("units", "text"))
    return {"units": g.units(given.get("units"), "circular.units"), "text": g.text(given.get("text"), "circular.text")}


def _education(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    given = g.mapping(value, "education", ("units", "requirement"))
    requirement = g.text(given.get("requirement"), "education.requirement")
    return {"units": g.units(given.get("units"), "education.units"), "requirement": requirement}


@_decide.register
def _order(command: OrderRectification, state: Case | None, ctx: _Context) -> Decision:
    unit = g.text(command.unit, "unit", limit="name")
    days = g.working_days(command.due_days, "due_days", ctx.config)
    requirement = g.text(command.requirement, "requirement")
    case = g.existing(state)
    g.in_status(case, (FOUND,), "order rectification of")
    g.check_officer(case, ctx.actor, ctx.config)
    payload = {"round": len(case.rounds) + 1, "unit": unit, "requirement": requirement}
    payload |= _due(days, ctx) | {"supervising_unit": case.supervising_unit}
    return Decision(events.RECTIFICATION_ORDERED, payload)


def _due(days: int, ctx: _Context) -> dict[str, Any]:
    due_at = ctx.deadline(ctx.now, days)
    if due_at.tzinfo is None or due_at <= ctx.now:
        raise ValueError(f"the deadline function gave {due_at!r}, not an aware time after {ctx.now!r}")
    return {"due_days": days, "due_at": due_at.isoformat()}


@_decide.register
def _report(command: ReportRectification, state: Case | None, ctx: _Context) -> Decision:
    what = g.text(command.what_was_done, "what_was_done")
    case = g.existing(state)
    g.in_status(case, (RECTIFYING,), "report on")
    current = g.current_round(case)
    if ctx.actor.role != UNIT_ROLE or ctx.actor.unit != current.unit:
        raise Forbidden(f"the rectification is reported by the reviewer of {current.unit}")
    payload = {"round": current.number, "unit": current.unit, "what_was_done": what}
    return Decision(events.RECTIFICATION_REPORTED, payload)


@_decide.register
def _evaluate(command: EvaluateRectification, state: Case | None, ctx: _Context) -> Decision:
    if not isinstance(command.effective, bool):
        raise g.invalid("effective", "must be true or false")
    note = g.text(command.note, "note", required=not command.effective)
    days = None if command.due_days is None else g.working_days(command.due_days, "due_days", ctx.config)
    requirement = None if command.requirement is None else g.text(command.requirement, "requirement")
    case = g.existing(state)
    g.in_status(case, (EVALUATING,), "evaluate")
    g.check_officer(case, ctx.actor, ctx.config)
    current = g.current_round(case)
    if command.effective:
        return Decision(events.RECTIFICATION_CONFIRMED, {"round": current.number, "note": note})
    payload = {"round": current.number, "note": note, "next_round": current.number + 1, "unit": current.unit}
    payload |= {"requirement": requirement or current.requirement, **_due(days or current.due_days, ctx)}
    return Decision(events.RECTIFICATION_REOPENED, payload | {"supervising_unit": ctx.config.city_unit})


@_decide.register
def _overdue(command: FlagRectificationOverdue, state: Case | None, ctx: _Context) -> Decision:
    if isinstance(command.round, bool) or not isinstance(command.round, int):
        raise g.invalid("round", "must be an integer")
    case = g.existing(state)
    g.in_status(case, (RECTIFYING,), "flag as overdue")
    if ctx.actor.role != SYSTEM_ROLE:
        raise Forbidden("only the system (deadline scanner) flags overdue rectifications")
    current = g.current_round(case)
    if command.round != current.number:
        raise Conflict(f"stale: the current round is {current.number}, not {command.round}")
    if current.overdue_at is not None:
        raise Conflict(f"round {current.number} is already flagged overdue")
    if ctx.now < current.due_at:
        raise Conflict(f"round {current.number} is not due before {current.due_at.isoformat()}")
    payload = {"round": current.number, "unit": current.unit, "due_at": current.due_at.isoformat()}
    return Decision(events.RECTIFICATION_OVERDUE, payload | {"supervising_unit": case.supervising_unit})


@_decide.register
def _educated(command: CompleteEducation, state: Case | None, ctx: _Context) -> Decision:
    note = g.text(command.note, "note", required=False)
    case = g.existing(state)
    if not case.education:
        raise Conflict("no education was assigned in this case")
    assignment = next((a for a in case.education if a.unit == ctx.actor.unit), None)
    if ctx.actor.role != UNIT_ROLE or assignment is None:
        raise Forbidden("education is reported done by the reviewer of a unit it was assigned to")
    if assignment.is_done:
        raise Conflict(f"education in {assignment.unit} was already reported done")
    return Decision(events.EDUCATION_COMPLETED, {"unit": assignment.unit, "note": note})


@_decide.register
def _message_reporter(command: MessageReporter, state: Case | None, ctx: _Context) -> Decision:
    text = g.text(command.text, "text")
    case = g.existing(state)
    g.check_officer(case, ctx.actor, ctx.config)
    return Decision(events.MESSAGE_SENT_TO_REPORTER, {"text": text})


@_decide.register
def _message_officers(command: MessageOfficers, state: Case | None, ctx: _Context) -> Decision:
    text = g.text(command.text, "text")
    g.existing(state)
    if ctx.actor.role != REPORTER_ROLE:
        raise Forbidden("only the reporter, with the receipt, writes as the reporter")
    return Decision(events.MESSAGE_RECEIVED_FROM_REPORTER, {"text": text})


@_decide.register
def _access_identity(command: AccessIdentity, state: Case | None, ctx: _Context) -> Decision:
    reason = g.text(command.reason, "reason")
    case = g.existing(state)
    if ctx.actor.role != CUSTODIAN_ROLE:
        raise Forbidden("only a custodian may open a reporter's identity")
    if case.identity_sealed is None:
        raise NotFound("the reporter of this case gave no identity")
    return Decision(events.IDENTITY_ACCESSED, {"reason": reason})
