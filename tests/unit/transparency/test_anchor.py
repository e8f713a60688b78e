"""A forest rebuilt from records, checked against heads signed earlier: each kind of change is found."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.transparency.anchor import Divergence, anchor
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadSigner
from shared.transparency.leaves import leaf_input, log_id, parse_log_id
from shared.transparency.merkle import hash_leaf
from shared.transparency.proofs import verify_inclusion

TOPIC = "cadreflow.nominations"
LOG = log_id(TOPIC, 0)
SIGNER = HeadSigner(Ed25519PrivateKey.generate())


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def forest_of(records: list[tuple[int, str]], partitions: int = 1) -> Forest:
    forest = Forest()
    for partition in range(partitions):
        forest.ensure(TOPIC, partition)
    for offset, value in records:
        forest.add(TOPIC, 0, offset, digest(value))
    return forest


RECORDS = [(offset, f"event {offset}") for offset in range(1, 40, 3)]  # 13 records, offsets with gaps


def heads_every(step: int, records=RECORDS) -> list:
    """Signed heads of the honest log after every `step` records."""
    forest, heads = forest_of([]), []
    for count, (offset, value) in enumerate(records, start=1):
        forest.add(TOPIC, 0, offset, digest(value))
        if count % step == 0 or count == len(records):
            heads.append(SIGNER.sign(forest.tree_heads(), timestamp=count))
    return heads


class TestForest:
    def test_finds_a_leaf_by_offset_and_proves_it(self) -> None:
        forest = forest_of(RECORDS)
        index = forest.locate(LOG, 22)
        assert index == 7 and forest.locate(LOG, 23) is None and forest.offset_at(LOG, 7) == 22
        tree = forest.tree(LOG)
        leaf = hash_leaf(leaf_input(TOPIC, 0, 22, digest("event 22")))
        verify_inclusion(index, tree.size, leaf, tree.inclusion_proof(index), tree.root())

    def test_adding_a_record_again_changes_nothing_and_going_back_is_refused(self) -> None:
        forest = forest_of(RECORDS)
        root = forest.tree(LOG).root()
        assert forest.add(TOPIC, 0, 22, digest("event 22")) == 7 and forest.tree(LOG).root() == root
        with pytest.raises(ValueError):
            forest.add(TOPIC, 0, 23, digest("between"))

    def test_heads_name_empty_partitions_too(self) -> None:
        heads = forest_of(RECORDS, partitions=2).tree_heads()
        assert [(h.log_id, h.tree_size) for h in heads] == [(LOG, 13), (log_id(TOPIC, 1), 0)]
        assert parse_log_id(heads[1].log_id) == (TOPIC, 1)


class TestAnchor:
    def test_an_untouched_log_matches_every_head(self) -> None:
        result = anchor(forest_of(RECORDS), heads_every(4))
        assert result.consistent and result.heads == 4 and result.vouched[LOG] == 13
        assert result.status(LOG, 12) == "vouched"

    def test_a_changed_record_is_placed_between_two_heads(self) -> None:
        forged = [(o, "forged" if o == 22 else v) for o, v in RECORDS]  # leaf 7
        result = anchor(forest_of(forged), heads_every(4))
        divergence = result.first()
        assert divergence is not None and (divergence.first_leaf, divergence.end_leaf) == (4, 8)
        assert divergence.head.tree_size == 8 and "differ" in divergence.reason
        assert [result.status(LOG, leaf) for leaf in (3, 4, 12)] == ["vouched", "contradicted", "contradicted"]

    def test_a_deleted_last_record_is_missing(self) -> None:
        divergence = anchor(forest_of(RECORDS[:-1]), heads_every(1)).first()
        assert divergence is not None and divergence.first_leaf == 12
        assert "12 records where the head signed 13" in divergence.reason

    def test_an_inserted_record_shifts_every_later_leaf(self) -> None:
        inserted = sorted([*RECORDS, (5, "approved")])
        divergence = anchor(forest_of(inserted), heads_every(1)).first()
        assert divergence is not None and divergence.first_leaf == 2 and divergence.head.tree_size == 3

    def test_a_log_without_the_partition_diverges(self) -> None:
        divergence = anchor(Forest(), heads_every(13)).first()
        assert divergence is not None and "no such partition" in divergence.reason

    def test_only_heads_after_the_change_match_a_forged_log(self) -> None:
        forged = [(o, "forged" if o == 22 else v) for o, v in RECORDS]
        later = SIGNER.sign(forest_of(forged).tree_heads(), timestamp=99)  # signed over the forgery
        result = anchor(forest_of(forged), [*heads_every(4), later])
        assert not result.consistent and result.first().first_leaf == 4

    def test_a_divergence_found_later_is_kept_unless_its_log_diverges_earlier(self) -> None:
        result = anchor(forest_of(RECORDS), heads_every(4))
        later = Divergence(LOG, None, 9, 10, "found by the re-check")
        assert result.add(later) and result.first() is later and result.vouched[LOG] == 9
        assert not result.add(Divergence(LOG, None, 11, 12, "after it")) and result.first() is later
        assert "no head signed over it yet" in later.describe()
