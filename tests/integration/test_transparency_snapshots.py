"""The transparency log's trees restart from the snapshot of their record follower on a SQLite log:
the same trees as a full fold, only the records after the snapshot folded on top; a snapshot that
does not match the log (a record at its anchor rewritten, the log cut short, another log) is
refused and the trees are rebuilt from the start."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from shared.application.transparency import ForestSnapshot
from shared.eventlog.port import Record, TopicSpec
from shared.eventlog.sqlite import SqliteEventLog
from shared.readside.record_follower import RecordFollower
from shared.readside.snapshots.file import SnapshotFile
from shared.readside.snapshots.keeper import SnapshotKeeper
from shared.transparency.forest import Forest
from tests.integration.test_snapshots import drain

TOPICS = ["audited.a", "audited.b"]


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "log.db")
    write(path, 0, 40)
    return path


def write(db: str, first: int, count: int) -> None:
    log = SqliteEventLog(db)
    log.create_topics([TopicSpec(topic) for topic in TOPICS])
    for n in range(first, first + count):
        log.append_raw(TOPICS[n % 3 == 0], f"stream-{n % 7}", b"record %d" % n)
    log.close()


class Trees:
    """A record follower growing a forest, keeping its snapshot in `directory` unless None; counts
    the records its sink was handed."""

    def __init__(self, db: str, directory) -> None:
        self.log = SqliteEventLog(db)
        self.forest, self.folded = Forest(), 0
        self.follower = RecordFollower(self.log, TOPICS, self.add, name="svc.transparency")
        if directory is not None:
            snapshot = ForestSnapshot(self.forest)
            self.keeper = SnapshotKeeper(SnapshotFile(directory, self.follower.name), snapshot, self.follower)
            self.follower.snapshots = self.keeper

    def add(self, record: Record, digest: bytes) -> None:
        self.folded += 1
        self.forest.add(record.topic, record.partition, record.offset, digest)

    def fold(self) -> Trees:
        drain(self.follower)
        self.log.close()
        return self


def assert_same_trees(one: Forest, other: Forest) -> None:
    assert one.tree_heads() == other.tree_heads() and one.log_ids() == other.log_ids()
    for name in one.log_ids():
        a, b = one.tree(name), other.tree(name)
        assert [b.inclusion_proof(i) for i in range(b.size)] == [a.inclusion_proof(i) for i in range(a.size)]
        assert [b.consistency_proof(m) for m in range(b.size)] == [a.consistency_proof(m) for m in range(a.size)]
        assert [other.offset_at(name, i) for i in range(b.size)] == [one.offset_at(name, i) for i in range(a.size)]


@pytest.fixture
def saved(db, tmp_path) -> Trees:
    first = Trees(db, tmp_path / "snapshots").fold()
    assert first.keeper.save() and first.folded == 40
    return first


class TestRestartFromSnapshot:
    def test_gives_the_trees_of_a_full_fold_folding_only_the_records_after_it(self, db, tmp_path, saved) -> None:
        write(db, 40, 25)
        restarted = Trees(db, tmp_path / "snapshots").fold()
        full = Trees(db, None).fold()
        assert restarted.keeper.restored and restarted.folded == 25 and full.folded == 65
        assert_same_trees(full.forest, restarted.forest)
        assert restarted.follower.position == full.follower.position

    def test_with_nothing_after_it_folds_nothing(self, db, tmp_path, saved) -> None:
        restarted = Trees(db, tmp_path / "snapshots").fold()
        assert restarted.keeper.restored and restarted.folded == 0
        assert_same_trees(saved.forest, restarted.forest)

    def test_and_saved_again_it_holds_the_records_after_the_first(self, db, tmp_path, saved) -> None:
        write(db, 40, 10)
        assert Trees(db, tmp_path / "snapshots").fold().keeper.save()
        again = Trees(db, tmp_path / "snapshots").fold()
        assert again.keeper.restored and again.folded == 0
        assert_same_trees(Trees(db, None).fold().forest, again.forest)


class TestUntrustedSnapshots:
    def restart(self, db, tmp_path) -> Trees:
        restarted = Trees(db, tmp_path / "snapshots").fold()
        full = Trees(db, None).fold()
        assert not restarted.keeper.restored and restarted.folded == full.folded
        assert_same_trees(full.forest, restarted.forest)
        return restarted

    def test_a_rewritten_record_at_its_anchor_means_a_full_rebuild(self, db, tmp_path, saved) -> None:
        with sqlite3.connect(db) as log:
            log.execute("UPDATE records SET value = X'00' WHERE offset = (SELECT MAX(offset) FROM records)")
        self.restart(db, tmp_path)

    def test_a_log_cut_short_means_a_full_rebuild(self, db, tmp_path, saved) -> None:
        with sqlite3.connect(db) as log:
            log.execute("DELETE FROM records WHERE offset > 30")
        self.restart(db, tmp_path)

    def test_a_snapshot_of_another_log_means_a_full_rebuild(self, db, tmp_path, saved) -> None:
        other = str(tmp_path / "other.db")
        write(other, 100, 50)  # the same topics and follower, other records
        self.restart(other, tmp_path)

    def test_another_format_of_the_trees_means_a_full_rebuild(self, db, tmp_path, saved) -> None:
        rewrite(saved.keeper.file, lambda trees: trees.update(format=ForestSnapshot.FORMAT + 1))
        self.restart(db, tmp_path)

    def test_trees_that_are_not_whole_mean_a_full_rebuild(self, db, tmp_path, saved) -> None:
        rewrite(saved.keeper.file, lambda trees: trees["trees"][0].__setitem__(2, 1))  # one level of a bigger tree
        self.restart(db, tmp_path)


def rewrite(file: SnapshotFile, change: Callable[[dict], None]) -> None:
    """Rewrite the snapshot whole (a valid file) with `change` made to the trees' state."""
    opened = file.open()
    assert opened is not None
    document, records = opened
    change(document["projection"])
    file.write(document, [records[i] for i in range(len(records))])
