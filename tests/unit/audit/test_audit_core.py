"""The audit over records: chains from genesis, trees rebuilt, heads anchored, first divergence named."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import tests.support.counter_events  # noqa: F401 - registers CounterIncremented
from shared.eventlog.port import Record
from shared.events.codec import encode
from shared.events.envelope import Actor, new_event
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadSigner
from tools.audit.core import Audit

TOPIC = "cadreflow.nominations"
SIGNER = HeadSigner(Ed25519PrivateKey.generate())
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def stream_records(stream: str, count: int, first_offset: int, step: int = 2) -> list[Record]:
    """`count` chained events of one stream at offsets first_offset, +step, ..."""
    records, previous = [], ""
    for version in range(count):
        event = new_event(
            "CounterIncremented",
            stream,
            version,
            {"writer": "w", "attempt": version},
            Actor("a", "cadre"),
            time=T0 + timedelta(minutes=first_offset + version * step),
            prev_hash=previous,
        )
        value = encode(event)
        previous = hashlib.sha256(value).hexdigest()
        records.append(Record(TOPIC, 0, first_offset + version * step, stream, value))
    return records


def interleaved() -> list[Record]:
    return sorted(stream_records("s1", 4, 1) + stream_records("s2", 4, 2), key=lambda r: r.offset)


def rechain(records: list[Record], index: int, change) -> list[Record]:
    """Edit record `index` with `change(dict)` and re-hash its stream's later events (a careful forger)."""
    out, previous, stream = list(records), None, records[index].key
    for i, record in enumerate(records):
        if record.key != stream or i < index:
            continue
        body = orjson.loads(record.value)
        if i == index:
            change(body)
        else:
            body["prev_hash"] = previous
        value = orjson.dumps(body)
        previous = hashlib.sha256(value).hexdigest()
        out[i] = record._replace(value=value)
    return out


def heads_every(records: list[Record], step: int) -> list:
    forest, heads = Forest(), []
    for count, r in enumerate(records, start=1):
        forest.add(r.topic, r.partition, r.offset, hashlib.sha256(r.value).digest())
        if count % step == 0:
            heads.append(SIGNER.sign(forest.tree_heads(), timestamp=count))
    return heads


def audit(records: list[Record], heads=()) -> Audit:
    result = Audit()
    for record in records:
        result.add(record)
    result.check_heads(list(heads), SIGNER.verifier)
    return result


def test_an_honest_log_has_no_finding() -> None:
    records = interleaved()
    result = audit(records, heads_every(records, 2))
    assert result.findings == [] and result.events == 8 and result.heads == 4


def test_an_edit_without_rechaining_breaks_the_chain_at_the_next_event() -> None:
    records = interleaved()
    body = orjson.loads(records[2].value)  # s1 version 2
    body["payload"]["attempt"] = 99
    records[2] = records[2]._replace(value=orjson.dumps(body))
    first = audit(records).first()
    assert first.kind == "chain" and first.event["stream_id"] == "s1" and first.event["stream_version"] == 3


def test_a_rechained_edit_passes_the_chains_but_not_an_earlier_head() -> None:
    honest = interleaved()
    heads = heads_every(honest, 2)
    forged = rechain(honest, 2, lambda body: body["payload"].update(attempt=99))
    result = audit(forged, heads)
    assert [f.kind for f in result.findings] == ["head"]
    first = result.first()
    assert (first.leaf, first.offset, first.head.tree_size) == (2, 3, 4)


def test_a_head_signed_by_another_key_is_a_finding() -> None:
    other = HeadSigner(Ed25519PrivateKey.generate()).sign((), timestamp=1)
    assert audit(interleaved(), [other]).first().kind == "signature"


def test_undecodable_records_are_covered_but_not_chained() -> None:
    records = [*interleaved(), Record(TOPIC, 0, 20, "x", b"not json")]
    result = audit(records, heads_every(records, 9))
    assert result.findings == [] and result.undecodable == 1 and result.forest.tree(f"{TOPIC}/0").size == 9


def test_the_command_says_what_it_cannot_read(tmp_path, capsys) -> None:
    from tools.audit.__main__ import UNREADABLE, main

    (tmp_path / "head.json").write_text('{"version": 1}')
    assert main(["--sqlite", str(tmp_path / "none.db"), "--public-key", str(tmp_path / "k.pem")]) == UNREADABLE
    assert "cannot read" in capsys.readouterr().err
