"""Checks shared by the handlers of `decider`; each returns the checked value or raises.

The order in which handlers call them is documented in `decider`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.domain.supervision.categories import CADRE, MATTER, OBJECTION
from shared.domain.supervision.config import TEXT_LIMITS, SupervisionConfig
from shared.domain.supervision.errors import Conflict, Forbidden, Invalid, NotFound
from shared.domain.supervision.state import OFFICER_ROLE, Actor, Case, Round

MAX_UNITS = 50
"""The most units a circular or an education assignment may name."""

SUBJECT_FIELDS: Mapping[str, tuple[tuple[str, bool], ...]] = {
    CADRE: (("name", True), ("unit", True), ("position", False)),
    MATTER: (("unit", True),),
    OBJECTION: (("nomination_id", True),),
}
"""The subject fields of each kind of case, and whether each is required."""


def invalid(field: str, problem: str) -> Invalid:
    """An `Invalid` refusal about one field."""
    return Invalid(f"{field} {problem}", details={field: [problem]})


def text(value: Any, field: str, *, limit: str = "text", required: bool = True) -> str:
    """Shape: a string, not blank when required, within its length limit; returned stripped."""
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if required and not value.strip():
        raise invalid(field, "must not be blank")
    if len(value) > TEXT_LIMITS[limit]:
        raise invalid(field, f"must be at most {TEXT_LIMITS[limit]} characters")
    return value.strip()


def one_of(value: Any, choices: tuple[str, ...], field: str) -> str:
    """Shape: one of the `choices`."""
    if not isinstance(value, str) or value not in choices:
        raise invalid(field, f"must be one of {', '.join(choices)}")
    return value


def working_days(value: Any, field: str, config: SupervisionConfig) -> int:
    """Shape: a whole number of working days between 1 and the configured maximum."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= config.max_due_days:
        raise invalid(field, f"must be a whole number of working days from 1 to {config.max_due_days}")
    return value


def units(value: Any, field: str) -> list[str]:
    """Shape: a non-empty list of unit ids, duplicates dropped in order."""
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise invalid(field, "must be a non-empty list of unit ids")
    if len(value) > MAX_UNITS:
        raise invalid(field, f"must name at most {MAX_UNITS} units")
    checked = [text(unit, field, limit="name") for unit in value]
    return list(dict.fromkeys(checked))


def mapping(value: Any, field: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    """Shape: an object with only the given keys."""
    if not isinstance(value, Mapping):
        raise invalid(field, "must be an object")
    unknown = sorted(str(key) for key in value if key not in keys)
    if unknown:
        raise invalid(field, f"has unknown field(s) {', '.join(unknown)}; expected {', '.join(keys)}")
    return value


def subject(kind: str, value: Any) -> dict[str, str]:
    """Content: the subject fields of `kind`, required ones present and not blank."""
    fields = SUBJECT_FIELDS[kind]
    given = mapping(value, "subject", tuple(name for name, _ in fields))
    checked = {}
    for name, required in fields:
        if name in given or required:
            checked[name] = text(given.get(name), f"subject.{name}", limit="name", required=required)
    return checked


def existing(state: Case | None) -> Case:
    """Existence: the case exists (`NotFound`)."""
    if state is None:
        raise NotFound("no such case")
    return state


def in_status(case: Case, allowed: tuple[str, ...], verb: str) -> None:
    """Status: the case is in one of the `allowed` statuses (`Conflict`)."""
    if case.status not in allowed:
        raise Conflict(f"cannot {verb} a case that is {case.status}; only when {' or '.join(allowed)}")


def check_officer(case: Case, actor: Actor, config: SupervisionConfig) -> None:
    """Authority: a supervision officer of the city or of the case's supervising unit, who is
    not the cadre the case is about (recusal) (`Forbidden`)."""
    if actor.role != OFFICER_ROLE:
        raise Forbidden(f"only a {OFFICER_ROLE} acts on cases, not a {actor.role}")
    if actor.unit not in (config.city_unit, case.supervising_unit):
        raise Forbidden(f"the case is supervised by {case.supervising_unit}; out of your scope")
    if case.cadre_id is not None and actor.id == case.cadre_id:
        raise Forbidden("nobody handles a case about themself (recusal)")


def current_round(case: Case) -> Round:
    """The round of rectification under way (a case rectifying or evaluating has one)."""
    current = case.current_round
    if current is None:  # unreachable in those statuses; guards a corrupt state
        raise Conflict("the case has no rectification round")
    return current
