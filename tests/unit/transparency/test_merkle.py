"""The incremental tree gives the RFC's roots and proofs for every past size."""

from __future__ import annotations

import pytest

from shared.transparency.merkle import EMPTY_ROOT, MerkleFrontier, MerkleTree, hash_leaf
from tests.unit.transparency import reference
from tests.unit.transparency.conftest import MAX_SIZE


def tree_of(leaves: list[bytes]) -> MerkleTree:
    tree = MerkleTree()
    for data in leaves:
        tree.append_data(data)
    return tree


class TestPublishedVectors:
    def test_gives_the_root_of_every_prefix(self, vectors) -> None:
        tree = MerkleTree()
        assert tree.root() == EMPTY_ROOT == vectors["roots"][0]
        for size, data in enumerate(vectors["leaf_inputs"], start=1):
            tree.append_data(data)
            assert tree.root() == vectors["roots"][size]
        assert [tree.root(n) for n in range(9)] == vectors["roots"]

    def test_gives_the_published_inclusion_proofs(self, vectors) -> None:
        tree = tree_of(vectors["leaf_inputs"])
        for case in vectors["inclusion"]:
            assert tree.inclusion_proof(case["leaf_index"], case["tree_size"]) == case["proof"], case

    def test_gives_the_published_consistency_proofs(self, vectors) -> None:
        tree = tree_of(vectors["leaf_inputs"])
        for case in vectors["consistency"]:
            assert tree.consistency_proof(case["first"], case["second"]) == case["proof"], case


class TestAgainstTheRfcDefinitions:
    def test_roots_of_every_size(self, big_tree, leaf_inputs) -> None:
        for size in range(MAX_SIZE + 1):
            assert big_tree.root(size) == reference.mth(leaf_inputs[:size]), size

    def test_inclusion_proofs_of_every_leaf_at_every_size(self, big_tree, leaf_inputs) -> None:
        for size in range(1, MAX_SIZE + 1):
            for index in range(size):
                assert big_tree.inclusion_proof(index, size) == reference.path(index, leaf_inputs[:size])

    def test_consistency_proofs_between_every_two_sizes(self, big_tree, leaf_inputs) -> None:
        for second in range(1, MAX_SIZE + 1):
            for first in range(1, second + 1):
                assert big_tree.consistency_proof(first, second) == reference.proof(first, leaf_inputs[:second])

    def test_proof_sizes_are_logarithmic(self, big_tree) -> None:
        assert max(len(big_tree.inclusion_proof(i, 70)) for i in range(70)) == 7
        assert max(len(big_tree.consistency_proof(m, 70)) for m in range(1, 70)) <= 2 * 7


class TestAppend:
    def test_returns_the_leaf_index_and_keeps_the_leaf_hash(self) -> None:
        tree = MerkleTree()
        assert [tree.append_data(bytes([i])) for i in range(5)] == [0, 1, 2, 3, 4]
        assert tree.size == 5 and tree.leaf_hash(3) == hash_leaf(b"\x03")

    def test_refuses_a_leaf_hash_of_the_wrong_length(self) -> None:
        with pytest.raises(ValueError):
            MerkleTree().append(b"short")

    @pytest.mark.parametrize(("index", "size"), [(0, 0), (3, 3), (-1, 2), (0, 6)])
    def test_refuses_proofs_outside_the_tree(self, index, size) -> None:
        tree = tree_of([b"a", b"b", b"c", b"d", b"e"])
        with pytest.raises(ValueError):
            tree.inclusion_proof(index, size)

    @pytest.mark.parametrize(("first", "second"), [(3, 2), (-1, 2), (1, 6)])
    def test_refuses_consistency_outside_the_tree(self, first, second) -> None:
        with pytest.raises(ValueError):
            tree_of([b"a", b"b", b"c", b"d", b"e"]).consistency_proof(first, second)


class TestLevels:
    def test_a_tree_from_its_levels_at_any_past_size_gives_the_same_roots_and_proofs(self, big_tree) -> None:
        for size in range(MAX_SIZE + 1):
            restored = MerkleTree.from_levels(big_tree.levels(size))
            assert restored.size == size and restored.root() == big_tree.root(size), size
            assert [restored.inclusion_proof(i) for i in range(size)] == [
                big_tree.inclusion_proof(i, size) for i in range(size)
            ]
            assert [restored.consistency_proof(m) for m in range(size + 1)] == [
                big_tree.consistency_proof(m, size) for m in range(size + 1)
            ]

    def test_a_tree_from_levels_grows_as_the_original_did(self, big_tree, leaf_inputs) -> None:
        for size in (0, 1, 31, 32, 33, 64):
            restored = MerkleTree.from_levels(big_tree.levels(size))
            for data in leaf_inputs[size:]:
                restored.append_data(data)
            assert restored.levels() == big_tree.levels() and restored.root() == big_tree.root(), size

    def test_levels_are_a_hash_per_complete_subtree(self, big_tree) -> None:
        assert [len(level) // 32 for level in big_tree.levels(70)] == [70, 35, 17, 8, 4, 2, 1]
        assert big_tree.levels(0) == [b""]

    @pytest.mark.parametrize(
        "change",
        [
            lambda levels: levels[:-1],  # the top level missing
            lambda levels: [*levels, b""],  # one level too many
            lambda levels: [levels[0], levels[1][:-32], *levels[2:]],  # a hash missing
            lambda levels: [levels[0][:-1], *levels[1:]],  # not whole hashes
            lambda levels: [],
        ],
        ids=["top missing", "extra level", "hash missing", "torn hash", "nothing"],
    )
    def test_refuses_levels_that_are_not_a_trees(self, big_tree, change) -> None:
        with pytest.raises(ValueError):
            MerkleTree.from_levels(change(big_tree.levels(13)))


class TestFrontier:
    def test_gives_the_root_of_the_full_tree_at_every_size(self, big_tree, leaf_inputs) -> None:
        frontier = MerkleFrontier()
        assert frontier.root() == EMPTY_ROOT
        for size, data in enumerate(leaf_inputs, start=1):
            frontier.append(hash_leaf(data))
            assert (frontier.size, frontier.root()) == (size, big_tree.root(size))

    def test_gives_the_published_roots(self, vectors) -> None:
        frontier = MerkleFrontier()
        for size, data in enumerate(vectors["leaf_inputs"], start=1):
            frontier.append(hash_leaf(data))
            assert frontier.root() == vectors["roots"][size]
