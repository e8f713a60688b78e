"""Reviewer queues: which nominations wait for whom, and in what order.

Order is by deadline only (then submission time, then id). Never by age, years of service,
academic degree or rank: the source abolishes "seniority first".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared.domain.workflow.routes import STAGE_ROLES
from shared.domain.workflow.state import IN_REVIEW, Nomination


def waiting_for(nomination: Nomination, role: str, unit: str | None, reviewer_id: str | None = None) -> bool:
    """True when `nomination` waits for a reviewer with `role` (and `unit`, at the unit stage).

    Give `reviewer_id` to leave out the reviewer's own nomination (recusal).
    """
    stage = nomination.stage
    if nomination.status != IN_REVIEW or stage is None or STAGE_ROLES[stage] != role:
        return False
    if stage == "unit" and nomination.cadre.unit != unit:
        return False
    return reviewer_id is None or nomination.cadre.id != reviewer_id


def queue_order(nominations: Iterable[Nomination]) -> list[Nomination]:
    """The nominations sorted by the active step's due time, then submission time, then id.

    Nominations without an active step (terminal) go last, by submission time and id.
    """
    return sorted(nominations, key=_queue_key)


def _queue_key(nomination: Nomination) -> tuple[bool, datetime, datetime, str]:
    step = nomination.active_step
    due_at = step.due_at if step else nomination.submitted_at
    return (step is None, due_at, nomination.submitted_at, nomination.nomination_id)
