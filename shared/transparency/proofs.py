"""Verification of inclusion and consistency proofs, as RFC 9162 sections 2.1.3.2 and 2.1.4.2 give them.

Both functions raise `InvalidProof` (with the reason) or return None. Beyond the RFC's steps
they insist that every hash has 32 bytes, so an empty or truncated value never passes.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.transparency.merkle import EMPTY_ROOT, HASH_SIZE, hash_children


class InvalidProof(Exception):
    """A proof does not lead from what it claims to the root it claims."""


def verify_inclusion(leaf_index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that `leaf_hash` is leaf `leaf_index` of the tree of `tree_size` leaves whose MTH is `root`."""
    _check_hashes(leaf_hash, root, *proof)
    if leaf_index >= tree_size or leaf_index < 0:
        raise InvalidProof(f"leaf {leaf_index} is not in a tree of {tree_size}")
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise InvalidProof("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            fn, sn = _shift_while_even(fn, sn)
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the proof is shorter than the path to the root")
    if r != root:
        raise InvalidProof("the proof leads to another root")


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes, proof: Sequence[bytes]) -> None:
    """Check that the tree of `first` leaves with MTH `first_hash` is a prefix of the tree of `second`."""
    _check_hashes(first_hash, second_hash, *proof)
    if not 0 <= first <= second:
        raise InvalidProof(f"a tree of {first} cannot be a prefix of a tree of {second}")
    if first == second or first == 0:
        _check_trivial(first, first_hash, second_hash, proof)
        return
    if not proof:
        raise InvalidProof("the proof is empty")
    path = [first_hash, *proof] if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            fn, sn = _shift_while_even(fn, sn)
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the proof is shorter than the path to the root")
    if fr != first_hash:
        raise InvalidProof("the proof does not lead to the first root")
    if sr != second_hash:
        raise InvalidProof("the proof does not lead to the second root")


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    """Step b.ii: if LSB(fn) is not set, right-shift both until LSB(fn) is set or fn is 0."""
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def _check_trivial(first: int, first_hash: bytes, second_hash: bytes, proof: Sequence[bytes]) -> None:
    """Equal sizes need equal roots, size 0 the empty root; neither needs a proof."""
    if proof:
        raise InvalidProof("a proof between these sizes is empty")
    if first == 0 and first_hash != EMPTY_ROOT:
        raise InvalidProof("the root of the empty tree is the hash of nothing")
    if first != 0 and first_hash != second_hash:
        raise InvalidProof("two trees of the same size have different roots")


def _check_hashes(*hashes: bytes) -> None:
    if any(len(h) != HASH_SIZE for h in hashes):
        raise InvalidProof("every hash has 32 bytes")
