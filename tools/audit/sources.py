"""Where the audit reads from: the log (a SQLite file, read-only, or Kafka topics), the heads
(files, directories of them, URLs) and the public key (a PEM file or URL)."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from shared.eventlog.port import Offsets, Record, caught_up
from shared.transparency.heads import HeadVerifier, SignedHead
from shared.transparency.keyfile import load_public_key

POLL_S = 0.5


def sqlite_records(path: str, topics: Sequence[str]) -> Iterator[Record]:
    """Every record of `topics` in the SQLite log file, in offset order (one partition per topic)."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no log file at {path}")
    db = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(topics))
        query = f"SELECT offset, topic, key, value FROM records WHERE topic IN ({marks}) ORDER BY offset"  # noqa: S608 - placeholders only
        for offset, topic, key, value in db.execute(query, list(topics)):
            yield Record(topic, 0, offset, key, bytes(value))
    finally:
        db.close()


def sqlite_reread(path: str):
    """A function that reads one record of the SQLite log again (None if it is not there)."""

    def reread(topic: str, _partition: int, offset: int) -> bytes | None:
        db = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM records WHERE topic = ? AND offset = ?", (topic, offset)).fetchone()
        finally:
            db.close()
        return bytes(row[0]) if row else None

    return reread


def kafka_reread(bootstrap_servers: str):
    """A function that reads one record of Kafka again (None if it is not there)."""
    from shared.eventlog.kafka import KafkaEventLog

    def reread(topic: str, partition: int, offset: int) -> bytes | None:
        log = KafkaEventLog(bootstrap_servers, client_id="cadreflow-audit")
        try:
            found = log.read_at([(topic, partition, offset)])[0]
        finally:
            log.close()
        return found.value if found is not None else None

    return reread


def kafka_records(bootstrap_servers: str, topics: Sequence[str]) -> Iterator[Record]:
    """Every record of `topics` up to the end offsets seen when the audit started."""
    from shared.eventlog.kafka import KafkaEventLog

    log = KafkaEventLog(bootstrap_servers, client_id="cadreflow-audit")
    reader = log.open_reader(list(topics))
    try:
        target, position = reader.end_offsets(), Offsets()
        while not caught_up(position, target):
            for record in reader.poll(POLL_S):
                position[record.topic, record.partition] = record.offset + 1
                yield record
    finally:
        reader.close()
        log.close()


def partitions_of(records_source: str, target: str, topics: Sequence[str]) -> list[tuple[str, int]]:
    """The partitions the audited topics have, so an empty one still has its (empty) tree."""
    if records_source == "sqlite":
        return [(topic, 0) for topic in topics]
    from shared.eventlog.kafka import KafkaEventLog

    log = KafkaEventLog(target, client_id="cadreflow-audit")
    try:
        return sorted(log.end_offsets(topics))
    finally:
        log.close()


def load_heads(sources: Sequence[str]) -> list[SignedHead]:
    """Signed heads from files (one head or a list), directories (their *.json) and URLs."""
    heads: list[SignedHead] = []
    for source in sources:
        for document in _documents(source):
            items = document.get("items", [document]) if isinstance(document, dict) else document
            heads += [SignedHead.from_json(item) for item in items]
    return heads


def load_verifier(source: str) -> HeadVerifier:
    """The public key from a PEM file or URL (PEM, or JSON with `public_key_pem`)."""
    text = _read(source)
    if text.lstrip().startswith("{"):
        text = json.loads(text)["public_key_pem"]
    return HeadVerifier(load_public_key(text.encode()))


def _documents(source: str) -> Iterator[Any]:
    path = Path(source)
    if not _is_url(source) and path.is_dir():
        for file in sorted(path.glob("*.json")):
            yield json.loads(file.read_text())
        return
    yield json.loads(_read(source))


def _read(source: str) -> str:
    if _is_url(source):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - http(s) only, see _is_url
            return response.read().decode()
    return Path(source).read_text()


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))
