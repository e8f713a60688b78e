"""The compiled payload checks agree with marshmallow: same result, or they defer to it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

import shared.contracts  # noqa: F401 - registers the schemas
from shared.contracts import supervision
from shared.events.checks import Unsure, compiled
from shared.events.registry import REGISTRY

GOLDEN = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "events").glob("*.json"))
COMPILED = [path for path in GOLDEN if json.loads(path.read_text())["type"] not in supervision.SCHEMAS]
"""Supervision payloads have nullable fields, which the generator does not know: marshmallow checks them."""


def variants(payload: dict) -> list:
    """The payload and mutations of it: fields dropped, retyped, nulled, added, reordered."""
    found = [payload, dict(reversed(list(payload.items()))), {**payload, "added_later": 1}, [], None]
    for key, value in payload.items():
        for replacement in (None, True, 7, "text", [], {}, [value], {"x": value}):
            found.append({**payload, key: replacement})
        found.append({k: v for k, v in payload.items() if k != key})
        if isinstance(value, dict):
            for inner in value:
                changed = copy.deepcopy(payload)
                changed[key][inner] = 5
                found.append(changed)
                changed = copy.deepcopy(payload)
                del changed[key][inner]
                found.append(changed)
        if isinstance(value, list) and value:
            found += [{**payload, key: [*value, 3]}, {**payload, key: [{"title": 1}]}, {**payload, key: value * 30}]
    return found


def agrees(schema: Schema, payload) -> None:
    check = compiled(schema)
    assert check is not None
    try:
        expected = schema.load(payload)
    except ValidationError:
        with pytest.raises(Unsure):
            check(payload)
        return
    try:
        got = check(payload)
    except Unsure:
        return  # deferring to marshmallow is always allowed
    assert got == expected
    assert list(got) == list(expected)


@pytest.mark.parametrize("path", COMPILED, ids=lambda p: p.stem)
def test_agrees_with_marshmallow_on_every_golden_payload_and_its_mutations(path: Path) -> None:
    raw = json.loads(path.read_text())
    schema = REGISTRY.schemas[(raw["type"], raw["schema_version"])]
    for payload in variants(raw["payload"]):
        agrees(schema, payload)


def test_returns_an_untouched_payload_without_copying_it() -> None:
    raw = json.loads((GOLDEN[0].parent / "StageApproved.v1.json").read_text())
    schema = REGISTRY.schemas[("StageApproved", 1)]
    assert compiled(schema)(raw["payload"]) is raw["payload"]


class Strict(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=2, max=4))
    count = fields.Integer(load_default=0)


class Tolerant(Schema):
    class Meta:
        unknown = EXCLUDE

    when = fields.DateTime()


def test_a_strict_schema_refuses_unknown_fields_and_fills_defaults() -> None:
    for payload in ({"name": "abc"}, {"name": "abc", "x": 1}, {"name": "a"}, {"name": "abcde"}, {"count": 1}):
        agrees(Strict(), payload)


def test_a_schema_with_an_unsupported_field_is_never_compiled() -> None:
    assert compiled(Tolerant()) is None
