"""ReceiveClue: a clue from the public form or the hotline opens a case; every refusal."""

import pytest

from shared.domain.supervision import Actor, Conflict, Forbidden, Invalid

from .conftest import HOTLINE, PUBLIC, clue, officer


class TestReceiveClue:
    def test_a_public_clue_opens_a_case_through_the_web_channel(self, story):
        decision = story.when(clue())

        assert decision.type == "ClueReceived"
        assert decision.payload == {
            "case_id": "case-1",
            "kind": "cadre",
            "category": "never-available",
            "subject": {"name": "Wang Wu", "unit": "unit-a", "position": "Section chief"},
            "description": "Nobody answers the office phone for weeks.",
            "channel": "web",
            "anonymous": False,
            "identity_sealed": "c2VhbGVk",
            "receipt_digest": "scrypt$abc",
            "unit": "unit-a",
        }

    def test_a_hotline_operator_records_the_hotline_channel(self, story):
        assert story.when(clue(), HOTLINE).payload["channel"] == "hotline"

    def test_an_anonymous_clue_carries_no_identity(self, story):
        decision = story.when(clue(anonymous=True, identity_sealed=None))

        assert decision.payload["anonymous"] is True
        assert decision.payload["identity_sealed"] is None

    def test_a_matter_is_about_the_unit_named(self, story):
        assert story.when(clue("matter", subject={"unit": "unit-b"})).payload["unit"] == "unit-b"

    def test_an_objection_is_supervised_by_the_city(self, story):
        decision = story.when(clue("objection"))

        assert decision.payload["unit"] == "city"
        assert decision.payload["subject"] == {"nomination_id": "n-1"}

    def test_the_position_of_a_cadre_may_be_left_out(self, story):
        decision = story.when(clue(subject={"name": "Wang Wu", "unit": "unit-a"}))

        assert decision.payload["subject"] == {"name": "Wang Wu", "unit": "unit-a"}

    def test_text_is_stored_without_surrounding_blanks(self, story):
        decision = story.when(clue(description="  late again \n"))

        assert decision.payload["description"] == "late again"

    def test_the_case_starts_received_under_its_own_unit(self, story):
        story.received()

        case = story.state
        assert (case.status, case.version, case.unit, case.supervising_unit) == ("received", 1, "unit-a", "unit-a")
        assert case.is_open and not case.is_terminal


class TestReceiveClueRefusals:
    def test_refuses_a_second_clue_with_the_same_case_id(self, story):
        story.received()

        with pytest.raises(Conflict, match="already exists"):
            story.when(clue())

    @pytest.mark.parametrize("role", ["supervision_officer", "cadre", "custodian", "unit_reviewer", "reporter"])
    def test_only_the_public_and_hotline_operators_bring_clues(self, story, role):
        with pytest.raises(Forbidden):
            story.when(clue(), Actor(id="x", role=role, unit="unit-a"))

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"kind": "rumour"}, "kind"),
            ({"category": "traffic-and-parking"}, "category"),  # a matter's category on a cadre case
            ({"category": "no-such"}, "category"),
            ({"subject": {"unit": "unit-a"}}, "subject.name"),
            ({"subject": {"name": "Wang", "unit": "unit-a", "phone": "1"}}, "subject"),
            ({"subject": "Wang Wu"}, "subject"),
            ({"description": "   "}, "description"),
            ({"description": "x" * 5001}, "description"),
            ({"description": None}, "description"),
            ({"anonymous": "no"}, "anonymous"),
            ({"anonymous": True}, "reporter"),  # anonymous, yet an identity came along
            ({"identity_sealed": None}, "reporter"),  # named, yet no identity
            ({"identity_sealed": ""}, "identity_sealed"),
            ({"receipt_digest": ""}, "receipt_digest"),
            ({"case_id": " "}, "case_id"),
        ],
    )
    def test_refuses_malformed_clues_naming_the_field(self, story, fields, field):
        with pytest.raises(Invalid) as refused:
            story.when(clue(**fields))

        assert field in refused.value.details

    def test_refuses_an_objection_without_a_nomination(self, story):
        with pytest.raises(Invalid) as refused:
            story.when(clue("objection", subject={"unit": "unit-a"}))

        assert "subject" in refused.value.details

    def test_an_officer_cannot_post_a_clue_even_when_valid(self, story):
        with pytest.raises(Forbidden):
            story.when(clue(), officer())

    def test_shape_is_checked_before_existence(self, story):
        story.received()

        with pytest.raises(Invalid):
            story.when(clue(description=""), PUBLIC)
