"""The transparency log over HTTP: signed heads, inclusion and consistency proofs, the public key.

Public, like a Certificate Transparency log: the answers hold sizes, hashes, times and
signatures, nothing personal (a leaf is a hash over a record's place and its bytes' digest,
and every record has a random event id and a timestamp, so no one can guess one to test it),
and their worth is that anyone can fetch and keep them without asking the operator.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from shared.application.transparency import Transparency
from shared.transparency.ledger import LogDiverged, NotCaughtUp
from shared.transparency.merkle import EMPTY_ROOT
from shared.web.errors import ApiError, not_found
from shared.web.openapi import ErrorResponseSchema
from shared.web.parsing import Blueprint

blp = Blueprint(
    "transparency",
    __name__,
    url_prefix="/api/v1/transparency",
    description="Signed tree heads and Merkle proofs over every record of the log (RFC 9162 style); public",
)
SIZE = fields.Integer(required=True, validate=validate.Range(min=0))


class TreeHeadSchema(Schema):
    log_id = fields.String(metadata={"description": "<topic>/<partition>: one tree per partition"})
    tree_size = fields.Integer()
    root_hash = fields.String(metadata={"description": "hex MTH of the partition's first tree_size records"})


class SignedHeadSchema(Schema):
    version = fields.Integer()
    timestamp = fields.Integer(metadata={"description": "ms since the epoch"})
    key_id = fields.String(metadata={"description": "hex SHA-256 of the raw Ed25519 public key"})
    tree_size = fields.Integer(metadata={"description": "the records of all trees together"})
    trees = fields.List(fields.Nested(TreeHeadSchema))
    signature = fields.String(metadata={"description": "hex Ed25519 signature of the canonical encoding"})


class PublicKeySchema(Schema):
    algorithm = fields.String()
    key_id = fields.String()
    public_key_pem = fields.String()


class InclusionQuerySchema(Schema):
    log_id = fields.String(required=True)
    offset = fields.Integer(required=True, validate=validate.Range(min=0))
    tree_size = SIZE


class InclusionProofSchema(Schema):
    log_id = fields.String()
    offset = fields.Integer()
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String()
    root_hash = fields.String()
    proof = fields.List(fields.String(), metadata={"description": "hex hashes, leaf to root (RFC 9162 2.1.3)"})


class ConsistencyQuerySchema(Schema):
    log_id = fields.String(required=True)
    first = SIZE
    second = SIZE


class ConsistencyProofSchema(Schema):
    log_id = fields.String()
    first = fields.Integer()
    second = fields.Integer()
    first_root = fields.String()
    second_root = fields.String()
    proof = fields.List(fields.String(), metadata={"description": "hex hashes (RFC 9162 2.1.4)"})


def _transparency() -> Transparency:
    return current_app.extensions["transparency"]


@blp.route("/key")
class Key(MethodView):
    @blp.response(200, PublicKeySchema)
    def get(self):
        """The Ed25519 public key that signs the heads."""
        ledger = _transparency().ledger
        return {"algorithm": "Ed25519", "key_id": ledger.signer.key_id.hex(), "public_key_pem": ledger.public_key_pem}


@blp.route("/heads/latest")
class LatestHead(MethodView):
    @blp.response(200, SignedHeadSchema)
    @blp.alt_response(503, schema=ErrorResponseSchema)
    def get(self):
        """A head over the log as it is now, signed on demand if it grew since the last one."""
        try:
            return _transparency().ledger.issue().to_json()
        except NotCaughtUp as error:
            raise ApiError(503, "unavailable", str(error)) from None
        except LogDiverged as error:
            raise ApiError(503, "log_diverged", "the log contradicts an earlier signed head", str(error)) from None


@blp.route("/heads/<int:tree_size>")
class HeadAtSize(MethodView):
    @blp.response(200, SignedHeadSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, tree_size: int):
        """The first head signed when the trees held `tree_size` records together."""
        head = _transparency().ledger.archive.at_size(tree_size)
        if head is None:
            raise not_found(f"signed head of size {tree_size}")
        return head.to_json()


@blp.route("/inclusion")
class Inclusion(MethodView):
    @blp.arguments(InclusionQuerySchema, location="query")
    @blp.response(200, InclusionProofSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, query: dict):
        """The proof that the record at `offset` of `log_id` is in that tree at `tree_size`."""
        ledger = _transparency().ledger
        tree = _tree(query["log_id"], query["tree_size"])
        leaf = ledger.forest.locate(query["log_id"], query["offset"])
        if leaf is None or leaf >= query["tree_size"]:
            raise not_found(f"record at offset {query['offset']} within the first {query['tree_size']}")
        return {
            **query,
            "leaf_index": leaf,
            "leaf_hash": tree.leaf_hash(leaf).hex(),
            "root_hash": tree.root(query["tree_size"]).hex(),
            "proof": [h.hex() for h in tree.inclusion_proof(leaf, query["tree_size"])],
        }


@blp.route("/consistency")
class Consistency(MethodView):
    @blp.arguments(ConsistencyQuerySchema, location="query")
    @blp.response(200, ConsistencyProofSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, query: dict):
        """The proof that the tree of `log_id` at `first` records is a prefix of the tree at `second`."""
        if query["first"] > query["second"]:
            raise ApiError(422, "invalid", "first must not exceed second")
        tree = _tree(query["log_id"], query["second"])
        first_root = tree.root(query["first"]) if query["first"] else EMPTY_ROOT
        proof = tree.consistency_proof(query["first"], query["second"])
        return {
            **query,
            "first_root": first_root.hex(),
            "second_root": tree.root(query["second"]).hex(),
            "proof": [h.hex() for h in proof],
        }


def _tree(name: str, size: int) -> Any:
    tree = _transparency().ledger.forest.tree(name)
    if tree is None or size > tree.size:
        raise not_found(f"tree {name!r} of {size} records")
    return tree
