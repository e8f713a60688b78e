"""HTTP errors: always the JSON shape `{"error": {code, message, details}}`, never a 500 for bad input."""

import base64
import json
import time

import jwt
import pytest

from shared.config import DEVELOPMENT_JWT_SECRET
from tests.support.people import nomination_body, person_factory

READS = [
    ("nomination", "/api/v1/nominations"),
    ("review", "/api/v1/reviews/queue"),
    ("notification", "/api/v1/notifications"),
]


def client(services, name):
    return getattr(services, name)


def assert_error(answer, status: int, code: str | None = None) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.content_type == "application/json"
    assert set(answer.json) == {"error"}
    error = answer.json["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


def claims(**changes) -> dict:
    return {"sub": "cadre-x", "role": "cadre", "unit": "u1", "name": "X", "exp": int(time.time()) + 600, **changes}


def unsigned(payload: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


BAD_AUTHORIZATION = {
    "no header": None,
    "not bearer": "Basic dXNlcjpwYXNz",
    "empty bearer": "Bearer ",
    "garbage": "Bearer not.a.token",
    "bad signature": "Bearer " + jwt.encode(claims(), "some-other-secret-of-enough-length-32b", algorithm="HS256"),
    "expired": "Bearer " + jwt.encode(claims(exp=int(time.time()) - 60), DEVELOPMENT_JWT_SECRET, algorithm="HS256"),
    "alg none": "Bearer " + unsigned(claims(role="admin")),
    "unknown role": "Bearer " + jwt.encode(claims(role="mayor"), DEVELOPMENT_JWT_SECRET, algorithm="HS256"),
    "no exp": "Bearer " + jwt.encode({"sub": "x", "role": "cadre"}, DEVELOPMENT_JWT_SECRET, algorithm="HS256"),
    "no sub": "Bearer " + jwt.encode({"role": "cadre", "exp": claims()["exp"]}, DEVELOPMENT_JWT_SECRET),
}


class TestAuthentication:
    @pytest.mark.parametrize("service, path", READS)
    @pytest.mark.parametrize("case", list(BAD_AUTHORIZATION))
    def test_a_missing_or_bad_token_is_401(self, services, service, path, case) -> None:
        header = BAD_AUTHORIZATION[case]
        headers = {"Authorization": header} if header else {}

        answer = client(services, service).get(path, headers=headers)

        assert_error(answer, 401, "unauthenticated")

    def test_a_bad_token_is_401_even_on_a_write(self, services) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(), headers={"Authorization": BAD_AUTHORIZATION["alg none"]}
        )

        assert_error(answer, 401, "unauthenticated")


class TestAuthorization:
    @pytest.mark.parametrize("role", ["unit_reviewer", "org_reviewer", "secretary", "admin"])
    def test_only_a_cadre_submits(self, services, role) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(), headers=person_factory(role).headers
        )

        error = assert_error(answer, 403, "forbidden")
        assert error["details"] == {"allowed_roles": ["cadre"]}


class TestMalformedRequests:
    @pytest.mark.parametrize(
        "service, path",
        [("nomination", "/api/v1/nominations"), ("review", "/api/v1/reviews/{nid}/decisions")],
    )
    def test_malformed_json_is_400(self, services, cast, service, path) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        who = cast.cadre if service == "nomination" else cast.org_reviewer

        answer = client(services, service).post(
            path.format(nid=nid), data='{"channel": "unit",', content_type="application/json", headers=who.headers
        )

        error = assert_error(answer, 400, "bad_request")
        assert error["details"] == {"json": ["Invalid JSON body."]}

    @pytest.mark.parametrize(
        "body",
        [
            b"[" * 5000 + b"]" * 5000,
            b'{"statement": "\\ud800 lone surrogate"}',
            b'{"channel": "\xff\xfe"}',
            b'{"achievements": 1e999}',
            b'{"achievements": ' + b"9" * 5000 + b"}",
            b'{"channel": NaN}',
        ],
        ids=["deep nesting", "lone surrogate", "not utf-8", "infinite number", "huge integer", "NaN"],
    )
    def test_json_the_log_could_not_hold_is_400_not_500(self, services, cast, body) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", data=body, content_type="application/json", headers=cast.cadre.headers
        )

        assert_error(answer, 400, "bad_request")

    def test_a_lone_surrogate_in_an_otherwise_valid_nomination_is_400(self, services, cast) -> None:
        body = json.dumps(nomination_body(statement="\ud800"), ensure_ascii=True)

        answer = services.nomination.post(
            "/api/v1/nominations", data=body, content_type="application/json", headers=cast.cadre.headers
        )

        assert_error(answer, 400)
        assert services.nomination.get("/api/v1/nominations", headers=cast.cadre.headers).json["count"] == 0

    def test_missing_fields_are_422_with_each_field_named(self, services, cast) -> None:
        answer = services.nomination.post("/api/v1/nominations", json={"channel": "unit"}, headers=cast.cadre.headers)

        error = assert_error(answer, 422, "invalid")
        assert set(error["details"]["json"]) == {"target_position", "statement", "achievements", "commitment"}

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"channel": "mayor"}, "channel"),
            ({"channel": 5}, "channel"),
            ({"achievements": []}, "achievements"),
            ({"achievements": "many"}, "achievements"),
            ({"achievements": [{"description": "no title"}]}, "achievements"),
            ({"target_position": None}, "target_position"),
            ({"target_position": {"title": "Director"}}, "target_position"),
            ({"statement": "x" * 5001}, "statement"),
            ({"commitment": ""}, "commitment"),
        ],
    )
    def test_a_schema_violation_is_422_with_field_details(self, services, cast, changes, field) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(**changes), headers=cast.cadre.headers
        )

        error = assert_error(answer, 422, "invalid")
        assert list(error["details"]["json"]) == [field]

    def test_a_blank_statement_is_422_with_field_details(self, services, cast) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(statement="   "), headers=cast.cadre.headers
        )

        error = assert_error(answer, 422, "invalid")
        assert error["details"] == {"statement": ["must not be blank"]}

    @pytest.mark.parametrize("body", [[nomination_body()], None, "a nomination", 42])
    def test_a_body_that_is_not_an_object_is_422(self, services, cast, body) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", data=json.dumps(body), content_type="application/json", headers=cast.cadre.headers
        )

        error = assert_error(answer, 422, "invalid")
        assert error["details"] == {"json": {"_schema": ["Invalid input type."]}}

    def test_an_unknown_field_is_422_naming_it(self, services, cast) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(priority="high"), headers=cast.cadre.headers
        )

        error = assert_error(answer, 422, "invalid")
        assert error["details"] == {"json": {"priority": ["Unknown field."]}}

    @pytest.mark.parametrize(
        "body, fields",
        [
            ({"stage": "mayor", "decision": "approve"}, {"stage"}),
            ({"stage": "org_department", "decision": "maybe"}, {"decision"}),
            ({"stage": "org_department", "decision": "approve", "step": -1}, {"step"}),
            ({"stage": "org_department", "decision": "approve", "step": "first"}, {"step"}),
            ({"stage": "org_department", "decision": "approve", "comment": 7}, {"comment"}),
            ({"stage": "org_department", "decision": "approve", "urgent": True}, {"urgent"}),
            ({}, {"stage", "decision"}),
        ],
    )
    def test_a_bad_decision_is_422_with_field_details(self, services, cast, body, fields) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]

        answer = services.review.post(f"/api/v1/reviews/{nid}/decisions", json=body, headers=cast.org_reviewer.headers)

        error = assert_error(answer, 422, "invalid")
        assert set(error["details"]["json"]) == fields

    def test_a_bad_withdrawal_reason_is_422(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        answer = services.nomination.post(
            f"/api/v1/nominations/{nid}/withdrawal", json={"reason": ["no"]}, headers=cast.cadre.headers
        )

        assert_error(answer, 422, "invalid")


class TestTooLarge:
    @pytest.mark.parametrize(
        "service, path, who",
        [
            ("nomination", "/api/v1/nominations", "cadre"),
            ("nomination", "/api/v1/nominations/{nid}/revision", "cadre"),
            ("nomination", "/api/v1/nominations/{nid}/withdrawal", "cadre"),
            ("review", "/api/v1/reviews/{nid}/decisions", "org_reviewer"),
        ],
    )
    def test_a_body_over_64_kib_is_413(self, services, cast, service, path, who) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        body = json.dumps({"statement": "x" * (64 * 1024)})

        answer = client(services, service).post(
            path.format(nid=nid), data=body, content_type="application/json", headers=getattr(cast, who).headers
        )

        assert_error(answer, 413)

    def test_a_body_just_under_the_limit_is_read(self, services, cast) -> None:
        answer = services.nomination.post(
            "/api/v1/nominations", json=nomination_body(statement="x" * 5000), headers=cast.cadre.headers
        )

        assert answer.status_code == 201


BODIES = {"revision": {"statement": "x"}, "withdrawal": {}, "decisions": {"stage": "unit", "decision": "approve"}}


class TestNotFound:
    @pytest.mark.parametrize(
        "service, method, path, who",
        [
            ("nomination", "get", "/api/v1/nominations/no-such-id", "cadre"),
            ("nomination", "get", "/api/v1/nominations/no-such-id/events", "cadre"),
            ("nomination", "post", "/api/v1/nominations/no-such-id/revision", "cadre"),
            ("nomination", "post", "/api/v1/nominations/no-such-id/withdrawal", "cadre"),
            ("nomination", "get", "/api/v1/nominations/no-such-id", "admin"),
            ("review", "get", "/api/v1/reviews/no-such-id", "org_reviewer"),
            ("review", "post", "/api/v1/reviews/no-such-id/decisions", "org_reviewer"),
            ("notification", "post", "/api/v1/notifications/no-such-id/read", "cadre"),
        ],
    )
    def test_an_unknown_id_is_404(self, services, cast, service, method, path, who) -> None:
        body = BODIES.get(path.rsplit("/", 1)[-1])
        call = getattr(client(services, service), method)

        answer = call(path, json=body, headers=getattr(cast, who).headers)

        assert_error(answer, 404, "not_found")

    @pytest.mark.parametrize("service", ["nomination", "review", "notification"])
    def test_an_unknown_path_is_a_json_404(self, services, cast, service) -> None:
        assert_error(client(services, service).get("/api/v1/nowhere", headers=cast.cadre.headers), 404, "not_found")

    @pytest.mark.parametrize("service, path", READS)
    def test_a_wrong_method_is_a_json_405(self, services, cast, service, path) -> None:
        answer = client(services, service).delete(path, headers=cast.cadre.headers)

        assert_error(answer, 405, "method_not_allowed")
