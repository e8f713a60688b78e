"""A cadre submits a self-nomination: the first step of the channel's route opens at once."""

import uuid
from datetime import datetime

import pytest

from tests.support.deadlines import working_days
from tests.support.people import Person, nomination_body

FIRST_STEP = {"unit": ("unit", 5), "org_department": ("org_department", 10), "secretary": ("secretary", 5)}
ROUTES = {
    "unit": ["unit", "org_department", "secretary"],
    "org_department": ["org_department", "secretary"],
    "secretary": ["secretary", "org_department", "secretary"],
}


class TestSubmitNomination:
    @pytest.mark.parametrize("channel", ["unit", "org_department", "secretary"])
    def test_opens_the_first_step_of_the_channel_route_at_once(self, services, cast, channel) -> None:
        created = services.submit(cast.cadre, channel)

        stage, days = FIRST_STEP[channel]
        assert created["status"] == "in_review"
        assert (created["stage"], created["step"], created["route"]) == (stage, 0, ROUTES[channel])
        assert created["channel"] == channel
        assert created["version"] == 1
        assert created["overdue"] is False
        [opened] = created["history"]
        assert (opened["step"], opened["stage"], opened["decision"], opened["reviewer"]) == (0, stage, None, None)
        assert datetime.fromisoformat(opened["opened_at"]) == services.clock.now
        assert datetime.fromisoformat(opened["due_at"]) == working_days(services.clock.now, days)
        assert created["due_at"] == opened["due_at"]

    def test_takes_the_cadre_from_the_token_and_keeps_the_content(self, services, cast) -> None:
        body = nomination_body()
        created = services.submit(cast.cadre)

        assert created["cadre"] == {"id": cast.cadre.id, "name": cast.cadre.name, "unit": cast.cadre.unit}
        for name in ("target_position", "statement", "achievements", "commitment"):
            assert created[name] == body[name]
        assert created["submitted_at"] == created["updated_at"]
        assert datetime.fromisoformat(created["submitted_at"]) == services.clock.now

    def test_answers_201_with_the_location_of_the_new_view(self, services, cast) -> None:
        created = services.nomination.post("/api/v1/nominations", json=nomination_body(), headers=cast.cadre.headers)

        assert created.status_code == 201
        location = created.headers["Location"]
        assert location.endswith(f"/api/v1/nominations/{created.json['nomination_id']}")
        assert services.nomination.get(location, headers=cast.cadre.headers).json == created.json

    def test_each_submission_is_a_new_nomination(self, services, cast) -> None:
        first = services.submit(cast.cadre)
        second = services.submit(cast.cadre)

        assert first["nomination_id"] != second["nomination_id"]

    def test_the_nomination_reaches_the_unit_reviewers_queue(self, services, cast) -> None:
        created = services.submit(cast.cadre)

        queue = services.review.get("/api/v1/reviews/queue", headers=cast.unit_reviewer.headers).json
        assert [item["nomination_id"] for item in queue["items"]] == [created["nomination_id"]]
        assert queue["items"][0] == created


class TestNoSeniorityGate:
    @pytest.mark.parametrize(
        "field, value",
        [("age", 52), ("years_of_service", 3), ("academic_degree", "PhD"), ("rank", "deputy division")],
    )
    def test_the_request_has_no_field_for_age_service_degree_or_rank(self, services, cast, field, value) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(**{field: value}), headers=cast.cadre.headers
        )

        assert answer.status_code == 422
        assert field in answer.json["error"]["details"]["json"]

    def test_the_post_sought_need_not_be_vacant(self, services, cast) -> None:
        occupied = {"title": "Director", "organization": "Municipal Bureau of Commerce"}
        created = services.submit(cast.cadre, target_position=occupied)

        assert created["target_position"] == occupied
        assert "vacant" not in created and "vacancy" not in created


class TestUnitChannel:
    def test_a_cadre_without_a_unit_cannot_submit_through_the_unit_channel(self, services) -> None:
        unitless = Person(f"cadre-{uuid.uuid4().hex[:8]}", "cadre", "", "No Unit")

        answer = services.nomination.post("/api/v1/nominations", json=nomination_body("unit"), headers=unitless.headers)

        assert answer.status_code in (401, 403, 422)
