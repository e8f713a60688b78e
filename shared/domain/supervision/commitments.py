"""A unit's commitment not to lie flat, with its supervision phone: decide and evolve.

Each unit has its own stream (`events.commitment_stream(unit)`); publishing again replaces the
text and phone (the stream keeps every version for the record).
"""

from __future__ import annotations

import re

from shared.domain.facts import Fact
from shared.domain.supervision import events
from shared.domain.supervision import guards as g
from shared.domain.supervision.commands import PublishCommitment
from shared.domain.supervision.decider import Decision
from shared.domain.supervision.errors import Forbidden
from shared.domain.supervision.state import UNIT_ROLE, Actor, Commitment

PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{2,30}")
"""A telephone number as people write it: digits, spaces, dashes, brackets, an optional leading +."""


def decide_commitment(command: PublishCommitment, state: Commitment | None, actor: Actor) -> Decision:
    """The `CommitmentPublished` event, or a refusal: shape (`Invalid`), then authority: the
    reviewer of that unit alone (`Forbidden`)."""
    unit = g.text(command.unit, "unit", limit="name")
    text = g.text(command.text, "text")
    phone = g.text(command.supervision_phone, "supervision_phone", limit="phone")
    if not PHONE.fullmatch(phone):
        raise g.invalid("supervision_phone", "must be a telephone number (digits, spaces, dashes, brackets, +)")
    if actor.role != UNIT_ROLE or actor.unit != unit:
        raise Forbidden(f"the commitment of {unit} is published by that unit's reviewer")
    return Decision(events.COMMITMENT_PUBLISHED, {"unit": unit, "text": text, "supervision_phone": phone})


def evolve_commitment(state: Commitment | None, fact: Fact) -> Commitment:
    """The unit's commitment after `fact`; unknown event types count in `version` only."""
    version = (state.version if state else 0) + 1
    if fact.type != events.COMMITMENT_PUBLISHED:
        if state is None:
            raise ValueError(f"a commitment stream starts with {events.COMMITMENT_PUBLISHED}, not {fact.type}")
        return Commitment(state.unit, state.text, state.supervision_phone, version, state.published_at)
    payload = fact.payload
    return Commitment(payload["unit"], payload["text"], payload["supervision_phone"], version, fact.time)
