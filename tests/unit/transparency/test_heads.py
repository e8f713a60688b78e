"""Signed tree heads: a canonical encoding, an Ed25519 signature over it, and the key on disk."""

from __future__ import annotations

import hashlib
import stat
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.transparency.heads import CONTEXT, HeadSigner, HeadVerifier, InvalidHead, SignedHead, TreeHead
from shared.transparency.keyfile import load_or_create_private_key, load_public_key, public_key_pem

ROOT_A = hashlib.sha256(b"a").digest()
ROOT_B = hashlib.sha256(b"b").digest()
TREES = (TreeHead("cadreflow.nominations/1", 7, ROOT_B), TreeHead("cadreflow.nominations/0", 12, ROOT_A))


@pytest.fixture
def signer() -> HeadSigner:
    return HeadSigner(Ed25519PrivateKey.generate())


def flip_byte(value: bytes, index: int) -> bytes:
    return value[:index] + bytes([value[index] ^ 1]) + value[index + 1 :]


class TestSignedHead:
    def test_a_signed_head_verifies_and_survives_json(self, signer) -> None:
        head = signer.sign(TREES, timestamp=1_765_000_000_000)
        signer.verifier.verify(head)
        again = SignedHead.from_json(head.to_json())
        assert again == head and again.tree_size == 19
        signer.verifier.verify(again)

    def test_the_signed_bytes_are_canonical(self, signer) -> None:
        head = signer.sign(TREES, timestamp=5)
        expected = b"".join(
            [
                CONTEXT,
                struct.pack(">Q", 5),
                signer.key_id,
                struct.pack(">H", 2),
                struct.pack(">H", 23) + b"cadreflow.nominations/0" + struct.pack(">Q", 12) + ROOT_A,
                struct.pack(">H", 23) + b"cadreflow.nominations/1" + struct.pack(">Q", 7) + ROOT_B,
            ]
        )
        assert head.signed_bytes() == expected
        assert signer.sign(reversed(TREES), timestamp=5).signed_bytes() == expected
        assert signer.key_id == hashlib.sha256(signer.verifier.public_key.public_bytes_raw()).digest()

    def test_any_changed_byte_of_what_is_signed_fails(self, signer) -> None:
        head = signer.sign(TREES, timestamp=5)
        for forged in (
            SignedHead(6, head.key_id, head.trees, head.signature),
            SignedHead(5, head.key_id, (TreeHead("cadreflow.nominations/0", 13, ROOT_A), TREES[0]), head.signature),
            SignedHead(5, head.key_id, (TreeHead("cadreflow.nominations/0", 12, ROOT_B), TREES[0]), head.signature),
            SignedHead(5, head.key_id, TREES[:1], head.signature),
        ):
            with pytest.raises(InvalidHead):
                signer.verifier.verify(forged)
        for index in range(len(head.signature)):
            with pytest.raises(InvalidHead):
                signer.verifier.verify(SignedHead(5, head.key_id, head.trees, flip_byte(head.signature, index)))

    def test_another_key_does_not_verify(self, signer) -> None:
        other = HeadSigner(Ed25519PrivateKey.generate())
        head = other.sign(TREES, timestamp=5)
        with pytest.raises(InvalidHead, match="signed by key"):
            signer.verifier.verify(head)
        with pytest.raises(InvalidHead, match="signature"):
            signer.verifier.verify(SignedHead(5, signer.key_id, head.trees, head.signature))

    @pytest.mark.parametrize(
        "change",
        [
            {"version": 2},
            {"key_id": "00"},
            {"timestamp": "soon"},
            {"trees": [{"log_id": "x", "tree_size": 1, "root_hash": "00"}]},
            {"trees": [{"log_id": "x", "tree_size": -1, "root_hash": ROOT_A.hex()}]},
            {"trees": [{"log_id": "x", "tree_size": 1, "root_hash": ROOT_A.hex()}] * 2},
            {"signature": "not hex"},
        ],
    )
    def test_malformed_json_is_refused(self, signer, change) -> None:
        data = signer.sign(TREES, timestamp=5).to_json() | change
        with pytest.raises(InvalidHead):
            SignedHead.from_json(data)


class TestKeyFile:
    def test_is_created_owner_only_and_read_back(self, tmp_path) -> None:
        path = tmp_path / "keys" / "head-signing.pem"
        key = load_or_create_private_key(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        again = load_or_create_private_key(path)
        assert again.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
        assert [p.name for p in path.parent.iterdir()] == ["head-signing.pem"]

    def test_the_published_public_key_verifies_heads(self, tmp_path) -> None:
        signer = HeadSigner(load_or_create_private_key(tmp_path / "k.pem"))
        verifier = HeadVerifier(load_public_key(public_key_pem(signer.verifier.public_key).encode()))
        verifier.verify(signer.sign(TREES, timestamp=9))
