"""AcceptCase and DismissCase: the officer's triage of a received clue, in scope only."""

import pytest

from shared.domain.supervision import AcceptCase, Actor, Conflict, DismissCase, Forbidden, Invalid, NotFound

from .conftest import officer


class TestAccept:
    def test_accepting_starts_the_investigation_and_links_the_cadre(self, story):
        story.received()

        decision = story.when(AcceptCase(cadre_id="c-9"), officer())

        assert (decision.type, decision.payload) == ("CaseAccepted", {"cadre_id": "c-9"})
        story.record(decision, officer(), story.clock)
        assert (story.state.status, story.state.cadre_id) == ("investigating", "c-9")

    def test_a_cadre_case_may_be_accepted_before_the_person_is_known(self, story):
        story.received()

        assert story.when(AcceptCase(), officer()).payload == {"cadre_id": None}

    def test_a_city_officer_may_accept_any_units_case(self, story):
        story.received()

        assert story.when(AcceptCase(), officer(unit="city")).type == "CaseAccepted"

    def test_refuses_to_link_a_cadre_to_a_matter(self, story):
        story.received("matter")

        with pytest.raises(Invalid) as refused:
            story.when(AcceptCase(cadre_id="c-9"), officer())
        assert "cadre_id" in refused.value.details

    def test_an_officer_of_another_unit_is_out_of_scope(self, story):
        story.received()

        with pytest.raises(Forbidden, match="scope"):
            story.when(AcceptCase(), officer(unit="unit-b"))

    @pytest.mark.parametrize("role", ["unit_reviewer", "org_reviewer", "custodian", "public", "reporter"])
    def test_only_supervision_officers_triage(self, story, role):
        story.received()

        with pytest.raises(Forbidden):
            story.when(AcceptCase(), Actor(id="x", role=role, unit="unit-a"))

    def test_an_officer_may_not_link_a_case_to_themself(self, story):
        story.received()

        with pytest.raises(Forbidden, match="recusal"):
            story.when(AcceptCase(cadre_id="o-1"), officer(id="o-1"))

    def test_accepts_only_once(self, story):
        story.received().accepted()

        with pytest.raises(Conflict, match="investigating"):
            story.when(AcceptCase(), officer())

    def test_an_unknown_case_is_not_found(self, story):
        with pytest.raises(NotFound):
            story.when(AcceptCase(), officer())

    def test_a_blank_cadre_id_is_invalid(self, story):
        story.received()

        with pytest.raises(Invalid):
            story.when(AcceptCase(cadre_id=" "), officer())


class TestDismiss:
    def test_dismissing_ends_the_case_with_the_reason(self, story):
        story.received("objection")

        decision = story.when(DismissCase(reason="not about the notice"), officer(unit="city"))

        assert decision.type == "CaseDismissed"
        assert decision.payload == {"reason": "not about the notice", "kind": "objection", "nomination_id": "n-1"}
        story.record(decision, officer(unit="city"), story.clock)
        assert (story.state.status, story.state.dismissal_reason) == ("dismissed", "not about the notice")
        assert story.state.is_terminal

    def test_a_case_under_investigation_is_not_dismissed_but_found_unsubstantiated(self, story):
        story.received().accepted()

        with pytest.raises(Conflict):
            story.when(DismissCase(reason="x"), officer())

    def test_a_dismissed_case_accepts_nothing_more(self, story):
        story.received().given(DismissCase(reason="spam"), officer())

        with pytest.raises(Conflict, match="dismissed"):
            story.when(AcceptCase(), officer())

    def test_a_reason_is_required(self, story):
        story.received()

        with pytest.raises(Invalid) as refused:
            story.when(DismissCase(reason=""), officer())
        assert "reason" in refused.value.details

    def test_an_objection_is_dismissed_by_city_officers_only(self, story):
        story.received("objection")

        with pytest.raises(Forbidden):
            story.when(DismissCase(reason="x"), officer(unit="unit-a"))
