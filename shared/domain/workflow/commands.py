"""What users (and timers) ask the workflow to do. Imperative names; each yields exactly one event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.domain.workflow.state import Person

REVISABLE_FIELDS = ("statement", "achievements", "commitment", "target_position")
"""The fields a cadre may change in a revision."""


@dataclass(frozen=True)
class SubmitNomination:
    """A cadre nominates themself through `channel` for `target_position` ({title, organization})."""

    nomination_id: str
    cadre: Person
    channel: str
    target_position: Mapping[str, Any]
    statement: str
    achievements: Sequence[Mapping[str, Any]]
    commitment: str


@dataclass(frozen=True)
class ReviseNomination:
    """The cadre changes some of `REVISABLE_FIELDS` of a returned nomination; the step re-opens."""

    changes: Mapping[str, Any]


@dataclass(frozen=True)
class WithdrawNomination:
    """The cadre withdraws their nomination while it is in review or returned."""

    reason: str = ""


@dataclass(frozen=True)
class DecideStage:
    """A reviewer decides the active step: "approve", "return" or "reject".

    `stage` names the stage the reviewer saw; `step` (optional) the route index they saw. Both
    must match the active step, so a decision taken on a stale screen is refused.
    """

    stage: str
    decision: str
    comment: str = ""
    step: int | None = None


@dataclass(frozen=True)
class FlagOverdue:
    """The deadline scanner records that step `step` is past its due time (once per opening)."""

    step: int
