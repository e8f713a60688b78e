"""The version gate: the log order decides, the same way for every reader."""

import msgspec
import pytest

from shared.events.envelope import Actor, new_event
from shared.readside.gate import Outcome, StreamGate, id_key
from tests.support import counter_events


def counted(stream: str, expected: int):
    return new_event(counter_events.COUNTED, stream, expected, {"writer": "w", "attempt": 0}, Actor("w", "t"))


def test_applies_events_that_follow_the_current_version() -> None:
    gate = StreamGate()
    assert [gate.admit(counted("s", v)) for v in range(3)] == [Outcome.APPLIED] * 3
    assert gate.version("s") == 3


def test_voids_the_loser_of_a_race_for_the_same_version() -> None:
    gate = StreamGate()
    first, second = counted("s", 0), counted("s", 0)
    assert (gate.admit(first), gate.admit(second)) == (Outcome.APPLIED, Outcome.VOID)


def test_voids_an_event_that_expects_a_version_from_the_future() -> None:
    assert StreamGate().admit(counted("s", 5)) is Outcome.VOID


def test_marks_a_redelivered_event_as_a_duplicate() -> None:
    gate, event = StreamGate(), counted("s", 0)
    gate.admit(event)
    assert gate.admit(event) is Outcome.DUPLICATE


def test_keeps_streams_apart() -> None:
    gate = StreamGate()
    assert gate.admit(counted("a", 0)) is gate.admit(counted("b", 0)) is Outcome.APPLIED


def test_an_id_that_is_part_of_another_is_not_a_duplicate() -> None:
    gate = StreamGate()
    first = counted("s", 0)
    gate.admit(first)
    prefix = first._replace(event_id=first.event_id[:8])
    assert gate.admit(prefix) is Outcome.VOID  # same version, different fact: void, not a duplicate


def test_a_redelivery_deep_in_a_stream_is_still_a_duplicate() -> None:
    gate = StreamGate()
    events = [counted("s", v) for v in range(5)]
    for event in events:
        gate.admit(event)
    assert [gate.admit(e) for e in events] == [Outcome.DUPLICATE] * 5


def test_a_restored_gate_decides_as_the_original() -> None:
    gate = StreamGate()
    events = [counted("s", v) for v in range(3)]
    for event in events:
        gate.admit(event)
    restored = StreamGate.from_snapshot(gate.to_snapshot())
    assert restored.admit(events[1]) is Outcome.DUPLICATE
    assert restored.admit(counted("s", 3)) is Outcome.APPLIED


def test_a_gate_read_back_from_its_encoded_snapshot_decides_as_the_original() -> None:
    gate = StreamGate()
    events = [counted("s", v) for v in range(3)]
    for event in events:
        gate.admit(event)
    snapshot = msgspec.msgpack.decode(msgspec.msgpack.encode({"gate": gate.to_snapshot()}))  # inside a document
    restored = StreamGate.from_snapshot(snapshot["gate"])
    assert restored == gate
    assert [restored.admit(e) for e in events] == [Outcome.DUPLICATE] * 3
    assert restored.admit(counted("s", 3)) is Outcome.APPLIED


def test_a_malformed_gate_snapshot_is_refused() -> None:
    with pytest.raises(ValueError, match="Expected `bytes`, got `str`"):
        StreamGate.from_snapshot(msgspec.msgpack.encode({"s": [1, "digest", "one id"]}))


def test_an_id_with_a_space_is_one_id() -> None:
    gate = StreamGate()
    first = counted("s", 0)._replace(event_id="a b")
    gate.admit(first)
    assert gate.admit(counted("s", 1)._replace(event_id="a")) is Outcome.APPLIED
    assert gate.admit(first) is Outcome.DUPLICATE


def test_keeps_the_applied_ids_of_a_stream_in_order_and_its_head() -> None:
    gate = StreamGate()
    events = [counted("s", v)._replace(digest=f"{v:064x}") for v in range(3)]
    for event in events:
        gate.admit(event)
    assert gate.applied_ids("s") == tuple(e.event_id for e in events)
    assert (gate.head("s"), gate.head("other")) == (events[-1].digest, "")


def test_a_uuid_id_is_kept_as_its_16_bytes_and_any_other_id_as_it_is() -> None:
    uuid_hex = "0123456789abcdef0123456789abcdef"
    assert id_key(uuid_hex) == bytes.fromhex(uuid_hex)
    for other in (uuid_hex.upper(), uuid_hex[:-1] + "g", "e1", "0123456789abcdef 0123456789abcdef"[:32]):
        assert id_key(other) == other


def test_ids_of_both_kinds_are_duplicates_when_seen_again_and_read_back_as_given() -> None:
    gate = StreamGate()
    events = [counted("s", 0), counted("s", 1)._replace(event_id="E-2"), counted("s", 2)._replace(event_id="AB" * 16)]
    assert [gate.admit(e) for e in events] == [Outcome.APPLIED] * 3
    restored = StreamGate.from_snapshot(gate.to_snapshot())
    assert [restored.admit(e) for e in events] == [Outcome.DUPLICATE] * 3
    assert restored.applied_ids("s") == tuple(e.event_id for e in events)
