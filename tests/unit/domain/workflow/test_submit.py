"""SubmitNomination: who may submit, what must be stated, and the event it yields."""

from datetime import timedelta

import pytest

from shared.domain.workflow import Actor, Conflict, Forbidden, Invalid, SubmitNomination


class TestSubmitNomination:
    def test_submission_opens_the_first_step_of_the_channel_route(self, story):
        decision = story.when(story.submission("unit"))

        assert decision.type == "NominationSubmitted"
        assert decision.payload["route"] == ["unit", "org_department", "secretary"]
        assert decision.payload["cadre"] == {"id": "c-1", "name": "Li Wei", "unit": "unit-a"}

    def test_payload_carries_exactly_the_contract_keys_as_json(self, story):
        decision = story.when(story.submission("secretary"))

        assert set(decision.payload) == {
            "nomination_id", "cadre", "channel", "target_position", "statement",
            "achievements", "commitment", "route", "due_at",
        }  # fmt: skip
        assert decision.payload["achievements"] == [
            {"title": "Cut permit time by 60%", "description": "One-window reform, 2023"}
        ]
        assert isinstance(decision.payload["due_at"], str)

    def test_first_due_time_counts_from_now_with_the_stage_deadline(self, story):
        now = story.clock
        decision = story.when(story.submission("org_department"), at=now)

        assert decision.payload["due_at"] == (now + timedelta(days=10)).isoformat()

    def test_target_position_keeps_only_title_and_organization(self, story):
        position = {"title": "Director", "organization": "Bureau", "vacant": True}
        decision = story.when(story.submission(target_position=position))

        assert decision.payload["target_position"] == {"title": "Director", "organization": "Bureau"}

    def test_rejects_a_second_submission_of_the_same_nomination(self, story):
        story.submitted()

        with pytest.raises(Conflict):
            story.when(story.submission())

    def test_forbids_submitting_for_someone_else(self, story):
        other = Actor(id="c-2", role="cadre", unit="unit-a")

        with pytest.raises(Forbidden):
            story.when(story.submission(), other)

    def test_forbids_submitting_with_a_reviewer_role(self, story):
        reviewer_token = Actor(id="c-1", role="unit_reviewer", unit="unit-a")

        with pytest.raises(Forbidden):
            story.when(story.submission(), reviewer_token)

    def test_rejects_an_unknown_channel(self, story):
        with pytest.raises(Invalid) as refused:
            story.when(story.submission("mayor"))

        assert "channel" in refused.value.details

    @pytest.mark.parametrize("field", ["statement", "commitment"])
    def test_rejects_a_blank_statement_or_commitment(self, story, field):
        with pytest.raises(Invalid) as refused:
            story.when(story.submission(**{field: "   "}))

        assert refused.value.details == {field: ["must not be blank"]}

    def test_requires_at_least_one_achievement(self, story):
        with pytest.raises(Invalid) as refused:
            story.when(story.submission(achievements=[]))

        assert "achievements" in refused.value.details

    def test_requires_a_title_on_every_achievement(self, story):
        achievements = [{"title": "Port reform"}, {"title": " ", "description": "no title"}]

        with pytest.raises(Invalid) as refused:
            story.when(story.submission(achievements=achievements))

        assert list(refused.value.details) == ["achievements[1].title"]

    def test_reports_every_invalid_field_at_once(self, story):
        command = story.submission(statement="", commitment="", target_position={"title": "Director"})

        with pytest.raises(Invalid) as refused:
            story.when(command)

        assert set(refused.value.details) == {"statement", "commitment", "target_position.organization"}
        assert refused.value.code == "invalid"

    def test_rejects_a_blank_nomination_id(self, story):
        with pytest.raises(Invalid) as refused:
            story.when(story.submission(nomination_id=" "))

        assert "nomination_id" in refused.value.details

    def test_asks_nothing_about_age_service_years_degree_or_rank(self):
        fields = set(SubmitNomination.__dataclass_fields__)

        assert fields.isdisjoint({"age", "birth_date", "years_of_service", "degree", "rank"})


def test_refuses_a_route_through_the_unit_stage_for_a_cadre_without_a_unit() -> None:
    from datetime import UTC, datetime

    from shared.domain.workflow import Invalid, SubmitNomination, decide
    from shared.domain.workflow.state import Actor, Person

    cadre = Person("c-9", "No Unit", "")
    command = SubmitNomination(
        "n-9", cadre, "unit", {"title": "T", "organization": "O"}, "s", [{"title": "a", "description": ""}], "c"
    )
    try:
        decide(command, None, Actor("c-9", "cadre"), datetime.now(UTC))
    except Invalid as refused:
        assert "unit" in refused.details
    else:
        raise AssertionError("a unit-less cadre was allowed onto the unit route")
