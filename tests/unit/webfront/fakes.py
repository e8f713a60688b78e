"""Stand-ins for the four services' public APIs (tiny Flask apps), to test the pages through the
HTTP boundary only. They keep a little state so a page sees the effect of its own call, and
record every call so a test can check what a page sent."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import jwt
from flask import Flask, jsonify, request

CHANNELS = ("unit", "org_department", "secretary")
ROUTES = {"unit": ["unit", "org_department", "secretary"], "org_department": ["org_department", "secretary"]}
RECEIPT = "1234567812345678"


def error(status: int, code: str, message: str = "", details=None):
    return jsonify({"error": {"code": code, "message": message or code, "details": details or {}}}), status


def caller() -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return {}
    return jwt.decode(header[7:], options={"verify_signature": False})


def nomination_view(nid: str, body: dict, who: dict) -> dict:
    route = ROUTES.get(body["channel"], ["secretary", "org_department", "secretary"])
    return {
        "nomination_id": nid,
        "cadre": {"id": who.get("sub"), "name": who.get("name"), "unit": who.get("unit")},
        "channel": body["channel"],
        "target_position": body["target_position"],
        "statement": body["statement"],
        "achievements": body["achievements"],
        "commitment": body["commitment"],
        "status": "in_review",
        "stage": route[0],
        "route": route,
        "step": 0,
        "overdue": False,
        "due_at": "2026-12-09T09:00:00+00:00",
        "history": [_step(0, route[0])],
        "withdrawal_reason": None,
        "version": 1,
        "submitted_at": "2026-12-04T09:00:00+00:00",
        "updated_at": "2026-12-04T09:00:00+00:00",
    }


def _step(index: int, stage: str) -> dict:
    return {
        "step": index,
        "stage": stage,
        "opened_at": "2026-12-04T09:00:00+00:00",
        "due_at": "2026-12-09T09:00:00+00:00",
        "decision": None,
        "reviewer": None,
        "comment": None,
        "decided_at": None,
        "overdue_at": None,
    }


def submission_errors(body: dict) -> dict:
    errors: dict = {}
    if body.get("channel") not in CHANNELS:
        errors["channel"] = ["Must be one of: unit, org_department, secretary."]
    for key in ("title", "organization"):
        if not body.get("target_position", {}).get(key):
            errors.setdefault("target_position", {})[key] = ["Length must be between 1 and 200."]
    for key in ("statement", "commitment"):
        if not body.get(key):
            errors[key] = ["Length must be between 1 and 5000."]
    achievements = body.get("achievements", [])
    if not achievements:
        errors["achievements"] = ["Length must be between 1 and 20."]
    for i, a in enumerate(achievements):
        if not a.get("title"):
            errors.setdefault("achievements", {})[str(i)] = {"title": ["Length must be between 1 and 200."]}
    return errors


@dataclass
class FakeServices:
    """The four services' APIs, sharing one little world."""

    nominations: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    inbox: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)
    commitments: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    limited: dict = field(default_factory=dict)  # path -> Retry-After seconds: that path answers 429
    refuse_filter: dict = field(default_factory=dict)  # the 422 details the case list answers with
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        """An empty world again; the fake apps already made keep serving it."""
        vars(self).update(vars(FakeServices()))

    def apps(self) -> dict[str, Flask]:
        return {
            "nomination": self.nomination_app(),
            "review": self.review_app(),
            "notification": self.notification_app(),
            "supervision": self.supervision_app(),
        }

    def _app(self, name: str) -> Flask:
        app = Flask(f"fake-{name}")

        @app.before_request
        def record():
            self.calls.append(
                (name, request.method, request.path, request.get_json(silent=True), dict(request.headers), request.args)
            )
            if request.headers.get("Authorization") == "Bearer expired":
                return error(401, "unauthenticated", "the token has expired")
            if request.path in self.limited:
                seconds = self.limited[request.path]
                body, status = error(429, "rate_limited", f"retry in {seconds} s", {"retry_after_s": seconds})
                return body, status, {"Retry-After": str(seconds)}
            if request.args.get("cursor") == "stale":
                return error(422, "invalid", "not a cursor of this list", {"cursor": ["not a cursor of this list"]})

        return app

    @staticmethod
    def paged(items: list) -> dict:
        """The services' paging: `limit` (default 50) and an opaque `cursor` (here: an offset)."""
        start = int(request.args.get("cursor") or 0)
        end = start + int(request.args.get("limit") or 50)
        return {
            "items": items[start:end],
            "count": len(items[start:end]),
            "next_cursor": str(end) if end < len(items) else None,
        }

    def calls_to(self, service: str, method: str = "POST") -> list:
        return [c for c in self.calls if c[0] == service and c[1] == method]

    def add_nomination(self, who: dict, **changes) -> str:
        body = {
            "channel": "unit",
            "target_position": {"title": "副县长", "organization": "淅川县"},
            "statement": "Twelve years in rural revitalisation.",
            "achievements": [{"title": "E-commerce hub", "description": "Sales up 40%"}],
            "commitment": "First-class performance.",
        }
        nid = f"n{next(self.ids)}"
        view = nomination_view(nid, body, who)
        view.update(changes)
        self.nominations[nid] = view
        self.events[nid] = [
            {
                "type": "NominationSubmitted",
                "time": view["submitted_at"],
                "actor": {"id": who["sub"], "role": "cadre"},
                "payload": {},
                "outcome": "applied",
            }
        ]
        return nid

    def nomination_app(self) -> Flask:
        app = self._app("nomination")

        @app.post("/api/v1/nominations")
        def submit():
            body = request.get_json()
            errors = submission_errors(body)
            if errors:
                return error(422, "invalid", "the request does not match the schema", {"json": errors})
            nid = f"n{next(self.ids)}"
            self.nominations[nid] = nomination_view(nid, body, caller())
            self.events[nid] = [
                {
                    "type": "NominationSubmitted",
                    "time": "2026-12-04T09:00:00+00:00",
                    "actor": {"role": "cadre"},
                    "payload": {},
                    "outcome": "applied",
                }
            ]
            return jsonify(self.nominations[nid]), 201

        @app.post("/api/v1/nominations/direct")
        def direct():
            body = request.get_json()
            if body["cadre"]["id"] == caller().get("sub"):
                return error(403, "forbidden", "an org reviewer cannot put themself forward (recusal)")
            if not body.get("justification"):
                return error(
                    422, "invalid", "schema", {"json": {"justification": ["Missing data for required field."]}}
                )
            nid = f"n{next(self.ids)}"
            proposed = {**body, "channel": "direct", "statement": "", "achievements": [], "commitment": ""}
            cadre = {"sub": body["cadre"]["id"], "name": body["cadre"]["name"], "unit": body["cadre"]["unit"]}
            self.nominations[nid] = nomination_view(nid, proposed, cadre)
            return jsonify(self.nominations[nid]), 201

        @app.get("/api/v1/nominations")
        def mine():
            items = [n for n in self.nominations.values() if n["cadre"]["id"] == caller().get("sub")]
            return {"items": items, "next_cursor": None}

        @app.get("/api/v1/nominations/<nid>")
        def one(nid):
            if nid not in self.nominations:
                return error(404, "not_found")
            return self.nominations[nid]

        @app.get("/api/v1/nominations/<nid>/events")
        def trail(nid):
            return self.paged(self.events.get(nid, []))

        @app.post("/api/v1/nominations/<nid>/revision")
        def revise(nid):
            n = self.nominations[nid]
            if n["status"] != "returned":
                return error(409, "conflict", "not returned")
            n.update(request.get_json(), status="in_review")
            return n

        @app.post("/api/v1/nominations/<nid>/withdrawal")
        def withdraw(nid):
            n = self.nominations[nid]
            if n["status"] not in ("in_review", "returned"):
                return error(409, "conflict", "terminal")
            n.update(status="withdrawn", withdrawal_reason=request.get_json().get("reason"))
            return n

        @app.get("/api/v1/notices")
        def notices():
            return self.paged(self.notices)

        return app

    def review_app(self) -> Flask:
        app = self._app("review")

        @app.get("/api/v1/reviews/queue")
        def queue():
            items = [n for n in self.nominations.values() if n["status"] == "in_review"]
            return {"items": sorted(items, key=lambda n: n["due_at"]), "next_cursor": None}

        @app.get("/api/v1/reviews/<nid>")
        def one(nid):
            return {
                **self.nominations[nid],
                "open_cases": [c for c in self.cases.values() if c.get("open_case_of") == nid],
            }

        @app.post("/api/v1/reviews/<nid>/decisions")
        def decide(nid):
            n, body = self.nominations[nid], request.get_json()
            if body.get("decision") not in ("approve", "return", "reject"):
                return error(
                    422, "invalid", "schema", {"json": {"decision": ["Must be one of: approve, return, reject."]}}
                )
            if n["status"] != "in_review" or body["stage"] != n["stage"]:
                return error(409, "conflict", "the step is not active")
            n["history"][-1].update(
                decision=body["decision"], comment=body.get("comment"), decided_at="2026-12-05T09:00:00+00:00"
            )
            if body["decision"] == "approve" and n["step"] + 1 < len(n["route"]):
                n["step"] += 1
                n["stage"] = n["route"][n["step"]]
                n["history"].append(_step(n["step"], n["stage"]))
            else:
                n["status"] = {"approve": "approved", "return": "returned", "reject": "rejected"}[body["decision"]]
            return n

        return app

    def notification_app(self) -> Flask:
        app = self._app("notification")

        @app.get("/api/v1/notifications")
        def inbox():
            return {**self.paged(self.inbox), "unread": sum(not i["read"] for i in self.inbox)}

        @app.post("/api/v1/notifications/<notification_id>/read")
        def read(notification_id):
            for item in self.inbox:
                if item["id"] == notification_id:
                    item["read"] = True
                    return item
            return error(404, "not_found")

        return app

    def add_case(self, **changes) -> str:
        case_id = f"case-{next(self.ids)}"
        self.cases[case_id] = {
            "case_id": case_id,
            "kind": "cadre",
            "category": "no-results",
            "subject": {"name": "王某", "unit": "county-7", "position": "科长"},
            "description": "Meetings, no results.",
            "channel": "web",
            "status": "received",
            "history": [
                {
                    "event": "ClueReceived",
                    "status": "received",
                    "at": "2026-12-04T09:00:00+00:00",
                    "actor": {"id": "public", "role": "public"},
                }
            ],
            "messages": [],
            **changes,
        }
        return case_id

    def supervision_app(self) -> Flask:
        app = self._app("supervision")

        @app.get("/api/v1/clues/categories")
        def categories():
            return {
                "items": [
                    {"id": "no-results", "kind": "cadre", "title": "Meetings, no results", "title_zh": "只开会不落实"},
                    {"id": "slow", "kind": "matter", "title": "Slow service", "title_zh": "办事拖沓"},
                    {"id": "notice-objection", "kind": "objection", "title": "Objection", "title_zh": "公示异议"},
                ]
            }

        @app.post("/api/v1/clues")
        def clue():
            body = request.get_json()
            if not body.get("description"):
                return error(422, "invalid", "schema", {"json": {"description": ["Missing data for required field."]}})
            case_id = self.add_case(
                kind=body["kind"],
                category=body.get("category"),
                subject=body["subject"],
                description=body["description"],
            )
            return {"case_id": case_id, "receipt": RECEIPT}, 201

        @app.get("/api/v1/clues/status")
        def status():
            given = request.headers.get("X-Receipt", "")
            if not (len(given) == 16 and given.isdigit()):
                return error(422, "invalid", "a receipt is 16 digits", {"X-Receipt": ["must be 16 digits"]})
            if given != RECEIPT:
                return error(404, "not_found", "no case has this receipt")
            case = next(iter(self.cases.values()))
            notes = [{"at": h["at"], "status": h["status"]} for h in case["history"]]
            return {"case_id": case["case_id"], "status": case["status"], "notes": notes, "messages": case["messages"]}

        @app.post("/api/v1/clues/messages")
        def message():
            if request.headers.get("X-Receipt") != RECEIPT:
                return error(404, "not_found")
            text = request.get_json().get("text")
            if not text:
                return error(422, "invalid", "schema", {"json": {"text": ["Missing data for required field."]}})
            next(iter(self.cases.values()))["messages"].append(
                {"from": "reporter", "text": text, "at": "2026-12-05T09:00:00+00:00"}
            )
            return {"ok": True}, 201

        @app.get("/api/v1/cases")
        def cases():
            if self.refuse_filter:
                return error(422, "invalid", "the request does not match the schema", {"query": self.refuse_filter})
            items = [
                c for c in self.cases.values() if all(c.get(k) == v for k, v in request.args.items() if k != "cursor")
            ]
            return {"items": items, "next_cursor": None}

        @app.get("/api/v1/cases/<case_id>")
        def case(case_id):
            return self.cases[case_id] if case_id in self.cases else error(404, "not_found")

        @app.post("/api/v1/cases/<case_id>/actions")
        def act(case_id):
            return self.case_action(self.cases[case_id], request.get_json())

        @app.post("/api/v1/cases/<case_id>/identity")
        def identity(case_id):
            if not request.get_json().get("reason"):
                return error(422, "invalid", "schema", {"json": {"reason": ["Length must be between 1 and 2000."]}})
            if self.cases[case_id].get("anonymous") or self.cases[case_id].get("erased"):
                return error(404, "not_found", "the reporter of this case gave no identity")
            reporter = {"name": "李四", "phone": "13800000000"}
            return {"case_id": case_id, "reporter": reporter, "accessed_at": "2026-12-05T09:00:00+00:00"}

        @app.get("/api/v1/commitments")
        def commitments():
            return {"items": self.commitments, "next_cursor": None}

        @app.put("/api/v1/commitments/<unit>")
        def commit(unit):
            body = request.get_json()
            if not body.get("supervision_phone"):
                return error(
                    422, "invalid", "schema", {"json": {"supervision_phone": ["Missing data for required field."]}}
                )
            published = {"unit": unit, **body, "published_at": "2026-12-05T09:00:00+00:00"}
            self.commitments = [c for c in self.commitments if c["unit"] != unit] + [published]
            return {"unit": unit, **body}

        @app.get("/api/v1/board")
        def board():
            cell = {"category": "no-results", "category_title": "Meetings without results", "unit": "county-7"}
            return {
                "items": [
                    {
                        **cell,
                        "title": "Meetings without results · county-7",
                        "received": 12,
                        "substantiated": 5,
                        "rectified": 4,
                        "reopened": 0,
                        "median_days_to_close": 9.5,
                    },
                    {
                        **cell,
                        "unit": "county-8",
                        "title": "· county-8",
                        "received": 3,
                        "substantiated": 0,
                        "rectified": 0,
                        "reopened": 0,
                        "median_days_to_close": None,
                    },
                ],
                "suppressed_cells": 2,
                "min_cell": 3,
            }

        return app

    def case_action(self, case: dict, body: dict):
        moves = {
            "accept": ("received", "investigating"),
            "dismiss": ("received", "dismissed"),
            "finding": ("investigating", "found"),
            "order": ("found", "rectifying"),
            "report": ("rectifying", "evaluating"),
            "evaluate": ("evaluating", "closed"),
        }
        action = body.get("action")
        if action == "message":
            case["messages"].append({"from": "officer", "text": body.get("text"), "at": "2026-12-05T09:00:00+00:00"})
            return case
        if action == "dismiss" and not body.get("reason"):
            return error(422, "invalid", "schema", {"json": {"reason": ["Missing data for required field."]}})
        if action not in moves or case["status"] != moves[action][0]:
            return error(409, "conflict", "does not fit the status")
        case["status"] = moves[action][1]
        event = {"at": "2026-12-05T09:00:00+00:00", "status": case["status"], "actor": {"role": "supervision_officer"}}
        case["history"].append({"event": f"{action}-event", **event})
        return case
