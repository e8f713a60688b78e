"""Snapshot files: written atomically with a checksum; anything doubtful is ignored, never trusted."""

from __future__ import annotations

import threading

import pytest

from shared.readside.snapshots.file import FORMAT_VERSION, SnapshotFile


@pytest.fixture
def snapshot(tmp_path) -> SnapshotFile:
    return SnapshotFile(tmp_path / "snapshots", "svc.follower")


class TestSnapshotFile:
    def test_reads_back_what_it_wrote(self, snapshot) -> None:
        snapshot.write({"a": [1, "b", None], "c": {"d": 2}})
        assert snapshot.read() == {"a": [1, "b", None], "c": {"d": 2}}

    def test_no_file_is_no_snapshot(self, snapshot) -> None:
        assert snapshot.read() is None

    def test_ignores_a_corrupt_body(self, snapshot) -> None:
        snapshot.write({"a": "x" * 100})
        data = bytearray(snapshot.path.read_bytes())
        data[-10] ^= 0x01
        snapshot.path.write_bytes(bytes(data))
        assert snapshot.read() is None

    def test_ignores_a_truncated_file(self, snapshot) -> None:
        snapshot.write({"a": "x" * 100})
        snapshot.path.write_bytes(snapshot.path.read_bytes()[:-5])
        assert snapshot.read() is None

    def test_ignores_another_format_version(self, snapshot) -> None:
        snapshot.write({"a": 1})
        data = snapshot.path.read_bytes()
        snapshot.path.write_bytes(data.replace(f" {FORMAT_VERSION} ".encode(), f" {FORMAT_VERSION + 1} ".encode(), 1))
        assert snapshot.read() is None

    def test_ignores_a_file_that_is_not_a_snapshot(self, snapshot) -> None:
        snapshot.path.parent.mkdir(parents=True)
        snapshot.path.write_bytes(b"\x80\x04garbage")
        assert snapshot.read() is None

    def test_leaves_no_temporary_files(self, snapshot) -> None:
        snapshot.write({"a": 1})
        assert [p.name for p in snapshot.path.parent.iterdir()] == [snapshot.path.name]

    def test_concurrent_writers_leave_one_whole_file(self, snapshot) -> None:
        documents = [{"writer": i, "payload": "x" * 50_000} for i in range(8)]
        threads = [threading.Thread(target=snapshot.write, args=(d,)) for d in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert snapshot.read() in documents
        assert [p.name for p in snapshot.path.parent.iterdir()] == [snapshot.path.name]

    def test_records_are_read_back_by_index(self, snapshot) -> None:
        snapshot.write({"a": 1}, [b'["first"]', b"", b'{"third": 3}'])
        document, records = snapshot.open()
        assert document == {"a": 1}
        assert [records[i] for i in range(len(records))] == [b'["first"]', b"", b'{"third": 3}']

    def test_a_changed_record_makes_the_whole_snapshot_untrusted(self, snapshot) -> None:
        snapshot.write({"a": 1}, [b"x" * 100, b"y" * 100])
        data = bytearray(snapshot.path.read_bytes())
        data[-150] ^= 0x01  # inside the first record, which start-up does not parse
        snapshot.path.write_bytes(bytes(data))
        assert snapshot.open() is None
