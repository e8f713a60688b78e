"""Proof verification as RFC 9162 gives it: every honest proof verifies, every altered one fails."""

from __future__ import annotations

import hashlib

import pytest

from shared.transparency.merkle import EMPTY_ROOT, hash_leaf
from shared.transparency.proofs import InvalidProof, verify_consistency, verify_inclusion
from tests.unit.transparency.conftest import MAX_SIZE

SOME_HASH = hashlib.sha256(b"some other hash").digest()


def flip(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def each_flipped_element(proof: list[bytes], bit: int):
    for i in range(len(proof)):
        yield [*proof[:i], flip(proof[i], bit), *proof[i + 1 :]]


def fails(check, *args) -> bool:
    try:
        check(*args)
    except InvalidProof:
        return True
    return False


class TestPublishedVectors:
    def test_inclusion_proofs_verify(self, vectors) -> None:
        for case in vectors["inclusion"]:
            leaf = hash_leaf(vectors["leaf_inputs"][case["leaf_index"]])
            root = vectors["roots"][case["tree_size"]]
            verify_inclusion(case["leaf_index"], case["tree_size"], leaf, case["proof"], root)

    def test_consistency_proofs_verify(self, vectors) -> None:
        roots = vectors["roots"]
        for case in vectors["consistency"]:
            verify_consistency(
                case["first"], case["second"], roots[case["first"]], roots[case["second"]], case["proof"]
            )


class TestInclusion:
    def test_every_proof_up_to_70_leaves_verifies(self, big_tree) -> None:
        for size in range(1, MAX_SIZE + 1):
            root = big_tree.root(size)
            for index in range(size):
                verify_inclusion(index, size, big_tree.leaf_hash(index), big_tree.inclusion_proof(index, size), root)

    def test_a_flipped_bit_anywhere_fails(self, big_tree) -> None:
        for size in range(1, MAX_SIZE + 1):
            root = big_tree.root(size)
            for index in range(size):
                leaf, proof, bit = big_tree.leaf_hash(index), big_tree.inclusion_proof(index, size), (index * 37) % 256
                assert fails(verify_inclusion, index, size, flip(leaf, bit), proof, root)
                assert fails(verify_inclusion, index, size, leaf, proof, flip(root, bit))
                for forged in each_flipped_element(proof, bit):
                    assert fails(verify_inclusion, index, size, leaf, forged, root)

    @pytest.mark.parametrize(("index", "size"), [(0, 8), (5, 8), (6, 7), (12, 13), (33, 70)])
    def test_every_single_bit_flip_fails(self, big_tree, index, size) -> None:
        leaf, proof, root = big_tree.leaf_hash(index), big_tree.inclusion_proof(index, size), big_tree.root(size)
        for bit in range(256):
            assert all(fails(verify_inclusion, index, size, leaf, p, root) for p in each_flipped_element(proof, bit))

    def test_wrong_positions_and_reshaped_proofs_fail(self, big_tree) -> None:
        for size in (2, 3, 7, 8, 13, 64, 70):
            root = big_tree.root(size)
            for index in range(size):
                leaf, proof = big_tree.leaf_hash(index), big_tree.inclusion_proof(index, size)
                for wrong in [
                    (index - 1, size),
                    (index + 1, size),
                    (index ^ 2, size),
                    (index, size * 2),
                    (index, size // 2),
                ]:
                    assert fails(verify_inclusion, *wrong, leaf, proof, root), wrong
                for reshaped in ([*proof, root], [root, *proof], proof[:-1], [*proof, b""], [b"", *proof]):
                    assert fails(verify_inclusion, index, size, leaf, reshaped, root)

    @pytest.mark.parametrize(("leaf", "root"), [(SOME_HASH, b""), (b"", EMPTY_ROOT), (SOME_HASH, EMPTY_ROOT)])
    @pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
    def test_nothing_is_in_a_tree_it_does_not_fit(self, leaf, root, index, size) -> None:
        assert fails(verify_inclusion, index, size, leaf, [], root)

    def test_a_single_leaf_tree_is_its_own_root(self) -> None:
        leaf = hash_leaf(b"data")
        verify_inclusion(0, 1, leaf, [], leaf)
        assert fails(verify_inclusion, 0, 1, leaf, [], b"")


class TestConsistency:
    def test_every_proof_up_to_70_leaves_verifies(self, big_tree) -> None:
        for second in range(MAX_SIZE + 1):
            for first in range(second + 1):
                proof = big_tree.consistency_proof(first, second)
                verify_consistency(first, second, big_tree.root(first), big_tree.root(second), proof)

    def test_a_flipped_bit_anywhere_fails(self, big_tree) -> None:
        for second in range(2, MAX_SIZE + 1):
            root2 = big_tree.root(second)
            for first in range(1, second):
                root1, proof, bit = big_tree.root(first), big_tree.consistency_proof(first, second), (first * 41) % 256
                assert fails(verify_consistency, first, second, flip(root1, bit), root2, proof)
                assert fails(verify_consistency, first, second, root1, flip(root2, bit), proof)
                for forged in each_flipped_element(proof, bit):
                    assert fails(verify_consistency, first, second, root1, root2, forged)

    @pytest.mark.parametrize(("first", "second"), [(1, 8), (6, 8), (2, 5), (6, 7), (13, 70), (64, 70)])
    def test_every_single_bit_flip_fails(self, big_tree, first, second) -> None:
        proof, root1, root2 = big_tree.consistency_proof(first, second), big_tree.root(first), big_tree.root(second)
        for bit in range(256):
            assert all(
                fails(verify_consistency, first, second, root1, root2, p) for p in each_flipped_element(proof, bit)
            )

    def test_wrong_sizes_swapped_roots_and_reshaped_proofs_fail(self, big_tree) -> None:
        for first, second in [(1, 2), (3, 7), (4, 8), (6, 8), (5, 13), (32, 70), (69, 70)]:
            root1, root2 = big_tree.root(first), big_tree.root(second)
            proof = big_tree.consistency_proof(first, second)
            wrongs = [
                (first - 1, second),
                (first + 1, second),
                (first ^ 2, second),
                (first, second * 2),
                (first, second // 2),
            ]
            for wrong in wrongs:
                assert fails(verify_consistency, *wrong, root1, root2, proof), wrong
            assert fails(verify_consistency, first, second, root2, root1, proof)
            for reshaped in ([], proof[:-1], [*proof, root1], [*proof, root2], [root1, *proof], [proof[0], *proof]):
                assert fails(verify_consistency, first, second, root1, root2, reshaped)

    def test_trivial_cases(self, big_tree) -> None:
        root5 = big_tree.root(5)
        verify_consistency(0, 5, EMPTY_ROOT, root5, [])
        verify_consistency(5, 5, root5, root5, [])
        assert fails(verify_consistency, 5, 5, root5, big_tree.root(4), [])
        assert fails(verify_consistency, 5, 5, root5, root5, [root5])
        assert fails(verify_consistency, 0, 5, SOME_HASH, root5, [])
        assert fails(verify_consistency, 6, 5, big_tree.root(6), root5, [])
