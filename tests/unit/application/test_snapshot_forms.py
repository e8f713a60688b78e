"""What the book keeps, in memory and in a snapshot, reads back as it was: nomination records (packed
when closed) and stored trails."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime, timedelta, timezone

import msgspec
import orjson
import pytest

from shared.application.nominations.records import LazyNominations, nomination_of, packed_record_of, record_of
from shared.application.nominations.trail import Logged, StoredTrail
from shared.domain.workflow.state import WITHDRAWN, Nomination, Person, Step
from shared.eventlog.port import Record
from shared.events.codec import encode
from shared.events.envelope import Actor, new_event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Records
from tests.support import counter_events

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)


def nomination() -> Nomination:
    history = (
        Step(0, "unit", T0, T0.astimezone(BEIJING) + timedelta(days=5), "approve", "ur-1", "好", T0, None),
        Step(1, "secretary", T0, T0 + timedelta(days=5), overdue_at=T0 + timedelta(days=6)),
    )
    content = '{"statement":"十二年 in rural revitalisation","achievements":[]}'.encode()
    person = Person("cadre-1", "张敏", "county-7")
    return Nomination("n1", 3, person, "unit", content, "in_review", ("unit", "secretary"), 1, history, T0, T0)


class TestNominationRecords:
    def test_a_record_reads_back_as_the_nomination_it_was_made_of(self) -> None:
        before = nomination()
        after = nomination_of(record_of(before))
        assert after == before
        assert repr(after) == repr(before)  # times keep their offsets, content its bytes

    def test_a_record_embeds_the_content_as_the_json_it_is(self) -> None:
        before = nomination()
        assert before.content in record_of(before)

    def test_a_packed_record_reads_back_as_the_nomination_it_was_made_of(self) -> None:
        before = sealed(nomination())
        after = nomination_of(packed_record_of(before))
        assert after == before
        assert repr(after) == repr(before)

    def test_a_packed_record_holds_sealed_texts_in_less_than_their_text(self) -> None:
        before = sealed(nomination())
        assert len(packed_record_of(before)) < len(record_of(before)) * 0.8


def sealed(n: Nomination) -> Nomination:
    """The nomination with its texts sealed as recorded: a key id and base64 of random bytes."""
    key = "person-" + "5" * 32

    def text(size: int) -> dict[str, str]:
        return {"key": key, "sealed": "v1." + base64.urlsafe_b64encode(os.urandom(size)).decode()}

    content = {"statement": text(600), "achievements": [{"title": text(40), "description": text(200)}]}
    history = tuple(step._replace(comment=text(90)) for step in n.history)
    return n._replace(cadre=n.cadre._replace(name=text(20)), content=orjson.dumps(content), history=history)


class TestHeldNominations:
    def test_an_open_nomination_is_held_built_and_a_closed_one_packed(self) -> None:
        held = LazyNominations()
        opened, closed = sealed(nomination()), sealed(nomination())._replace(nomination_id="n2", status=WITHDRAWN)
        held["n1"], held["n2"] = opened, closed
        assert dict.__getitem__(held, "n1") is opened
        assert dict.__getitem__(held, "n2") == packed_record_of(closed)
        assert held["n2"] == held.get("n2") == closed
        assert (held.is_open("n1"), held.is_open("n2")) == (True, False)
        assert held.get("n3") is None

    def test_a_restored_nomination_is_built_on_first_read_and_kept_packed_if_closed(self) -> None:
        opened, closed = nomination(), nomination()._replace(nomination_id="n2", status=WITHDRAWN)
        data = [record_of(opened), packed_record_of(closed)]
        records = Records(b"".join(data), [len(data[0]), len(data[0]) + len(data[1])])
        held = LazyNominations([("n1", 0), ("n2", 1)], records=records)
        assert (held["n1"], held["n2"]) == (opened, closed)
        assert dict.__getitem__(held, "n1") == opened
        assert dict.__getitem__(held, "n2") == data[1]


def logged(stream: str, version: int, offset: int, outcome: Outcome) -> Logged:
    event = new_event(counter_events.COUNTED, stream, version, {"writer": "w", "attempt": 0}, Actor("w", "t"))
    digest = hashlib.sha256(event.event_id.encode()).hexdigest()
    return Logged(event._replace(position=("topic", 2, offset), digest=digest), outcome)


class FakeLog:
    """`read_at` over the events of some Logged entries, by position."""

    def __init__(self, entries: list[Logged]) -> None:
        self.read: list[tuple[str, int, int]] = []
        self.values = {e.event.position: e.event for e in entries}

    def read_at(self, positions: list[tuple[str, int, int]]) -> list[Record | None]:
        self.read += positions
        return [Record(*p, self.values[p].stream_id, encode(self.values[p])) for p in positions]


class TestStoredTrails:
    def test_a_stream_kept_open_then_closed_reads_back_in_order_with_its_outcomes(self) -> None:
        entries = [logged("s", 0, 10, Outcome.APPLIED), logged("s", 0, 11, Outcome.VOID)]
        entries.append(logged("s", 1, 12, Outcome.APPLIED))
        log = FakeLog(entries)
        trail = StoredTrail(log.read_at)
        for entry in entries[:2]:
            trail.add(*entry)
        trail.close("s")
        trail.add(*entries[2])
        assert "s" in trail.packed and len(trail.live["s"]) == 1
        shown = trail.events("s")
        assert [(e.event.event_id, e.outcome) for e in shown] == [(e.event.event_id, e.outcome) for e in entries]
        assert log.read == [("topic", 2, 10), ("topic", 2, 11), ("topic", 2, 12)]

    def test_a_grown_stream_rereads_only_its_new_events(self) -> None:
        first, second = logged("s", 0, 10, Outcome.APPLIED), logged("s", 1, 11, Outcome.APPLIED)
        log = FakeLog([first, second])
        trail = StoredTrail(log.read_at)
        trail.add(*first)
        assert [e.event.event_id for e in trail.events("s")] == [first.event.event_id]
        trail.add(*second)
        assert [e.event.event_id for e in trail.events("s")] == [first.event.event_id, second.event.event_id]
        assert trail.events("s") == trail.events("s")
        assert log.read == [("topic", 2, 10), ("topic", 2, 11)]

    def test_a_reread_event_keeps_the_digest_it_had_when_folded(self) -> None:
        entry = logged("s", 0, 10, Outcome.APPLIED)
        trail = StoredTrail(FakeLog([entry]).read_at)
        trail.add(*entry)
        trail.close("s")
        assert trail.events("s")[0].event.digest == entry.event.digest

    def test_a_snapshot_of_packed_and_live_entries_restores_both(self) -> None:
        closed, live = logged("c", 0, 1, Outcome.APPLIED), logged("o", 0, 2, Outcome.APPLIED)
        trail = StoredTrail(FakeLog([closed, live]).read_at)
        trail.add(*closed)
        trail.close("c")
        trail.add(*live)
        state = {"trail": trail.copy().to_snapshot(), "topics": list(trail.topics)}
        decoded = msgspec.msgpack.decode(msgspec.msgpack.encode(state))
        restored = StoredTrail.from_snapshot(decoded["trail"], decoded["topics"], FakeLog([closed, live]).read_at)
        for stream, entry in (("c", closed), ("o", live)):
            assert [e.event.event_id for e in restored.events(stream)] == [entry.event.event_id]

    def test_a_malformed_stored_trail_is_refused(self) -> None:
        with pytest.raises(ValueError, match="Expected `bytes`"):
            StoredTrail.from_snapshot(msgspec.msgpack.encode({"s": 5}), ["topic"], FakeLog([]).read_at)
