"""What a leaf of the transparency log is: one stored record, by its place and its bytes' digest.

There is one tree per topic partition (log id `"<topic>/<partition>"`): the partition is the
only order every reader of the log sees alike (Kafka has none across partitions; the SQLite
log has one partition per topic), so each tree can be rebuilt from the log alone by reading
its partition from the start. The leaves are in offset order, one per record: applied, void
and undecodable records alike, so rebuilding needs no knowledge of the domain, and nothing in
the log, not even a record a reader ignores, can change unseen. The leaf input is

    uint16 length || topic (UTF-8)   uint32 partition   uint64 offset   SHA-256(stored value)

and the value's digest is the `digest` an event shows (the hash its successor's `prev_hash`
holds), so an inclusion proof of an event needs only its position and digest.
"""

from __future__ import annotations

import struct

DIGEST_SIZE = 32


def log_id(topic: str, partition: int) -> str:
    """The name of one partition's tree (Kafka topic names have no '/')."""
    return f"{topic}/{partition}"


def parse_log_id(value: str) -> tuple[str, int]:
    """(topic, partition) of a log id; ValueError if it is not one."""
    topic, _, partition = value.rpartition("/")
    if not topic or not partition.isdigit():
        raise ValueError(f"not a log id: {value!r}")
    return topic, int(partition)


def leaf_input(topic: str, partition: int, offset: int, value_digest: bytes) -> bytes:
    """The bytes hashed (after the 0x00 prefix) into the leaf of one record."""
    return leaf_prefix(topic, partition) + record_part(offset, value_digest)


def leaf_prefix(topic: str, partition: int) -> bytes:
    """The part of a leaf input every record of one partition shares."""
    name = topic.encode()
    return struct.pack(">H", len(name)) + name + struct.pack(">I", partition)


def record_part(offset: int, value_digest: bytes) -> bytes:
    """The part of a leaf input that is the record's own."""
    if len(value_digest) != DIGEST_SIZE:
        raise ValueError("the value digest is a SHA-256")
    return struct.pack(">Q", offset) + value_digest
