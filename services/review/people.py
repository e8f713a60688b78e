"""Erasure of a person (admin): their personal texts shredded, the decision trail kept.

On the review service because it already folds both halves of what a person holds: the
nominations (the book) and the supervision cases linked to a cadre (`CaseLinks`), so it can
check that nothing of theirs is under way and name every key to destroy without another fold.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields

from shared.application.erasure import Eraser, Erasure, Holdings
from shared.application.freshness import catch_up
from shared.application.personal import person_key_id
from shared.readside.follower import Follower
from shared.web.auth import principal, require_role
from shared.web.errors import not_found
from shared.web.hygiene import request_id
from shared.web.parsing import Blueprint
from shared.web.views import ErrorResponseSchema

blp = Blueprint("people", __name__, url_prefix="/api/v1/people", description="People: erasure of personal data (admin)")


class ErasureResponseSchema(Schema):
    """A person's erasure as recorded in `cadreflow.people` (no personal data)."""

    person_id = fields.String()
    person_key = fields.String(metadata={"description": "the key id of the person's texts (a hash of the id)"})
    keys = fields.List(fields.String(), metadata={"description": "the key ids destroyed"})
    erased_at = fields.String()
    erased_by = fields.String()
    nominations = fields.List(fields.String(), metadata={"description": "their nominations, now shown redacted"})
    cases = fields.List(fields.String(), metadata={"description": "cases linked to them, now shown redacted"})


def _view(person_id: str, erasure: Erasure, holdings: Holdings) -> dict:
    return {
        "person_id": person_id,
        "person_key": erasure.person_key,
        "keys": list(erasure.keys),
        "erased_at": erasure.at.isoformat(),
        "erased_by": erasure.by,
        "nominations": list(holdings.nominations),
        "cases": list(holdings.cases),
    }


def _holdings(person_id: str) -> Holdings:
    """What the log holds of the person, once this process has caught up with it."""
    extensions = current_app.extensions
    followers: list[Follower] = [extensions["follower"], extensions["case_follower"]]
    for follower in followers:
        catch_up(follower, "to see what the person holds")
    with followers[0].changed, followers[1].changed:  # a consistent view of both folds
        return Holdings.of(person_id, extensions["book"], extensions["case_links"])


@blp.route("/<person_id>/erasure")
class PersonErasure(MethodView):
    @blp.response(200, ErasureResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, person_id: str):
        """Erase a person (admin; PIPL, GDPR): destroy their key and the subject keys of the cases
        linked to them, recorded as `PersonErased` (who, when, the key ids). Their nominations and
        cases keep their whole decision trail; every view shows their personal texts as null with
        `redacted: true`; `/verify`, the transparency log and `cadreflow-audit` still verify (the
        hashes are over the ciphertext). Idempotent: erasing again answers the first erasure.
        409 `erasure_blocked` while a nomination of theirs or a case linked to them is open."""
        who = principal()
        require_role(who, "admin")
        holdings = _holdings(person_id)
        eraser: Eraser = current_app.extensions["eraser"]
        if eraser.people.erasures.of(person_key_id(person_id)) is None:
            refusal = holdings.refusal()
            if refusal is not None:
                raise refusal
        erasure = eraser.erase(person_id, holdings.cases, who, request_id())
        return _view(person_id, erasure, holdings)

    @blp.response(200, ErasureResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, person_id: str):
        """The person's erasure (admin); 404 if they were not erased."""
        require_role(principal(), "admin")
        eraser: Eraser = current_app.extensions["eraser"]
        catch_up(eraser.people.follower, "to look for the erasure")
        erasure = eraser.people.erasures.of(person_key_id(person_id))
        if erasure is None:
            raise not_found("erasure of this person")
        return _view(person_id, erasure, _holdings(person_id))
