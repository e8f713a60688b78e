"""RecordFinding: the result, the outcome for a cadre, circulars and education assignments."""

import pytest

from shared.domain.supervision import AcceptCase, Conflict, Forbidden, Invalid, RecordFinding

from .conftest import officer


def finding(result="substantiated", outcome="warn", **fields):
    return RecordFinding(result=result, outcome=outcome, summary="never answered in March", **fields)


class TestFinding:
    def test_an_upheld_finding_about_a_cadre_records_the_outcome(self, story):
        story.received().accepted(cadre_id="c-9")

        decision = story.when(finding(), officer())

        assert decision.type == "FindingRecorded"
        assert decision.payload == {
            "result": "substantiated",
            "outcome": "warn",
            "summary": "never answered in March",
            "circular": None,
            "education": None,
            "cadre_id": "c-9",
            "kind": "cadre",
            "nomination_id": None,
        }

    @pytest.mark.parametrize("result", ["substantiated", "partly"])
    def test_an_upheld_finding_waits_for_rectification(self, story, result):
        story.received().accepted().found(result=result)

        case = story.state
        assert (case.status, case.finding.result, case.finding.found_by) == ("found", result, "o-1")
        assert case.is_open

    def test_an_unsubstantiated_finding_closes_the_case(self, story):
        story.received().accepted().found(result="unsubstantiated", outcome="none")

        assert story.state.status == "closed"
        assert story.state.closed_at == story.clock

    @pytest.mark.parametrize("result", ["substantiated", "partly", "unsubstantiated"])
    def test_an_objections_finding_closes_it_and_names_the_nomination(self, story, result):
        city = officer(unit="city")
        story.received("objection").given(AcceptCase(), city)

        decision = story.when(finding(result=result, outcome="none"), city)

        assert decision.payload["kind"] == "objection"
        assert decision.payload["nomination_id"] == "n-1"
        story.record(decision, city, story.clock)
        assert story.state.status == "closed"

    @pytest.mark.parametrize("outcome", ["adjust", "warn", "educate", "none"])
    def test_each_outcome_for_a_cadre(self, story, outcome):
        story.received().accepted()

        assert story.when(finding(outcome=outcome), officer()).payload["outcome"] == outcome

    def test_a_circular_and_an_education_assignment_go_out_with_the_finding(self, story):
        story.received().accepted()
        circular = {"units": ["unit-a", "unit-b", "unit-a"], "text": "  A warning to all cadres. "}
        education = {"units": ["unit-a", "unit-c"], "requirement": "a session on the new rules"}

        decision = story.when(finding(circular=circular, education=education), officer())

        assert decision.payload["circular"] == {"units": ["unit-a", "unit-b"], "text": "A warning to all cadres."}
        assert decision.payload["education"] == {
            "units": ["unit-a", "unit-c"],
            "requirement": "a session on the new rules",
        }
        story.record(decision, officer(), story.clock)
        assert story.state.finding.circular.units == ("unit-a", "unit-b")
        assert [(a.unit, a.is_done) for a in story.state.education] == [("unit-a", False), ("unit-c", False)]


class TestFindingRefusals:
    def test_a_received_case_must_be_accepted_first(self, story):
        story.received()

        with pytest.raises(Conflict, match="received"):
            story.when(finding(), officer())

    def test_a_finding_is_recorded_once(self, story):
        story.received().accepted().found()

        with pytest.raises(Conflict, match="found"):
            story.when(finding(), officer())

    def test_the_cadre_concerned_may_not_record_the_finding(self, story):
        story.received().accepted(cadre_id="o-7")

        with pytest.raises(Forbidden, match="recusal"):
            story.when(finding(), officer(id="o-7"))

    def test_an_officer_out_of_scope_may_not(self, story):
        story.received().accepted()

        with pytest.raises(Forbidden):
            story.when(finding(), officer(unit="unit-z"))

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (finding(result="maybe"), "result"),
            (finding(outcome="fire"), "outcome"),
            (RecordFinding(result="partly", summary=" "), "summary"),
            (finding(result="unsubstantiated", outcome="warn"), "outcome"),
            (finding(result="unsubstantiated", outcome="none", circular={"units": ["u"], "text": "t"}), "circular"),
            (
                finding(result="unsubstantiated", outcome="none", education={"units": ["u"], "requirement": "r"}),
                "education",
            ),
            (finding(circular={"units": [], "text": "t"}), "circular.units"),
            (finding(circular={"units": "unit-a", "text": "t"}), "circular.units"),
            (finding(circular={"units": ["unit-a"]}), "circular.text"),
            (finding(circular={"units": ["u"], "text": "t", "cc": "x"}), "circular"),
            (finding(circular=["unit-a"]), "circular"),
            (finding(education={"units": ["u" * 201], "requirement": "r"}), "education.units"),
            (finding(circular={"units": [f"u{i}" for i in range(51)], "text": "t"}), "circular.units"),
        ],
    )
    def test_refuses_malformed_findings_naming_the_field(self, story, command, field):
        story.received().accepted()

        with pytest.raises(Invalid) as refused:
            story.when(command, officer())
        assert field in refused.value.details

    def test_a_matter_has_no_outcome_for_a_person(self, story):
        story.received("matter").accepted(cadre_id=None)

        with pytest.raises(Invalid) as refused:
            story.when(finding(outcome="adjust"), officer())
        assert "outcome" in refused.value.details
