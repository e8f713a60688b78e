"""The envelope codec: golden examples of every event version decode; bad input is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from shared.contracts import nomination, notification, supervision
from shared.domain.workflow import fold
from shared.events.codec import decode, encode, to_dict
from shared.events.envelope import Actor, new_event
from shared.events.errors import DecodeError, UnknownEventType
from shared.events.payload import Payload
from shared.events.registry import REGISTRY, Registry

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "events"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))


def golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text())


class TestGoldenExamples:
    def test_every_registered_version_has_a_golden_example(self) -> None:
        published = set(nomination.PAYLOAD_TYPES) | set(notification.PAYLOAD_TYPES) | set(supervision.PAYLOAD_TYPES)
        have = {path.name for path in GOLDEN_FILES}
        assert {f"{t}.v{v}.json" for t, v in REGISTRY.payload_types if t in published} <= have

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
        assert event.schema_version == 3 and "notice_ends_at" not in event.payload

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

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            ({"stage": "nowhere", "step": 1, "due_at": "d"}, r"Invalid enum value 'nowhere' - at `\$.stage`"),
            ({"stage": "unit", "step": "x", "due_at": "d"}, r"Expected `int`, got `str` - at `\$.step`"),
            ({"stage": "unit", "step": 1}, r"missing required field `due_at`"),
        ],
    )
    def test_rejects_a_broken_payload_naming_the_field(self, payload: dict, reason: str) -> None:
        raw = golden("StageOverdue.v1.json") | {"payload": payload}
        with pytest.raises(DecodeError, match=r"invalid StageOverdue v1 payload: .*" + reason):
            decode(orjson.dumps(raw))

    @pytest.mark.parametrize("field", ["event_id", "stream_id", "expected_version", "time", "actor", "payload"])
    def test_rejects_an_envelope_missing_a_field(self, field: str) -> None:
        raw = golden("NominationWithdrawn.v1.json")
        del raw[field]
        with pytest.raises(DecodeError, match=field):
            decode(orjson.dumps(raw))

    def test_rejects_an_empty_event_id(self) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"event_id": ""}
        with pytest.raises(DecodeError, match="event_id"):
            decode(orjson.dumps(raw))

    def test_reads_an_event_id_with_a_space(self) -> None:
        raw = golden("NominationWithdrawn.v1.json") | {"event_id": "two words"}
        assert decode(orjson.dumps(raw)).event_id == "two words"

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


class RenamedV1(Payload):
    old_name: str


class RenamedV2(Payload):
    new_name: str
    added: int


def upcast_v1_to_v2(payload: dict) -> dict:
    return {"new_name": payload.pop("old_name"), "added": 0}


class TestUpcasting:
    @pytest.fixture
    def registry(self) -> Registry:
        registry = Registry()
        registry.register("Renamed", 1, RenamedV1)
        registry.register("Renamed", 2, RenamedV2)
        registry.register_upcaster("Renamed", 1, upcast_v1_to_v2)
        return registry

    def test_an_old_version_is_upcast_on_read_and_the_stored_bytes_stay(self, registry: Registry) -> None:
        old = new_event("Renamed", "s", 0, {"old_name": "a"}, Actor("x", "t"), schema_version=1)
        stored = orjson.dumps(to_dict(old))
        event = decode(stored, registry)
        assert (event.schema_version, event.payload) == (2, {"new_name": "a", "added": 0})
        assert orjson.loads(stored)["payload"] == {"old_name": "a"}

    def test_a_missing_upcaster_is_a_clear_error(self, registry: Registry) -> None:
        registry.upcasters.clear()
        old = new_event("Renamed", "s", 0, {"old_name": "a"}, Actor("x", "t"), schema_version=1)
        with pytest.raises(DecodeError, match="no upcaster"):
            decode(orjson.dumps(to_dict(old)), registry)

    def test_an_old_payload_that_also_fits_the_new_type_is_still_upcast(self, registry: Registry) -> None:
        payload = {"old_name": "a", "new_name": "b", "added": 5}
        old = new_event("Renamed", "s", 0, payload, Actor("x", "t"), schema_version=1)
        event = decode(orjson.dumps(to_dict(old)), registry)
        assert (event.schema_version, event.payload) == (2, {"new_name": "a", "added": 0})

    def test_the_current_version_is_read_as_it_is(self, registry: Registry) -> None:
        new = new_event("Renamed", "s", 0, {"new_name": "b", "added": 5}, Actor("x", "t"), schema_version=2)
        assert decode(orjson.dumps(to_dict(new)), registry).payload == {"new_name": "b", "added": 5}

    def test_an_old_payload_must_be_valid_as_its_own_version(self, registry: Registry) -> None:
        old = new_event("Renamed", "s", 0, {"old_name": 1}, Actor("x", "t"), schema_version=1)
        with pytest.raises(DecodeError, match=r"invalid Renamed v1 payload: .*old_name"):
            decode(orjson.dumps(to_dict(old)), registry)

    def test_what_an_upcaster_makes_must_be_valid_as_the_new_version(self, registry: Registry) -> None:
        registry.register_upcaster("Renamed", 1, lambda payload: {"new_name": payload["old_name"]})
        old = new_event("Renamed", "s", 0, {"old_name": "a"}, Actor("x", "t"), schema_version=1)
        with pytest.raises(DecodeError, match=r"invalid Renamed v2 payload: .*added"):
            decode(orjson.dumps(to_dict(old)), registry)
