"""PublishCommitment: a unit's reviewer publishes its commitment and supervision phone."""

from datetime import UTC, datetime

import pytest

from shared.domain.supervision import (
    Forbidden,
    Invalid,
    PublishCommitment,
    decide_commitment,
    events,
    evolve_commitment,
)

from .conftest import FakeFact, officer, unit_reviewer

T = datetime(2024, 5, 1, 8, tzinfo=UTC)


def publish(unit="unit-a", text="We will not lie flat.", phone="0377-6310 1234"):
    return PublishCommitment(unit=unit, text=text, supervision_phone=phone)


class TestPublishCommitment:
    def test_the_units_reviewer_publishes(self):
        decision = decide_commitment(publish(), None, unit_reviewer("unit-a"))

        assert decision.type == "CommitmentPublished"
        assert decision.payload == {
            "unit": "unit-a",
            "text": "We will not lie flat.",
            "supervision_phone": "0377-6310 1234",
        }

    def test_publishing_again_replaces_the_text_and_phone(self):
        first = decide_commitment(publish(), None, unit_reviewer())
        state = evolve_commitment(None, FakeFact(first.type, first.payload, T, unit_reviewer()))
        second = decide_commitment(publish(text="Answer in a day.", phone="+86 377 123"), state, unit_reviewer())
        state = evolve_commitment(state, FakeFact(second.type, second.payload, T, unit_reviewer()))

        assert (state.text, state.supervision_phone, state.version, state.published_at) == (
            "Answer in a day.",
            "+86 377 123",
            2,
            T,
        )

    @pytest.mark.parametrize("actor", [unit_reviewer("unit-b"), officer("unit-a"), officer("city")])
    def test_nobody_else_publishes_a_units_commitment(self, actor):
        with pytest.raises(Forbidden):
            decide_commitment(publish(), None, actor)

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (publish(text=""), "text"),
            (publish(phone="call us"), "supervision_phone"),
            (publish(phone="12"), "supervision_phone"),
            (publish(phone="1" * 33), "supervision_phone"),
            (publish(unit=" "), "unit"),
        ],
    )
    def test_refuses_malformed_commitments(self, command, field):
        with pytest.raises(Invalid) as refused:
            decide_commitment(command, None, unit_reviewer())
        assert field in refused.value.details

    def test_a_commitment_stream_is_named_after_its_unit(self):
        assert events.commitment_stream("unit-a") == "commitment:unit-a"

    def test_a_stream_starts_with_a_publication(self):
        with pytest.raises(ValueError):
            evolve_commitment(None, FakeFact("Unknown", {}, T, unit_reviewer()))
