"""The envelope codec: golden examples of every event version decode; bad input is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from marshmallow import EXCLUDE, Schema, fields

from shared.contracts import nomination, notification
from shared.domain.workflow import fold
from shared.events.codec import decode, encode, to_dict
from shared.events.envelope import Actor, new_event
from shared.events.errors import DecodeError, UnknownEventType
from shared.events.registry import REGISTRY, Registry

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "events"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))


def golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text())


class TestGoldenExamples:
    def test_every_registered_version_has_a_golden_example(self) -> None:
        published = set(nomination.SCHEMAS) | set(notification.SCHEMAS)
        have = {path.name for path in GOLDEN_FILES}
        assert {f"{t}.v{v}.json" for t, v in REGISTRY.schemas if t in published} <= have

    @pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
    def test_decodes_and_reencodes_unchanged(self, path: Path) -> None:
        raw = json.loads(path.read_text())
        event = decode(path.read_bytes())
        assert event.type == raw["type"] and event.schema_version == REGISTRY.current_version(raw["type"])
        assert event.stream_version == raw["expected_version"] + 1
        again = to_dict(decode(encode(event)))
        assert again["payload"] == to_dict(event)["payload"]


class TestOldLogs:
    """A log written before public notice existed folds as it did: approved stays approved."""

    STREAM = ("NominationSubmitted", "NominationReturned", "NominationRevised", "StageApproved", "StageOverdue")

    def stream(self, *last: str) -> list:
        return [decode((GOLDEN / f"{name}.v1.json").read_bytes()) for name in self.STREAM] + [
            decode((GOLDEN / name).read_bytes()) for name in last
        ]

    def test_an_approval_of_version_1_is_upcast_with_no_notice(self) -> None:
        event = decode((GOLDEN / "NominationApproved.v1.json").read_bytes())
        assert event.schema_version == 2 and "notice_ends_at" not in event.payload

    def test_a_nomination_approved_before_the_change_stays_approved(self) -> None:
        state = fold(self.stream("NominationApproved.v1.json"))
        assert (state.status, state.notice_ends_at, state.is_terminal) == ("approved", None, True)

    def test_an_approval_of_version_2_puts_it_on_notice_then_the_appointment_approves_it(self) -> None:
        on_notice = fold(self.stream("NominationApproved.v2.json"))
        assert (on_notice.status, on_notice.notice_ends_at.isoformat()) == ("on_notice", "2026-11-09T16:00:00+00:00")
        assert fold(self.stream("NominationApproved.v2.json", "Appointed.v1.json")).status == "approved"

    def test_an_upheld_objection_rejects_it_with_the_case(self) -> None:
        state = fold(self.stream("NominationApproved.v2.json", "ObjectionUpheld.v1.json"))
        assert (state.status, state.objection_case) == ("rejected", "5d1e0c2b3a4f40718293a4b5c6d7e8f9")

    def test_a_direct_nomination_names_its_proposer(self) -> None:
        state = fold([decode((GOLDEN / "NominationSubmitted.v1.direct.json").read_bytes())])
        assert (state.channel, state.route, state.proposer) == ("direct", ("secretary",), "org-0001")


class TestDecodeErrors:
    def test_rejects_bytes_that_are_not_json(self) -> None:
        with pytest.raises(DecodeError, match="not JSON"):
            decode(b"\x00\xff")

    def test_rejects_an_unknown_type(self) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"type": "NominationTeleported"}
        with pytest.raises(UnknownEventType, match="NominationTeleported"):
            decode(orjson.dumps(raw))

    def test_rejects_a_version_from_the_future(self) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"schema_version": 99}
        with pytest.raises(UnknownEventType, match="version 99"):
            decode(orjson.dumps(raw))

    def test_rejects_a_broken_payload_naming_the_field(self) -> None:
        raw = golden("StageOverdue.v1.json")
        raw["payload"] = {"stage": "nowhere", "step": "x"}
        with pytest.raises(DecodeError, match="step"):
            decode(orjson.dumps(raw))

    @pytest.mark.parametrize("field", ["event_id", "stream_id", "expected_version", "time", "actor", "payload"])
    def test_rejects_an_envelope_missing_a_field(self, field: str) -> None:
        raw = golden("NominationWithdrawn.v1.json")
        del raw[field]
        with pytest.raises(DecodeError, match=field):
            decode(orjson.dumps(raw))

    @pytest.mark.parametrize("event_id", ["", "two words"])
    def test_rejects_an_event_id_the_gate_could_not_keep(self, event_id: str) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"event_id": event_id}
        with pytest.raises(DecodeError, match="event_id"):
            decode(orjson.dumps(raw))

    @pytest.mark.parametrize(("field", "value"), [("schema_version", True), ("actor", {"id": 1, "role": "x"})])
    def test_rejects_an_envelope_field_of_the_wrong_kind(self, field: str, value: object) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {field: value}
        with pytest.raises(DecodeError, match=field):
            decode(orjson.dumps(raw))

    def test_rejects_a_time_without_timezone(self) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"time": "2026-11-02T08:30:00"}
        with pytest.raises(DecodeError, match="timezone"):
            decode(orjson.dumps(raw))

    def test_refuses_to_encode_an_invalid_payload(self) -> None:
        event = new_event("StageOverdue", "s", 0, {"stage": "unit"}, Actor("x", "system"))
        with pytest.raises(DecodeError):
            encode(event)

    def test_is_a_tolerant_reader_of_unknown_payload_fields(self) -> None:
        raw = golden("NominationWithdrawn.v1.json")
        raw["payload"]["added_later"] = True
        assert "added_later" not in decode(orjson.dumps(raw)).payload


class RenamedV1Schema(Schema):
    class Meta:
        unknown = EXCLUDE

    old_name = fields.String(required=True)


class RenamedV2Schema(Schema):
    class Meta:
        unknown = EXCLUDE

    new_name = fields.String(required=True)
    added = fields.Integer(required=True)


def upcast_v1_to_v2(payload: dict) -> dict:
    return {"new_name": payload.pop("old_name"), "added": 0}


class TestUpcasting:
    @pytest.fixture
    def registry(self) -> Registry:
        registry = Registry()
        registry.register("Renamed", 1, RenamedV1Schema)
        registry.register("Renamed", 2, RenamedV2Schema)
        registry.register_upcaster("Renamed", 1, upcast_v1_to_v2)
        return registry

    def test_an_old_version_is_upcast_on_read_and_the_stored_bytes_stay(self, registry: Registry) -> None:
        old = new_event("Renamed", "s", 0, {"old_name": "a"}, Actor("x", "t"), schema_version=1)
        registry.current["Renamed"] = 2
        stored = orjson.dumps(to_dict(old))
        event = decode(stored, registry)
        assert (event.schema_version, event.payload) == (2, {"new_name": "a", "added": 0})
        assert orjson.loads(stored)["payload"] == {"old_name": "a"}

    def test_a_missing_upcaster_is_a_clear_error(self, registry: Registry) -> None:
        registry.upcasters.clear()
        old = new_event("Renamed", "s", 0, {"old_name": "a"}, Actor("x", "t"), schema_version=1)
        with pytest.raises(DecodeError, match="no upcaster"):
            decode(orjson.dumps(to_dict(old)), registry)
