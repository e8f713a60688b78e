"""Views answered without a marshmallow pass must hold exactly their schema's fields, and dump
to the same values the schema would give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from flask import Flask

from shared.application.personal import Opener
from shared.domain.workflow.state import Nomination, Person, Step
from shared.keys import InMemoryKeyStore
from shared.web.views import NominationResponseSchema, nomination_view

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CONTENT = (
    b'{"target_position":{"title":"Deputy director","organization":"Bureau"},"statement":"s",'
    b'"achievements":[{"title":"t","description":"d"}],"commitment":"c"}'
)


def test_the_nomination_view_is_in_its_schema_shape() -> None:
    history = (Step(0, "unit", T0, T0 + timedelta(days=5), "approve", "ur-1", "ok", T0), Step(1, "secretary", T0, T0))
    nomination = Nomination(
        "n1", 2, Person("c1", "Cadre", "u1"), "unit", CONTENT, "in_review", ("unit", "secretary"), 1, history, T0, T0
    )
    app = Flask(__name__)
    app.extensions["people"] = SimpleNamespace(opener=Opener(InMemoryKeyStore(), ()))  # clear texts, nobody erased
    with app.app_context():
        view = nomination_view(nomination)
    assert set(view) == set(NominationResponseSchema().fields)
    assert NominationResponseSchema().dump(view) == view
