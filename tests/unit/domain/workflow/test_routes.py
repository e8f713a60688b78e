"""WorkflowConfig: routes and deadlines as data, validated when read."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.workflow import DEFAULT_CONFIG, ESCALATION, STAGE_ROLES, STAGES, WorkflowConfig

OPENED = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class TestDefaultConfig:
    def test_secretary_route_names_the_secretary_stage_twice(self):
        assert DEFAULT_CONFIG.routes["secretary"] == ("secretary", "org_department", "secretary")

    @pytest.mark.parametrize(("stage", "days"), [("unit", 5), ("org_department", 10), ("secretary", 5)])
    def test_due_time_adds_the_stage_deadline_to_the_opening_time(self, stage, days):
        assert DEFAULT_CONFIG.due_at(stage, OPENED) == OPENED + timedelta(days=days)

    def test_every_stage_has_a_deciding_role_and_a_next_level_up(self):
        assert set(STAGE_ROLES) == set(STAGES) == set(ESCALATION)


class TestConfigFromMapping:
    def test_reads_routes_and_due_days_from_plain_data(self):
        config = WorkflowConfig.from_mapping({"routes": {"unit": ["unit", "secretary"]}, "due_days": {"unit": 2.5}})

        assert config.routes["unit"] == ("unit", "secretary")
        assert config.routes["org_department"] == ("org_department", "secretary")
        assert config.due_at("unit", OPENED) == OPENED + timedelta(days=2.5)

    def test_empty_mapping_gives_the_defaults(self):
        assert WorkflowConfig.from_mapping({}) == DEFAULT_CONFIG

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"routes": {"mayor": ["unit"]}}, "unknown channel 'mayor'"),
            ({"routes": {"unit": ["unit", "mayor"]}}, "unknown stage 'mayor'"),
            ({"routes": {"unit": []}}, "is empty"),
            ({"routes": {"unit": "unit"}}, "must be a list"),
            ({"due_days": {"unit": 0}}, "positive number"),
            ({"due_days": {"unit": -1}}, "positive number"),
            ({"due_days": {"unit": "5"}}, "positive number"),
            ({"due_days": {"mayor": 3}}, "unknown stage 'mayor'"),
            ({"deadlines": {}}, "unknown workflow config section"),
            ({"routes": ["unit"]}, "must be a mapping"),
        ],
    )
    def test_refuses_an_invalid_config_with_a_clear_message(self, data, message):
        with pytest.raises(ValueError, match=message):
            WorkflowConfig.from_mapping(data)

    def test_refuses_a_route_stage_without_a_deadline(self):
        with pytest.raises(ValueError, match="no due_days"):
            WorkflowConfig(routes=DEFAULT_CONFIG.routes, due_days={"unit": 1, "secretary": 1})

    def test_config_is_frozen(self):
        with pytest.raises(TypeError):
            DEFAULT_CONFIG.routes["unit"] = ("secretary",)
