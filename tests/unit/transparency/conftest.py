"""Published test vectors and a tree of 70 leaves shared by the transparency tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.transparency.merkle import MerkleTree

VECTORS = Path(__file__).parents[2] / "fixtures" / "transparency" / "rfc6962_vectors.json"
MAX_SIZE = 70


@pytest.fixture(scope="session")
def vectors() -> dict:
    data = json.loads(VECTORS.read_text())
    data["leaf_inputs"] = [bytes.fromhex(leaf) for leaf in data["leaf_inputs"]]
    data["roots"] = [bytes.fromhex(root) for root in data["roots"]]
    for case in data["inclusion"] + data["consistency"]:
        case["proof"] = [bytes.fromhex(h) for h in case["proof"]]
    return data


@pytest.fixture(scope="session")
def leaf_inputs() -> list[bytes]:
    """Leaf data 0..69: distinct, and of varying length."""
    return [bytes([i]) * (i % 5) + i.to_bytes(2, "big") for i in range(MAX_SIZE)]


@pytest.fixture(scope="session")
def big_tree(leaf_inputs) -> MerkleTree:
    tree = MerkleTree()
    for data in leaf_inputs:
        tree.append_data(data)
    return tree
