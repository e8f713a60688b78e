"""Who is told what when a nomination event is applied (pure: state before and after in, notices out).

A recipient is a key: `person:<id>` or `role:<role>:<unit>` (`*` for any unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from shared.domain.workflow.routes import ESCALATION, STAGE_ROLES
from shared.domain.workflow.state import Nomination

LABELS = {"unit": "unit", "org_department": "organization department", "secretary": "Party secretary"}


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


def _l(stage: str | None) -> str:
    return LABELS.get(stage or "", stage or "")
