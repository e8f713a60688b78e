"""The demo people of development mode, and their tokens.

One person per role, in the units of the README walkthrough: the cadre and the unit reviewer
belong to `county-7`; `city` is the city-wide scope of supervision. Tokens are minted exactly as
`tools/mint_token.py` does (HS256, claims sub, role, unit, name, exp), only in development mode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt


@dataclass(frozen=True)
class DemoPerson:
    id: str
    role: str
    unit: str
    name: str
    latin: str

    def claims(self, hours: float) -> dict:
        return {
            "sub": self.id,
            "role": self.role,
            "unit": self.unit,
            "name": self.name,
            "exp": int(time.time() + hours * 3600),
        }


DEMO_PEOPLE = (
    DemoPerson("c-001", "cadre", "county-7", "张敏", "Zhang Min"),
    DemoPerson("u-001", "unit_reviewer", "county-7", "李伟", "Li Wei"),
    DemoPerson("o-001", "org_reviewer", "org-dept", "王芳", "Wang Fang"),
    DemoPerson("s-001", "secretary", "committee", "陈刚", "Chen Gang"),
    DemoPerson("h-001", "hotline_operator", "city", "孙丽", "Sun Li"),
    DemoPerson("v-001", "supervision_officer", "city", "刘洋", "Liu Yang"),
    DemoPerson("k-001", "custodian", "city", "赵静", "Zhao Jing"),
    DemoPerson("a-001", "admin", "city", "周强", "Zhou Qiang"),
)


def demo_person(person_id: str) -> DemoPerson | None:
    return next((p for p in DEMO_PEOPLE if p.id == person_id), None)


def mint(person: DemoPerson, secret: str, hours: float) -> str:
    """A development token for `person`, as `python -m tools.mint_token` would mint it."""
    return jwt.encode(person.claims(hours), secret, algorithm="HS256")
