"""Random people and their tokens, so tests never share state on a shared log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shared.config import DEVELOPMENT_JWT_SECRET
from tools.mint_token import mint


@dataclass(frozen=True)
class Person:
    id: str
    role: str
    unit: str
    name: str

    @property
    def headers(self) -> dict[str, str]:
        token = mint(self.id, self.role, self.unit, self.name, 1, DEVELOPMENT_JWT_SECRET)
        return {"Authorization": f"Bearer {token}"}


def person_factory(role: str, unit: str | None = None) -> Person:
    ident = f"{role}-{uuid.uuid4().hex[:8]}"
    return Person(ident, role, unit or f"unit-{uuid.uuid4().hex[:6]}", ident.title())


def nomination_body(channel: str = "unit", **changes) -> dict:
    body = {
        "channel": channel,
        "target_position": {"title": "Deputy director", "organization": "Municipal Bureau of Commerce"},
        "statement": "Ten years of rural revitalisation work; strong at project delivery.",
        "achievements": [{"title": "Led the county e-commerce hub", "description": "Sales up 40% in two years"}],
        "commitment": "First-class performance in the province and the country within three years.",
    }
    body.update(changes)
    return body
