"""The audit trail of a nomination, and its view as it stood at any past time (`?as_of=`)."""

from datetime import timedelta

import pytest

from tests.support.people import person_factory

ENVELOPE = {
    "event_id",
    "type",
    "schema_version",
    "stream_id",
    "stream_version",
    "time",
    "actor",
    "correlation_id",
    "causation_id",
    "payload",
    "outcome",
}


def as_of(services, who, nid, when):
    text = when if isinstance(when, str) else when.isoformat()
    return services.nomination.get(f"/api/v1/nominations/{nid}", query_string={"as_of": text}, headers=who.headers)


@pytest.fixture
def timeline(services, cast) -> dict:
    """A nomination submitted, approved at the unit, returned and revised, a day apart each."""
    times = {"submitted": services.clock.now}
    nid = services.submit(cast.cadre, "unit")["nomination_id"]
    services.clock.advance(days=1)
    times["unit_approved"] = services.clock.now
    assert services.decide(cast.unit_reviewer, nid, "unit", comment="good").status_code == 200
    services.clock.advance(days=1)
    times["returned"] = services.clock.now
    assert services.decide(cast.org_reviewer, nid, "org_department", "return", comment="figures?").status_code == 200
    services.clock.advance(days=1)
    times["revised"] = services.clock.now
    revised = services.nomination.post(
        f"/api/v1/nominations/{nid}/revision", json={"statement": "With figures"}, headers=cast.cadre.headers
    )
    assert revised.status_code == 200
    services.settle()
    return {"nomination_id": nid, "times": times}


class TestAsOf:
    def test_shows_the_nomination_as_it_stood_after_each_step(self, services, cast, timeline) -> None:
        nid, times = timeline["nomination_id"], timeline["times"]
        expected = {
            "submitted": ("in_review", "unit", 0, 1),
            "unit_approved": ("in_review", "org_department", 1, 2),
            "returned": ("returned", "org_department", 1, 3),
            "revised": ("in_review", "org_department", 1, 4),
        }
        for moment, (status, stage, step, version) in expected.items():
            for when in (times[moment], times[moment] + timedelta(hours=12)):
                view = as_of(services, cast.cadre, nid, when)
                assert view.status_code == 200, view.json
                assert (view.json["status"], view.json["stage"], view.json["step"], view.json["version"]) == (
                    status,
                    stage,
                    step,
                    version,
                ), moment

    def test_keeps_the_content_as_it_was_before_a_revision(self, services, cast, timeline) -> None:
        nid, times = timeline["nomination_id"], timeline["times"]

        before = as_of(services, cast.cadre, nid, times["returned"]).json
        after = as_of(services, cast.cadre, nid, times["revised"]).json

        assert before["statement"] != "With figures"
        assert after["statement"] == "With figures"
        assert len(before["history"]) == 2 and len(after["history"]) == 3

    def test_a_time_from_now_on_shows_the_current_view(self, services, cast, timeline) -> None:
        nid = timeline["nomination_id"]
        current = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json

        assert as_of(services, cast.cadre, nid, services.clock.now + timedelta(days=30)).json == current

    def test_a_time_before_the_submission_is_not_found(self, services, cast, timeline) -> None:
        nid, times = timeline["nomination_id"], timeline["times"]

        answer = as_of(services, cast.cadre, nid, times["submitted"] - timedelta(seconds=1))

        assert answer.status_code == 404
        assert answer.json["error"]["code"] == "not_found"

    @pytest.mark.parametrize("bad", ["yesterday", "2025-13-01T00:00:00+00:00", "2025-06-01T12:00:00", ""])
    def test_a_bad_or_naive_time_is_refused_with_details(self, services, cast, timeline, bad) -> None:
        answer = as_of(services, cast.cadre, timeline["nomination_id"], bad)

        assert answer.status_code == 422
        assert "as_of" in answer.json["error"]["details"]["query"]

    def test_another_cadre_cannot_look_into_the_past_either(self, services, cast, timeline) -> None:
        answer = as_of(services, person_factory("cadre"), timeline["nomination_id"], timeline["times"]["returned"])

        assert answer.status_code == 403


class TestEventStream:
    def test_lists_the_stream_in_order_with_the_full_envelope(self, services, cast, timeline) -> None:
        nid, times = timeline["nomination_id"], timeline["times"]

        answer = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cast.cadre.headers)

        assert answer.status_code == 200
        items = answer.json["items"]
        assert answer.json["count"] == len(items) == 4
        assert [e["type"] for e in items] == [
            "NominationSubmitted",
            "StageApproved",
            "NominationReturned",
            "NominationRevised",
        ]
        assert [e["stream_version"] for e in items] == [1, 2, 3, 4]
        assert [e["time"] for e in items] == [times[m].isoformat() for m in times]
        assert [(e["actor"]["id"], e["actor"]["role"]) for e in items] == [
            (cast.cadre.id, "cadre"),
            (cast.unit_reviewer.id, "unit_reviewer"),
            (cast.org_reviewer.id, "org_reviewer"),
            (cast.cadre.id, "cadre"),
        ]
        for event in items:
            assert set(event) >= ENVELOPE
            assert (event["stream_id"], event["schema_version"], event["outcome"]) == (nid, 2, "applied")  # sealing
            assert event["correlation_id"] and event["causation_id"]
        assert len({e["event_id"] for e in items}) == 4

    def test_payloads_carry_the_facts(self, services, cast, timeline) -> None:
        nid = timeline["nomination_id"]

        items = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cast.cadre.headers).json["items"]

        submitted, approved, returned, revised = (e["payload"] for e in items)
        assert submitted["nomination_id"] == nid
        assert submitted["route"] == ["unit", "org_department", "secretary"]
        assert submitted["cadre"]["id"] == cast.cadre.id
        assert (approved["stage"], approved["step"], approved["next_stage"], approved["next_step"]) == (
            "unit",
            0,
            "org_department",
            1,
        )
        assert (returned["stage"], returned["comment"]) == ("org_department", "figures?")
        assert (revised["step"], revised["changes"]) == (1, {"statement": "With figures"})

    def test_the_request_id_becomes_the_correlation_id(self, services, cast) -> None:
        created = services.nomination.post(
            "/api/v1/nominations",
            json={
                "channel": "org_department",
                "target_position": {"title": "Deputy head", "organization": "County"},
                "statement": "Strong at delivery.",
                "achievements": [{"title": "Built the logistics park"}],
                "commitment": "First-class results.",
            },
            headers={**cast.cadre.headers, "X-Request-Id": "req-submit-1"},
        )
        nid = created.json["nomination_id"]
        services.settle()
        services.review.post(
            f"/api/v1/reviews/{nid}/decisions",
            json={"stage": "org_department", "decision": "approve"},
            headers={**cast.org_reviewer.headers, "X-Request-Id": "req-decide-1"},
        )
        services.settle()

        items = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cast.cadre.headers).json["items"]

        assert [e["correlation_id"] for e in items] == ["req-submit-1", "req-decide-1"]

    def test_the_stream_of_an_unknown_nomination_is_not_found(self, services, cast) -> None:
        answer = services.nomination.get("/api/v1/nominations/no-such-id/events", headers=cast.cadre.headers)

        assert answer.status_code == 404
