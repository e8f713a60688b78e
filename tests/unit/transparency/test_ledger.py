"""The ledger signs heads over what it folded, archives them, and refuses to sign a log that
contradicts a head signed before it started."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.transparency.anchor import Divergence
from shared.transparency.archive import PUBLIC_KEY_FILE, HeadArchive
from shared.transparency.heads import HeadSigner, SignedHead
from shared.transparency.ledger import HeadIssuer, Ledger, LogDiverged, NotCaughtUp

TOPIC = "cadreflow.nominations"
KEY = Ed25519PrivateKey.generate()


class Clock:
    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        self.now += 1
        return self.now


def ledger_factory(directory, records, clock, ready=lambda: True) -> Ledger:
    ledger = Ledger(HeadArchive(directory), HeadSigner(KEY), ready, clock)
    ledger.forest.ensure(TOPIC, 0)
    for offset, value in records:
        ledger.add(TOPIC, 0, offset, hashlib.sha256(value.encode()).digest())
    return ledger


RECORDS = [(1, "submitted"), (2, "approved at unit"), (4, "rejected")]


def test_signs_archives_and_reuses_a_head_until_the_trees_grow(tmp_path) -> None:
    clock = Clock()
    ledger = ledger_factory(tmp_path, RECORDS, clock)
    assert ledger.anchoring().status(f"{TOPIC}/0", 2) == "unsigned"
    head = ledger.issue()
    assert ledger.issue() is head and head.tree_size == 3
    assert ledger.anchoring().status(f"{TOPIC}/0", 2) == "vouched"
    ledger.add(TOPIC, 0, 7, b"\x01" * 32)
    assert ledger.issue().tree_size == 4
    archived = HeadArchive(tmp_path).heads()
    assert [h.tree_size for h in archived] == [3, 4] and HeadArchive(tmp_path).at_size(3) == head
    assert (tmp_path / PUBLIC_KEY_FILE).read_text() == ledger.public_key_pem
    assert json.loads((tmp_path / "000000000003-1002.json").read_text())["tree_size"] == 3


def test_a_restart_over_the_same_log_anchors_to_the_earlier_heads(tmp_path) -> None:
    clock = Clock()
    ledger_factory(tmp_path, RECORDS, clock).issue()
    again = ledger_factory(tmp_path, RECORDS, clock)
    assert again.anchoring().consistent and again.anchoring().vouched[f"{TOPIC}/0"] == 3
    assert again.issue() == again.latest


@pytest.mark.parametrize(
    "forged",
    [
        [(1, "submitted"), (2, "approved at unit"), (4, "approved")],  # the last event changed
        [(1, "submitted"), (2, "approved at unit")],  # the final rejection deleted
        [(1, "submitted"), (2, "approved at unit"), (3, "approved"), (4, "rejected")],  # an approval inserted
    ],
)
def test_a_restart_over_a_changed_log_refuses_to_sign(tmp_path, forged) -> None:
    clock = Clock()
    ledger_factory(tmp_path, RECORDS, clock).issue()
    again = ledger_factory(tmp_path, forged, clock)
    assert again.anchoring().first().first_leaf == 0  # one head only: the change lies in its 3 leaves
    with pytest.raises(LogDiverged):
        again.issue()
    assert len(HeadArchive(tmp_path).heads()) == 1


def test_a_divergence_found_after_the_start_stops_the_signing_and_the_vouching(tmp_path) -> None:
    clock = Clock()
    ledger = ledger_factory(tmp_path, RECORDS, clock)
    seen = []
    ledger.observe = lambda anchoring, _signed: seen.append(anchoring.consistent)
    head = ledger.issue()
    ledger.note_divergence(Divergence(f"{TOPIC}/0", head, 1, 2, "the record at offset 2 is not the one folded"))
    ledger.note_divergence(Divergence(f"{TOPIC}/0", None, 2, 3, "a later leaf: the earlier divergence stays"))
    anchoring = ledger.anchoring()
    assert seen == [True, True, False] and anchoring.first().first_leaf == 1  # anchored, signed, diverged
    assert [anchoring.status(f"{TOPIC}/0", leaf) for leaf in (0, 1, 2)] == ["vouched", "contradicted", "contradicted"]
    with pytest.raises(LogDiverged, match="the changed record is leaf 1"):
        ledger.issue()


def test_heads_of_another_key_are_not_an_anchor(tmp_path) -> None:
    other = HeadSigner(Ed25519PrivateKey.generate()).sign((), timestamp=5)
    HeadArchive(tmp_path).write(SignedHead(other.timestamp, other.key_id, other.trees, other.signature))
    ledger = ledger_factory(tmp_path, RECORDS, Clock())
    assert ledger.anchoring().heads == 0 and ledger.rejected_heads == 1


def test_nothing_is_signed_before_the_trees_are_rebuilt_and_a_last_head_on_stop(tmp_path) -> None:
    ready = {"now": False}
    ledger = ledger_factory(tmp_path, RECORDS, Clock(), ready=lambda: ready["now"])
    with pytest.raises(NotCaughtUp):
        ledger.issue()
    issuer = HeadIssuer(ledger, interval_s=60)
    issuer.start()
    ready["now"] = True
    issuer.stop()
    assert [h.tree_size for h in HeadArchive(tmp_path).heads()] == [3]
