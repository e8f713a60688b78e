"""Payload validation keeps the rules of the marshmallow schemas it replaced.

`tests/fixtures/payload-cases.json` holds payloads (each golden payload and mutations of it:
fields dropped, retyped, nulled, added, reordered, nested values broken) with what the marshmallow
payload schemas made of each: the loaded payload, or null when it was refused. It was captured
before the codec moved to msgspec (`python -m tests.unit.events.test_payload_rules` adds the cases
of new golden files from the running codec and keeps every recorded case as recorded; review the
diff). Every case must give the same payload, byte for byte and in the same key order, or be
refused, except where noted in `tightened`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

import shared.contracts  # noqa: F401 - registers the event types
from shared.events.codec import decode
from shared.events.errors import DecodeError
from shared.events.registry import REGISTRY

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = FIXTURES / "payload-cases.json"


def variants(payload: dict[str, Any]) -> list[Any]:
    """The payload and mutations of it: fields dropped, retyped, nulled, added, reordered."""
    found = [payload, dict(reversed(list(payload.items()))), {**payload, "added_later": 1}, [], None]
    for key, value in payload.items():
        for replacement in (None, True, 7, -7, 7.0, 7.5, "7", "text", "", [], {}, [value], {"x": value}):
            found.append({**payload, key: replacement})
        found.append({k: v for k, v in payload.items() if k != key})
        if isinstance(value, dict):
            for inner in value:
                for replacement in (5, None):
                    changed = copy.deepcopy(payload)
                    changed[key][inner] = replacement
                    found.append(changed)
                changed = copy.deepcopy(payload)
                del changed[key][inner]
                found.append(changed)
        if isinstance(value, list) and value:
            found += [{**payload, key: [*value, 3]}, {**payload, key: [{"title": 1}]}, {**payload, key: [None]}]
            found += [{**payload, key: [{"title": "t"}]}, {**payload, key: [{"title": "t", "more": 1}]}]
    return found


def extra_cases() -> list[tuple[str, int, Any]]:
    """Cases the golden payloads do not reach: optional fields and defaults."""
    changes = [{}, {"statement": "s"}, {"commitment": "c", "statement": "s"}, {"achievements": []}]
    changes += [{"target_position": {"title": "t"}}, {"statement": None}, {"unknown": 1}]
    cases = [("NominationRevised", 1, {"changes": c, "step": 1, "due_at": "d"}) for c in changes]
    cases += [("NominationWithdrawn", 1, {}), ("NominationWithdrawn", 1, {"reason": None})]
    decision = {"step": 2, "stage": "secretary"}
    cases += [(t, 1, decision) for t in ("NominationApproved", "NominationReturned", "NominationRejected")]
    cases += [("StageApproved", 1, {**decision, "next_stage": "unit", "next_step": 3, "next_due_at": "d"})]
    return cases


def loaded(event_type: str, version: int, payload: Any) -> Any:
    try:
        return REGISTRY.validate(event_type, version, payload)
    except DecodeError:
        return None


def read(event_type: str, version: int, payload: Any) -> Any:
    """The payload of a stored event of the golden envelope of `event_type` at `version` with this payload."""
    envelope = json.loads((FIXTURES / "events" / f"{event_type}.v{version}.json").read_text())
    try:
        return decode(orjson.dumps({**envelope, "payload": payload})).payload
    except DecodeError:
        return None


def tightened(case: dict[str, Any]) -> bool:
    """Where the msgspec payload types are stricter than marshmallow was, on purpose.

    marshmallow's `fields.Integer` coerced a string ("7") or a float (7.0, and 7.5 truncated to 7)
    to an int; an integer field now takes JSON integers only (our writers never wrote anything
    else, and `encode` refuses such payloads too).
    """
    return (
        case["loaded"] is not None
        and orjson.dumps(case["loaded"]) != orjson.dumps(case["payload"])
        and any(
            type(case["payload"].get(name)) in (str, float) and type(value) is int
            for name, value in case["loaded"].items()
        )
    )


def all_cases() -> list[tuple[str, int, Any]]:
    golden = sorted((FIXTURES / "events").glob("*.json"))
    raws = [json.loads(path.read_text()) for path in golden]
    cases = [(raw["type"], raw["schema_version"], p) for raw in raws for p in variants(raw["payload"])]
    return cases + extra_cases()


def recorded() -> list[dict[str, Any]]:
    return json.loads(CASES.read_text())


def test_the_recorded_cases_are_the_cases_we_make() -> None:
    made = [{"type": t, "version": v, "payload": p} for t, v, p in all_cases()]
    assert made == [{k: case[k] for k in ("type", "version", "payload")} for case in recorded()]


@pytest.mark.parametrize("event_type", sorted({event_type for event_type, _, _ in all_cases()}))
def test_each_payload_loads_as_marshmallow_loaded_it(event_type: str) -> None:
    for case in (case for case in recorded() if case["type"] == event_type):
        expected = None if tightened(case) else case["loaded"]
        got = loaded(case["type"], case["version"], copy.deepcopy(case["payload"]))
        assert orjson.dumps(got) == orjson.dumps(expected), case


@pytest.mark.parametrize("event_type", sorted({event_type for event_type, _, _ in all_cases()}))
def test_each_stored_payload_is_read_as_marshmallow_loaded_it(event_type: str) -> None:
    for case in (case for case in recorded() if case["type"] == event_type):
        expected = None if tightened(case) else case["loaded"]
        assert orjson.dumps(read(case["type"], case["version"], case["payload"])) == orjson.dumps(expected), case


def test_a_refused_payload_says_where_and_why() -> None:
    with pytest.raises(DecodeError, match=r"invalid StageOverdue v1 payload: .*stage"):
        REGISTRY.validate("StageOverdue", 1, {"stage": "nowhere", "step": 1, "due_at": "d"})


if __name__ == "__main__":
    kept = {(c["type"], c["version"], orjson.dumps(c["payload"])): c for c in recorded()}
    rows = [
        kept.get((t, v, orjson.dumps(p)))
        or {"type": t, "version": v, "payload": p, "loaded": loaded(t, v, copy.deepcopy(p))}
        for t, v, p in all_cases()
    ]
    CASES.write_text("[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n")
