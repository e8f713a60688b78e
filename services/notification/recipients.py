"""Who is told what when a nomination event is applied (pure: state before and after in, notices out).

A recipient is a key: `person:<id>` or `role:<role>:<unit>` (`*` for any unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from shared.domain.workdays import Calendar, deadline_day
from shared.domain.workflow.routes import ESCALATION, STAGE_ROLES
from shared.domain.workflow.state import Nomination

LABELS = {"unit": "unit", "org_department": "organization department", "secretary": "Party secretary"}
LOCAL = Calendar()  # only its timezone is used: the day a notice ends, in local time


@dataclass(frozen=True, slots=True)
class Notice:
    recipient: str
    message: str


def person(person_id: str) -> str:
    return f"person:{person_id}"


def reviewers(nomination: Nomination, stage: str) -> str:
    unit = nomination.cadre.unit if stage == "unit" else "*"
    return f"role:{STAGE_ROLES[stage]}:{unit}"


def keys_of(person_id: str, role: str, unit: str) -> set[str]:
    """Every recipient key that reaches a caller."""
    return {person(person_id), f"role:{role}:{unit}", f"role:{role}:*"}


def notices(event_type: str, payload: dict, before: Nomination | None, after: Nomination) -> list[Notice]:
    """The notices an applied event produces."""
    title = orjson.loads(after.content)["target_position"].get("title", "the post")
    cadre = person(after.cadre.id)
    stage = after.stage
    outcome = _appointment_notices(event_type, payload, after, title)
    if outcome is not None:
        return outcome
    match event_type:
        case "NominationSubmitted":
            return [
                Notice(cadre, f"Your nomination for {title} was submitted; it waits at the {_l(stage)} stage."),
                Notice(reviewers(after, stage), f"New nomination of {after.cadre.name} for {title} in your queue."),
            ]
        case "StageApproved":
            return [
                Notice(
                    cadre,
                    f"Your nomination for {title} passed the {_l(payload['stage'])} stage; "
                    f"it now waits at the {_l(stage)} stage.",
                ),
                Notice(reviewers(after, stage), f"Nomination of {after.cadre.name} for {title} in your queue."),
            ]
        case "NominationReturned":
            return [Notice(cadre, f"Your nomination for {title} was returned for revision: {payload.get('comment')}")]
        case "NominationRevised":
            return [
                Notice(
                    reviewers(after, stage),
                    f"{after.cadre.name} revised the nomination for {title}; it is back in your queue.",
                )
            ]
        case "NominationApproved":
            return [Notice(cadre, f"Your nomination for {title} was approved.")]
        case "NominationRejected":
            return [Notice(cadre, f"Your nomination for {title} was rejected: {payload.get('comment')}")]
        case "NominationWithdrawn":
            was = before.stage if before else None
            return (
                [Notice(reviewers(after, was), f"{after.cadre.name} withdrew the nomination for {title}.")]
                if was
                else []
            )
        case "StageOverdue":
            late = payload["stage"]
            return [
                Notice(
                    reviewers(after, late),
                    f"Reminder: the nomination of {after.cadre.name} for {title} is overdue at the {_l(late)} stage.",
                ),
                Notice(
                    f"role:{ESCALATION[late]}:*",
                    f"Escalation: the {_l(late)} stage of the nomination of {after.cadre.name} for {title} is overdue.",
                ),
            ]
    return []


def _appointment_notices(event_type: str, payload: dict, after: Nomination, title: str) -> list[Notice] | None:
    """The notices of a direct nomination, a public notice and its end (None for other events)."""
    name, stage = after.cadre.name, after.stage
    match event_type:
        case "NominationSubmitted" if after.proposer:
            told = f"The organization department put you forward for {title}; it waits at the {_l(stage)} stage."
            queued = f"New direct nomination of {name} for {title} in your queue."
            return [Notice(person(after.cadre.id), told), Notice(reviewers(after, stage), queued)]
        case "NominationApproved" if after.notice_ends_at:
            until = deadline_day(after.notice_ends_at, LOCAL).isoformat()
            return _to_all(after, f"The nomination of {name} for {title} is on public notice through {until}.")
        case "Appointed":
            return _to_all(after, f"{name} is appointed {title}: the public notice closed with no objection upheld.")
        case "ObjectionUpheld":
            found = f"found {payload['result']} (case {payload['case_id']})"
            return _to_all(after, f"The nomination of {name} for {title} is rejected: an objection was {found}.")
    return None


def _to_all(after: Nomination, message: str) -> list[Notice]:
    """The cadre, whoever proposed the nomination, and the reviewers of every stage of its route."""
    people = [person(after.cadre.id)] + ([person(after.proposer)] if after.proposer else [])
    stages = dict.fromkeys(after.route)  # each stage once, in route order
    return [Notice(key, message) for key in [*people, *(reviewers(after, stage) for stage in stages)]]


def _l(stage: str | None) -> str:
    return LABELS.get(stage or "", stage or "")
