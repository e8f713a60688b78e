"""KeyStore adapters (file and in-memory) and AES-GCM sealing."""

import multiprocessing
import os
import stat

import pytest

from shared.keys import FileKeyStore, InMemoryKeyStore, KeyDestroyed, SealBroken, seal, unseal


@pytest.fixture(params=["file", "memory"])
def store(request, tmp_path):
    return FileKeyStore(tmp_path / "keys") if request.param == "file" else InMemoryKeyStore()


class TestKeyStore:
    def test_create_makes_a_random_256_bit_key_once(self, store):
        key = store.create("case-1")

        assert len(key) == 32
        assert store.create("case-1") == key
        assert store.get("case-1") == key
        assert store.create("case-2") != key

    def test_an_unknown_key_is_none(self, store):
        assert store.get("never") is None

    def test_destroy_forgets_the_key_for_good(self, store):
        store.create("case-1")
        store.destroy("case-1")
        store.destroy("case-1")  # twice is fine

        assert store.get("case-1") is None
        with pytest.raises(KeyDestroyed):  # an id never gets a second key: erased stays erased
            store.create("case-1")

    def test_destroying_an_id_never_made_forbids_making_it(self, store):
        store.destroy("person-x")

        assert store.get("person-x") is None
        with pytest.raises(KeyDestroyed):
            store.create("person-x")

    @pytest.mark.parametrize("key_id", ["", "../etc/passwd", "a/b", " x", "x" * 201, ".hidden"])
    def test_key_ids_are_safe_file_names(self, store, key_id):
        with pytest.raises(ValueError):
            store.create(key_id)


def _create(directory, queue):
    queue.put(FileKeyStore(directory).create("shared-id"))


class TestFileKeyStore:
    def test_files_are_0600_in_a_0700_directory(self, tmp_path):
        store = FileKeyStore(tmp_path / "keys")
        store.create("case-1")

        assert stat.S_IMODE(os.stat(tmp_path / "keys").st_mode) == 0o700
        assert stat.S_IMODE(os.stat(tmp_path / "keys" / "case-1").st_mode) == 0o600
        assert sorted(os.listdir(tmp_path / "keys")) == ["case-1"]  # no temporary file left

    def test_processes_creating_the_same_key_at_once_get_the_same_key(self, tmp_path):
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        processes = [context.Process(target=_create, args=(tmp_path / "keys", queue)) for _ in range(3)]
        for process in processes:
            process.start()
        keys = {queue.get(timeout=10) for _ in processes}
        for process in processes:
            process.join()

        assert keys == {FileKeyStore(tmp_path / "keys").get("shared-id")}

    def test_destroy_overwrites_the_key_and_leaves_an_empty_tombstone(self, tmp_path):
        store = FileKeyStore(tmp_path / "keys")
        key = store.create("case-1")
        other = FileKeyStore(tmp_path / "keys")  # another process on the same host
        store.destroy("case-1")

        assert (tmp_path / "keys" / "case-1").read_bytes() == b""
        assert stat.S_IMODE(os.stat(tmp_path / "keys" / "case-1").st_mode) == 0o600
        assert sorted(os.listdir(tmp_path / "keys")) == ["case-1"]
        assert other.get("case-1") is None and key not in (tmp_path / "keys" / "case-1").read_bytes()
        with pytest.raises(KeyDestroyed):
            other.create("case-1")

    def test_a_damaged_key_file_is_an_error_not_a_new_key(self, tmp_path):
        store = FileKeyStore(tmp_path)
        (tmp_path / "case-1").write_bytes(b"short")

        with pytest.raises(ValueError, match="damaged"):
            store.get("case-1")


class TestSealing:
    def test_seal_and_unseal(self):
        key = os.urandom(32)

        sealed = seal(key, "王五 13800000000".encode(), b"case-1")

        assert sealed.startswith("v1.")
        assert "王五".encode() not in sealed.encode()
        assert unseal(key, sealed, b"case-1").decode() == "王五 13800000000"

    def test_every_seal_is_different(self):
        key = os.urandom(32)

        assert seal(key, b"same", b"c") != seal(key, b"same", b"c")

    @pytest.mark.parametrize("change", ["key", "context", "text", "version"])
    def test_a_wrong_key_context_or_altered_text_cannot_be_opened(self, change):
        key = os.urandom(32)
        sealed = seal(key, b"secret", b"case-1")
        if change == "key":
            key = os.urandom(32)
        context = b"case-2" if change == "context" else b"case-1"
        if change == "text":
            sealed = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
        if change == "version":
            sealed = "v0" + sealed[2:]

        with pytest.raises(SealBroken):
            unseal(key, sealed, context)
