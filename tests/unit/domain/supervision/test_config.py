"""SupervisionConfig: categories as data, validated; the defaults come from the source."""

import pytest

from shared.domain.supervision import CADRE, DEFAULT_CONFIG, MATTER, OBJECTION, SupervisionConfig


class TestDefaults:
    def test_ten_aspects_of_lying_flat_for_cadres(self):
        cadre = DEFAULT_CONFIG.categories_of(CADRE)

        assert len(cadre) == 10
        assert {"meetings-only", "talk-no-results", "never-available"} <= {c.id for c in cadre}
        assert all(c.title and c.title_zh for c in cadre)

    def test_pain_points_for_matters_and_one_category_for_objections(self):
        assert len(DEFAULT_CONFIG.categories_of(MATTER)) >= 3
        assert [c.id for c in DEFAULT_CONFIG.categories_of(OBJECTION)] == ["notice-objection"]

    def test_the_city_is_the_top_level(self):
        assert DEFAULT_CONFIG.city_unit == "city"


class TestFromMapping:
    def test_categories_are_replaced_by_the_configured_ones(self):
        config = SupervisionConfig.from_mapping(
            {
                "categories": [
                    {"id": "late", "kind": "cadre", "title": "Always late"},
                    {"id": "roads", "kind": "matter", "title": "Roads", "title_zh": "道路"},
                    {"id": "obj", "kind": "objection", "title": "Objection"},
                ],
                "city_unit": "municipal",
                "max_due_days": 30,
            }
        )

        assert [c.id for c in config.categories] == ["late", "roads", "obj"]
        assert config.category("roads").title_zh == "道路"
        assert config.category("never-available") is None
        assert (config.city_unit, config.max_due_days) == ("municipal", 30)

    def test_an_empty_mapping_keeps_the_defaults(self):
        assert SupervisionConfig.from_mapping({}) == DEFAULT_CONFIG

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ([], "mapping"),
            ({"colours": []}, "unknown"),
            ({"categories": "late"}, "list"),
            ({"categories": [{"id": "a", "kind": "cadre", "title": "A", "colour": "red"}]}, "unknown category field"),
            ({"categories": [{"id": "a", "kind": "person", "title": "A"}]}, "unknown kind"),
            ({"categories": [{"id": "", "kind": "cadre", "title": "A"}]}, "non-blank"),
            ({"categories": [{"id": "a", "kind": "cadre", "title": "A"}]}, "no category for kind"),
            ({"categories": [{"id": "a", "kind": "cadre", "title": "A"}] * 2}, "twice"),
            ({"city_unit": " "}, "city_unit"),
            ({"max_due_days": 0}, "max_due_days"),
            ({"max_due_days": "5"}, "max_due_days"),
        ],
    )
    def test_refuses_bad_configuration_naming_what_is_wrong(self, data, message):
        with pytest.raises(ValueError, match=message):
            SupervisionConfig.from_mapping(data)
