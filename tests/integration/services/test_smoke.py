"""A nomination from submission to public notice through the three services, on both backends."""

from tests.support.people import nomination_body, person_factory


def test_a_unit_nomination_travels_to_public_notice_and_the_cadre_is_told(services) -> None:
    cadre = person_factory("cadre")
    unit_reviewer = person_factory("unit_reviewer", cadre.unit)
    org = person_factory("org_reviewer")
    secretary = person_factory("secretary")
    created = services.nomination.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers)
    assert created.status_code == 201, created.json
    nid = created.json["nomination_id"]
    services.settle()
    for who, stage in ((unit_reviewer, "unit"), (org, "org_department"), (secretary, "secretary")):
        decided = services.review.post(
            f"/api/v1/reviews/{nid}/decisions", json={"stage": stage, "decision": "approve"}, headers=who.headers
        )
        assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "on_notice"
    services.settle()
    inbox = services.notification.get("/api/v1/notifications", headers=cadre.headers).json
    assert [i["event_type"] for i in inbox["items"]][0] == "NominationApproved"
    assert inbox["count"] == 4
