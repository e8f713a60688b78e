"""Who may see which cases, and the caller as the domain's actor.

Officers see the cases of their unit (as the unit the case is about, or as the level that
supervises it); the city's officers, custodians and admins see every case; a unit's reviewer sees
the cases its unit must rectify or was assigned education in. What they may DO is the domain's
decision (`shared.domain.supervision.decider`).
"""

from __future__ import annotations

from flask import current_app, request

from shared.application.cases.book import CaseBook
from shared.application.cases.service import CaseService
from shared.application.freshness import catch_up
from shared.domain.supervision.state import CUSTODIAN_ROLE, OFFICER_ROLE, UNIT_ROLE, Actor, Case
from shared.web.auth import Principal, principal, require_role
from shared.web.errors import ApiError, not_found

CASE_READERS = (OFFICER_ROLE, UNIT_ROLE, CUSTODIAN_ROLE, "admin")


def cases() -> CaseService:
    service: CaseService = current_app.extensions["cases"]
    return service


def book() -> CaseBook:
    return cases().book


def actor_of(who: Principal) -> Actor:
    return Actor(id=who.id, role=who.role, unit=who.unit or None, name=who.name)


def optional_principal() -> Principal | None:
    """The caller if a token came with the request (a bad one is still a 401), else None."""
    return principal() if request.headers.get("Authorization") else None


def sees(who: Principal, case: Case) -> bool:
    """Whether the caller may read the case."""
    city = cases().commands.config.city_unit
    if who.role in (CUSTODIAN_ROLE, "admin") or (who.role == OFFICER_ROLE and who.unit == city):
        return True
    if who.role == OFFICER_ROLE:
        return who.unit in (case.unit, case.supervising_unit)
    if who.role == UNIT_ROLE:
        return any(r.unit == who.unit for r in case.rounds) or any(a.unit == who.unit for a in case.education)
    return False


def visible_case(who: Principal, case_id: str) -> Case:
    """The case if the caller may read it: 404 if there is none, 403 if it is out of their scope."""
    require_role(who, *CASE_READERS)
    case = book().get(case_id)
    if case is None:
        catch_up(cases().follower, "to look the case up")
        case = book().get(case_id)
    if case is None:
        raise not_found("case")
    if not sees(who, case):
        raise ApiError(403, "forbidden", "this case is out of your scope")
    return case
