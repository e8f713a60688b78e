"""The authorization matrix: every role x every endpoint x own / other unit / own nomination."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.config import DEVELOPMENT_JWT_SECRET
from tests.support.apps import settle
from tests.support.people import Person, nomination_body

UNIT = "matrix-unit"
OWNER = Person("matrix-owner", "cadre", UNIT, "Owner")
OWNER_AS_REVIEWER = Person(OWNER.id, "unit_reviewer", UNIT, "Owner")  # recusal: same person, reviewer token
CALLERS = {
    "owner": OWNER,
    "other_cadre": Person("matrix-other", "cadre", UNIT, "Other"),
    "unit_reviewer": Person("matrix-ur", "unit_reviewer", UNIT, "UR"),
    "unit_reviewer_other_unit": Person("matrix-ur2", "unit_reviewer", "elsewhere", "UR2"),
    "org_reviewer": Person("matrix-org", "org_reviewer", "org", "Org"),
    "secretary": Person("matrix-sec", "secretary", "committee", "Sec"),
    "admin": Person("matrix-admin", "admin", "ops", "Admin"),
    "owner_as_reviewer": OWNER_AS_REVIEWER,
}
READ_ONE = {"owner": 200, "owner_as_reviewer": 200, "admin": 200}  # the person, whatever token; else 403
REVIEW_READ = {"unit_reviewer": 200, "org_reviewer": 200, "secretary": 200, "admin": 200, "owner_as_reviewer": 200}
MATRIX = [
    ("nomination", "POST", "/api/v1/nominations", {"owner": 201, "other_cadre": 201}),
    ("nomination", "GET", "/api/v1/nominations", dict.fromkeys(CALLERS, 200)),
    ("nomination", "GET", "/api/v1/nominations/{id}", READ_ONE),
    ("nomination", "GET", "/api/v1/nominations/{id}/events", READ_ONE),
    ("nomination", "GET", "/api/v1/nominations/{id}/verify", READ_ONE),
    ("nomination", "POST", "/api/v1/nominations/{id}/revision", {"owner": 409, "owner_as_reviewer": 409}),
    ("nomination", "POST", "/api/v1/nominations/{id}/withdrawal", {"owner": 200, "owner_as_reviewer": 200}),
    (
        "review",
        "GET",
        "/api/v1/reviews/queue",
        {
            "unit_reviewer": 200,
            "unit_reviewer_other_unit": 200,
            "org_reviewer": 200,
            "secretary": 200,
            "owner_as_reviewer": 200,
        },
    ),
    ("review", "GET", "/api/v1/reviews/{id}", REVIEW_READ),
    ("review", "POST", "/api/v1/reviews/{id}/decisions", {"unit_reviewer": 200}),
    ("review", "POST", "/api/v1/reviews/overdue-scan", {"admin": 200}),
    ("notification", "GET", "/api/v1/notifications", dict.fromkeys(CALLERS, 200)),
]
BODIES = {
    "/api/v1/nominations": nomination_body(),
    "/revision": {"statement": "Revised statement."},
    "/withdrawal": {"reason": "matrix"},
    "/decisions": {"stage": "unit", "decision": "approve"},
}


def body_for(path: str) -> dict | None:
    return next((body for suffix, body in BODIES.items() if path.endswith(suffix)), None)


def fresh_nomination(apps) -> str:
    created = (
        apps["nomination"].test_client().post("/api/v1/nominations", json=nomination_body(), headers=OWNER.headers)
    )
    assert created.status_code == 201
    settle(apps.values())
    return created.json["nomination_id"]


CELLS = [
    (service, method, path, caller, expected.get(caller, 403))
    for service, method, path, expected in MATRIX
    for caller in CALLERS
]


@pytest.mark.parametrize(
    ("service", "method", "path", "caller", "status"), CELLS, ids=[f"{c[1]} {c[2]} as {c[3]}" for c in CELLS]
)
def test_each_role_gets_the_expected_answer(apps, service, method, path, caller, status) -> None:
    nid = fresh_nomination(apps)
    client = apps[service].test_client()
    url = path.replace("{id}", nid)
    response = client.open(url, method=method, json=body_for(path), headers=CALLERS[caller].headers)
    assert response.status_code == status, response.json
    if status >= 400:
        assert set(response.json["error"]) == {"code", "message", "details"}


def test_unknown_nomination_is_404_for_those_who_may_read(apps) -> None:
    client = apps["nomination"].test_client()
    assert client.get("/api/v1/nominations/unknown", headers=OWNER.headers).status_code == 404
    review = apps["review"].test_client()
    assert review.get("/api/v1/reviews/unknown", headers=CALLERS["org_reviewer"].headers).status_code == 404


def test_a_notification_of_someone_else_is_404(apps) -> None:
    nid = fresh_nomination(apps)
    inbox = apps["notification"].test_client()
    mine = [
        i for i in inbox.get("/api/v1/notifications", headers=OWNER.headers).json["items"] if i["nomination_id"] == nid
    ]
    assert mine
    path = f"/api/v1/notifications/{mine[0]['id']}/read"
    assert inbox.post(path, headers=CALLERS["other_cadre"].headers).status_code == 404
    assert inbox.post(path, headers=OWNER.headers).status_code == 200


def token(claims: dict, key: str = DEVELOPMENT_JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(
        {"sub": "c", "role": "cadre", "unit": UNIT, "exp": int(time.time()) + 600, **claims}, key, algorithm=algorithm
    )


def unsigned(claims: dict) -> str:
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    payload = {"sub": "c", "role": "admin", "unit": UNIT, "exp": int(time.time()) + 600, **claims}
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


BAD_TOKENS = {
    "missing": None,
    "expired": token({"exp": int(time.time()) - 10}),
    "wrongly signed": token({}, key="not-the-secret-but-long-enough-for-hs256"),
    "alg none": unsigned({}),
    "not a jwt": "abc.def",
    "unknown role": token({"role": "emperor"}),
    "no subject": jwt.encode({"role": "cadre", "exp": int(time.time()) + 600}, DEVELOPMENT_JWT_SECRET, "HS256"),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
@pytest.mark.parametrize(("service", "method", "path", "_"), MATRIX, ids=[f"{m[1]} {m[2]}" for m in MATRIX])
def test_a_bad_token_is_401_everywhere(apps, kind, service, method, path, _) -> None:
    headers = {} if BAD_TOKENS[kind] is None else {"Authorization": f"Bearer {BAD_TOKENS[kind]}"}
    response = (
        apps[service].test_client().open(path.replace("{id}", "x"), method=method, json=body_for(path), headers=headers)
    )
    assert response.status_code == 401, (kind, response.json)
    assert response.json["error"]["code"] == "unauthenticated"
