"""What ops and API clients read without a token: health, readiness, metrics and the OpenAPI document."""

import pytest

from services.review.app import create_app as create_review

SERVICES = ["nomination", "review", "notification"]
CONTRACT_PATHS = {
    "nomination": {
        "/api/v1/nominations": {"get", "post"},
        "/api/v1/nominations/{nomination_id}": {"get"},
        "/api/v1/nominations/{nomination_id}/events": {"get"},
        "/api/v1/nominations/{nomination_id}/revision": {"post"},
        "/api/v1/nominations/{nomination_id}/withdrawal": {"post"},
    },
    "review": {
        "/api/v1/reviews/queue": {"get"},
        "/api/v1/reviews/{nomination_id}": {"get"},
        "/api/v1/reviews/{nomination_id}/decisions": {"post"},
    },
    "notification": {
        "/api/v1/notifications": {"get"},
        "/api/v1/notifications/{notification_id}/read": {"post"},
    },
}


@pytest.mark.parametrize("service", SERVICES)
class TestProbes:
    def test_healthz_says_ok(self, services, service) -> None:
        answer = getattr(services, service).get("/healthz")

        assert answer.status_code == 200
        assert answer.json == {"status": "ok", "service": service}

    def test_readyz_is_200_once_caught_up_with_the_log(self, services, service) -> None:
        answer = getattr(services, service).get("/readyz")

        assert answer.status_code == 200
        assert answer.json["ready"] is True
        assert all(follower["ready"] for follower in answer.json["followers"].values())

    def test_metrics_are_prometheus_text(self, services, cast, service) -> None:
        client = getattr(services, service)
        client.get("/healthz")

        answer = client.get("/metrics")

        assert answer.status_code == 200
        assert answer.content_type.startswith("text/plain")
        text = answer.get_data(as_text=True)
        assert f"# TYPE {service}_http_requests_total counter" in text
        assert f'{service}_http_requests_total{{method="GET",route="/healthz",status="200"}}' in text
        assert f"# TYPE {service}_events_consumed_total counter" in text
        assert f"{service}_ready 1.0" in text
        assert cast.cadre.id not in text

    def test_openapi_describes_the_contract(self, services, service) -> None:
        answer = getattr(services, service).get("/api/v1/openapi.json")

        assert answer.status_code == 200
        spec = answer.json
        assert spec["openapi"].startswith("3.")
        assert spec["info"]["version"] == "v1"
        for path, methods in CONTRACT_PATHS[service].items():
            assert methods <= set(spec["paths"][path]), path
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


class TestOpenApiSchemas:
    def test_the_submission_schema_has_no_field_for_age_service_degree_or_rank(self, services) -> None:
        spec = services.nomination.get("/api/v1/openapi.json").json
        schemas = spec["components"]["schemas"]
        [submit] = [schema for name, schema in schemas.items() if name.startswith("SubmitNomination")]

        assert set(submit["properties"]) == {"channel", "target_position", "statement", "achievements", "commitment"}
        assert set(submit["required"]) == set(submit["properties"])

    def test_the_decision_schema_lists_the_decisions(self, services) -> None:
        schemas = services.review.get("/api/v1/openapi.json").json["components"]["schemas"]
        [decision] = [schema for name, schema in schemas.items() if name.startswith("DecisionRequest")]

        assert decision["properties"]["decision"]["enum"] == ["approve", "return", "reject"]


class TestReadiness:
    def test_readyz_is_503_until_the_log_has_been_folded(self, config_factory) -> None:
        app = create_review(config_factory("review", start_follower=False))
        try:
            answer = app.test_client().get("/readyz")
            health = app.test_client().get("/healthz")
        finally:
            app.extensions["runtime"].stop()

        assert answer.status_code == 503
        assert answer.json["ready"] is False
        assert health.status_code == 200
