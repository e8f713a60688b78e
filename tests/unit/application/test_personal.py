"""Personal texts sealed where decisions become events, opened (or redacted) in views, and the
erasure of a person: on the in-memory log with processes that share one key store."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from shared.application.erasure import Eraser, Erasures
from shared.application.errors import Erased
from shared.application.personal import (
    ERASED,
    NOMINATION_TEXTS,
    Opener,
    Sealer,
    case_subject_key_id,
    person_key_id,
)
from shared.domain.personal import is_sealed
from shared.domain.workflow.commands import DecideStage, WithdrawNomination
from shared.events.codec import decode
from shared.events.envelope import utcnow
from shared.keys import InMemoryKeyStore
from shared.readside.gate import Outcome
from tests.unit.application.conftest import cadre, of, submitted

EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events"
PAYLOAD = {
    "nomination_id": "n-1",
    "cadre": {"id": "c-1", "name": "Zhang Min", "unit": "county-7"},
    "statement": "Twelve years.",
    "achievements": [{"title": "Hub", "description": ""}],
    "commitment": "First class.",
    "proposer": {"id": "o-1", "name": "Wang Fang"},
}


class TestSealing:
    def test_every_personal_text_is_sealed_under_its_persons_key_and_the_rest_is_left_as_it_was(self) -> None:
        sealed = Sealer(InMemoryKeyStore()).nomination("NominationSubmitted", PAYLOAD, "n-1", "c-1").payload

        cadre_key, proposer_key = person_key_id("c-1"), person_key_id("o-1")
        assert [sealed["cadre"]["name"]["key"], sealed["statement"]["key"], sealed["commitment"]["key"]] == [
            cadre_key
        ] * 3
        assert sealed["achievements"][0]["title"]["key"] == cadre_key
        assert sealed["achievements"][0]["description"] == ""  # nothing to hide: stays empty
        assert sealed["proposer"] == {"id": "o-1", "name": sealed["proposer"]["name"]}
        assert sealed["proposer"]["name"]["key"] == proposer_key  # the proposer's own key
        assert (sealed["cadre"]["id"], sealed["cadre"]["unit"]) == ("c-1", "county-7")
        assert PAYLOAD["statement"] == "Twelve years."  # the decision itself is not changed
        assert b"Zhang Min" not in orjson.dumps(sealed) and b"Twelve" not in orjson.dumps(sealed)

    def test_a_value_recorded_sealed_is_copied_as_it_is(self) -> None:
        sealer = Sealer(InMemoryKeyStore())
        name = sealer.nomination("NominationSubmitted", PAYLOAD, "n-1", "c-1").payload["cadre"]["name"]
        appointed = {"cadre": {"id": "c-1", "name": name, "unit": "county-7"}, "notice_ends_at": "t"}

        assert sealer.nomination("Appointed", appointed, "n-1", "c-1").payload["cadre"]["name"] == name

    def test_nothing_about_an_erased_person_is_sealed_again(self) -> None:
        keys = InMemoryKeyStore()
        keys.destroy(person_key_id("c-1"))

        with pytest.raises(Erased):
            Sealer(keys).nomination("NominationRejected", {"stage": "unit", "step": 0, "comment": "no"}, "n-1", "c-1")

    def test_a_cases_texts_about_people_are_sealed_under_its_subject_key(self) -> None:
        clue = {"subject": {"name": "Wang Wu", "unit": "county-7", "position": "Chief"}, "description": "Never in."}

        sealed = Sealer(InMemoryKeyStore()).case("ClueReceived", clue, "case-1").payload

        assert sealed["subject"]["name"]["key"] == sealed["description"]["key"] == case_subject_key_id("case-1")
        assert (sealed["subject"]["unit"], sealed["subject"]["position"]) == ("county-7", "Chief")


class TestOpening:
    def test_a_sealed_text_opens_only_in_its_stream_and_field(self) -> None:
        keys = InMemoryKeyStore()
        statement = Sealer(keys).nomination("NominationSubmitted", PAYLOAD, "n-1", "c-1").payload["statement"]
        opener = Opener(keys, set())

        assert opener.reading("n-1").text(statement, "statement") == "Twelve years."
        moved = opener.reading("n-2")
        assert (moved.text(statement, "statement"), moved.redacted) == (None, True)
        assert opener.reading("n-1").text(statement, "commitment") is None

    def test_a_destroyed_key_redacts_and_a_clear_old_text_is_redacted_once_its_person_is_erased(self) -> None:
        keys = InMemoryKeyStore()
        name = Sealer(keys).nomination("NominationSubmitted", PAYLOAD, "n-1", "c-1").payload["cadre"]["name"]
        keys.destroy(person_key_id("c-1"))
        reading = Opener(keys, {person_key_id("c-1")}).reading("n-1", person_key_id("c-1"))

        assert reading.text(name, "name") is None
        assert reading.text("Zhang Min", "name") is None  # written before sealing, of the erased person
        assert (reading.text("", "comment"), reading.composed(name, "name"), reading.redacted) == ("", ERASED, True)
        assert Opener(keys, set()).reading("n-9", person_key_id("c-9")).text("Li Wei", "name") == "Li Wei"

    def test_a_clear_version_1_stream_upcasts_folds_and_shows_its_texts_until_its_person_is_erased(self) -> None:
        submitted_v1 = decode((EVENTS / "NominationSubmitted.v1.json").read_bytes())
        assert submitted_v1.schema_version == 2 and not is_sealed(submitted_v1.payload["statement"])
        paths = NOMINATION_TEXTS["NominationSubmitted"]
        owner = person_key_id(submitted_v1.payload["cadre"]["id"])

        shown = (
            Opener(InMemoryKeyStore(), set())
            .reading(submitted_v1.stream_id, owner)
            .payload(paths, submitted_v1.payload)
        )
        redacted = Opener(InMemoryKeyStore(), {owner}).reading(submitted_v1.stream_id, owner)

        assert shown == submitted_v1.payload
        assert redacted.payload(paths, submitted_v1.payload)["statement"] is None and redacted.redacted


class TestProjections:
    def test_the_book_and_its_snapshot_hold_only_ciphertext(self, process) -> None:
        who = cadre()
        nomination = submitted(process, who)
        process.execute(nomination.nomination_id, WithdrawNomination("moved to another post"), who)
        build = process.book.snapshot()
        records: list[bytes] = []
        state = json.dumps(build(records), default=repr).encode() + b"".join(records)

        assert nomination.nomination_id.encode() in state
        for text in (who.name, "Ten years of rural", "Led the county", "First-class", "moved to another"):
            assert text.encode() not in state
            assert text.encode() not in repr(process.book.get(nomination.nomination_id)).encode()


class TestErasure:
    def test_an_erasure_is_recorded_once_destroys_the_keys_and_every_process_folds_it(
        self, process_factory, keys
    ) -> None:
        one, two = process_factory(), process_factory()
        who = cadre()
        nomination = submitted(one, who)
        rejected = one.execute(
            nomination.nomination_id, DecideStage("unit", "reject", "not now"), of(nomination, "unit")
        )
        eraser = Eraser(one.nominations.people, utcnow, one.runtime.metrics)

        erasure = eraser.erase(who.id, ["case-1"], who)

        assert erasure.keys == (person_key_id(who.id), case_subject_key_id("case-1"))
        assert eraser.erase(who.id, [], who) == erasure  # a second erasure answers the first
        assert keys.get(person_key_id(who.id)) is None
        assert two.nominations.people.follower.catch_up(5)
        assert two.nominations.people.erasures.of(person_key_id(who.id)) == erasure
        assert two.opened(rejected, rejected.history[-1].comment, "comment") is None
        assert rejected.history[-1].decision == "reject"  # the trail stays

    def test_the_erasures_survive_a_snapshot(self) -> None:
        erasures, restored = Erasures(InMemoryKeyStore()), Erasures()
        event = decode((EVENTS / "PersonErased.v1.json").read_bytes())
        erasures.apply(event, Outcome.APPLIED)

        restored.restore(erasures.snapshot()([]), None)  # type: ignore[arg-type]

        assert restored.by_person == erasures.by_person
        assert case_subject_key_id("5b1e0c9a7d3f42e68a1b2c3d4e5f6a7b") in restored
        assert erasures.keys is not None and erasures.keys.get(event.payload["person_key"]) is None
