"""Every byte the system keeps, for tests that search it for what must not be there in clear."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from shared.eventlog.port import caught_up
from shared.eventlog.topics import ALL_TOPICS

TOPICS = tuple(spec.name for spec in ALL_TOPICS)


def raw_records(services) -> bytes:
    """The bytes of every record of every topic, as the log (SQLite rows or the Kafka topics) holds them."""
    reader = services.apps[0].extensions["runtime"].log.open_reader(list(TOPICS))
    target, position, chunks = reader.end_offsets(), {}, []
    try:
        while not caught_up(position, target):
            for record in reader.poll(0.2):
                position[(record.topic, record.partition)] = record.offset + 1
                chunks.append(record.value)
    finally:
        reader.close()
    return b"\n".join(chunks)


def files(*paths: Path) -> bytes:
    return b"".join(p.read_bytes() for root in paths if root.exists() for p in root.rglob("*") if p.is_file())


def stored(services, app_factory: Callable, tmp_path: Path, snapshotted: Iterable[str]) -> bytes:
    """Every byte kept: log records, the SQLite files, the key store, and fresh snapshots of the
    projections of the `snapshotted` services."""
    snapshots = tmp_path / "snapshots"
    for service in snapshotted:
        app = app_factory(service, snapshot_dir=str(snapshots / service))
        app.extensions["runtime"].save_snapshots()
    assert list(snapshots.rglob("*.snapshot")), "no snapshot was written"
    config = services.apps[0].config["CADREFLOW_CONFIG"]
    sqlite = files(Path(config.event_db).parent) if config.event_backend == "sqlite" else b""
    keys = files(Path(services.apps[3].config["CADREFLOW_CONFIG"].key_dir))
    return b"\n".join([raw_records(services), sqlite, keys, files(snapshots)])
