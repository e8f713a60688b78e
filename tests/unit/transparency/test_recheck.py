"""Trees restored from a snapshot, compared with the log read again: the first record that differs
is named by its leaf, and the roots restored and signed must come out of the log alone."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.transparency.forest import Forest, TreeState
from shared.transparency.heads import HeadSigner
from shared.transparency.leaves import log_id
from shared.transparency.recheck import Recheck

TOPIC = "cadreflow.nominations"
LOG = log_id(TOPIC, 0)
OTHER = log_id(TOPIC, 1)
SIGNER = HeadSigner(Ed25519PrivateKey.generate())
RECORDS = [(offset, f"event {offset}") for offset in range(1, 60, 3)]  # 20 records, offsets with gaps


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def forest_of(records: list[tuple[int, str]]) -> Forest:
    forest = Forest()
    forest.ensure(TOPIC, 1)  # an empty partition: nothing to compare
    for offset, value in records:
        forest.add(TOPIC, 0, offset, digest(value))
    return forest


def restored(size: int = 12, then: int = 20) -> Forest:
    """A forest restored from a snapshot of the first `size` records, then grown to `then`."""
    forest = Forest()
    forest.restore(forest_of(RECORDS[:size]).export({LOG: size, OTHER: 0}))
    for offset, value in RECORDS[size:then]:
        forest.add(TOPIC, 0, offset, digest(value))
    return forest


def recheck(forest: Forest, log: list[tuple[int, str]], size: int = 12, head_size: int | None = 16) -> Recheck:
    """Tell a re-check of `forest` (restored at `size`, the latest head over `head_size`) every record of `log`."""
    latest = None if head_size is None else SIGNER.sign(forest_of(RECORDS[:head_size]).tree_heads(), timestamp=7)
    checking = Recheck(forest, {LOG: size, OTHER: 0}, latest)
    for offset, value in log:
        checking.add(TOPIC, 0, offset, digest(value))
    return checking


def forged_at(offset: int) -> list[tuple[int, str]]:
    return [(o, "forged" if o == offset else v) for o, v in RECORDS]


class TestAnUnchangedLog:
    def test_matches_and_is_done_at_the_latest_heads_size(self) -> None:
        checking = recheck(restored(), RECORDS[:16])
        assert checking.done and checking.finish() == []

    def test_is_done_at_the_restored_size_without_a_head(self) -> None:
        checking = recheck(restored(), RECORDS[:12], head_size=None)
        assert checking.done and checking.finish() == []

    def test_a_record_told_again_is_skipped(self) -> None:
        checking = recheck(restored(), [*RECORDS[:5], *RECORDS[3:16]])
        assert checking.done and checking.finish() == []


class TestAChangedLog:
    def test_a_rewritten_record_is_named_by_its_leaf_against_the_head_over_it(self) -> None:
        checking = recheck(restored(), forged_at(13))  # leaf 4
        assert checking.done
        (divergence,) = checking.finish()
        assert (divergence.log_id, divergence.first_leaf, divergence.end_leaf) == (LOG, 4, 5)
        assert divergence.head is not None and "offset 13" in divergence.reason
        assert "the changed record is leaf 4" in divergence.describe()

    def test_a_rewritten_record_no_head_covers_diverges_without_one(self) -> None:
        (divergence,) = recheck(restored(), forged_at(13), head_size=4).finish()
        assert divergence.head is None and divergence.first_leaf == 4
        assert "no head signed over it yet" in divergence.describe()

    def test_a_deleted_record_shifts_the_next_into_its_leaf(self) -> None:
        (divergence,) = recheck(restored(), [r for r in RECORDS if r[0] != 13]).finish()
        assert divergence.first_leaf == 4 and "offset 16" in divergence.reason

    def test_a_log_cut_short_misses_the_records_after_it(self) -> None:
        checking = recheck(restored(), RECORDS[:10])
        assert not checking.done
        (divergence,) = checking.finish()
        assert (divergence.first_leaf, divergence.end_leaf) == (10, 10) and "10 records where 16" in divergence.reason
        assert "records from leaf 10 on are missing" in divergence.describe()

    def test_a_change_after_the_sizes_compared_is_not_read(self) -> None:
        assert recheck(restored(), forged_at(52)).finish() == []  # leaf 17: the follower folded it anew


class TestRoots:
    def test_a_restored_tree_whose_hashes_are_not_its_leaves_diverges(self) -> None:
        honest = forest_of(RECORDS[:12]).export({LOG: 12})[0]
        levels = [*honest.levels[:-1], b"\x00" * 32]  # the top of the tree of 8: not its leaves' hash
        forest = Forest()
        forest.restore([TreeState(LOG, honest.offsets, levels)])
        (divergence,) = recheck(forest, RECORDS, head_size=None).finish()
        assert (divergence.first_leaf, divergence.end_leaf) == (0, 12) and "snapshot's fault" in divergence.reason

    def test_a_head_the_log_does_not_give_diverges(self) -> None:
        latest = SIGNER.sign(forest_of(forged_at(40)).tree_heads(), timestamp=7)  # over leaf 13, another record
        checking = Recheck(restored(size=12, then=20), {LOG: 12}, latest)
        for offset, value in RECORDS:
            checking.add(TOPIC, 0, offset, digest(value))
        (divergence,) = checking.finish()
        assert divergence.head == latest and (divergence.first_leaf, divergence.end_leaf) == (0, 20)
        assert "do not give the root the head signed" in divergence.reason
