"""From approval to appointment: public notice, objections, direct nomination (given / when / then)."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from shared.calendar import load_calendar
from shared.domain.workflow import (
    DEFAULT_CONFIG,
    Actor,
    CloseNotice,
    Conflict,
    DecideStage,
    FlagOverdue,
    Forbidden,
    Invalid,
    NotFound,
    Person,
    ProposeNomination,
    UpholdObjection,
    WithdrawNomination,
)
from tests.support.deadlines import working_days

SYSTEM = Actor(id="notice-timer", role="system")
ORG = Actor(id="o-1", role="org_reviewer", unit="org-dept", name="Wang Fang")
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def on_notice(story):
    """A nomination whose last step was approved: on public notice."""
    return story.submitted("org_department").decided("org_department", "secretary")


def proposal(**fields) -> ProposeNomination:
    values = {
        "nomination_id": "n-d",
        "cadre": Person("c-7", "Chen Jie", "county-3"),
        "target_position": {"title": "Director", "organization": "Development Zone"},
        "justification": "Deputy head who delivered the port project two years early.",
    }
    return ProposeNomination(**{**values, **fields})


class TestPublicNotice:
    def test_the_last_approval_opens_a_five_working_day_notice(self, on_notice):
        approved_at = on_notice.clock  # Friday 1 March 2024, 11:00 UTC

        assert on_notice.state.status == "on_notice"
        assert on_notice.state.notice_ends_at == working_days(approved_at, 5)
        assert on_notice.state.notice_ends_at.date().isoformat() == "2024-03-08"

    def test_the_notice_period_is_configuration(self, story_factory):
        config = replace(DEFAULT_CONFIG, notice_days=7)
        story = story_factory(config=config).submitted("org_department").decided("org_department", "secretary")

        assert story.state.notice_ends_at == working_days(story.clock, 7)

    def test_a_notice_over_national_day_2025_ends_after_the_holiday(self, story_factory):
        config = replace(DEFAULT_CONFIG, calendar=load_calendar(years=[2025]))
        story = story_factory(config=config, clock=datetime(2025, 9, 25, 9, tzinfo=BEIJING))
        story.submitted("org_department").decided("org_department", "secretary")

        # approved Thu 25 Sep: Fri 26, Sun 28 (make-up), Mon 29, Tue 30, [1-8 Oct off], Thu 9 Oct
        assert story.state.notice_ends_at == datetime(2025, 10, 10, tzinfo=BEIJING)

    def test_a_review_deadline_over_the_spring_festival_2026_moves_past_it(self, story_factory):
        config = replace(DEFAULT_CONFIG, calendar=load_calendar(years=[2026]))
        story = story_factory(config=config, clock=datetime(2026, 2, 12, 9, tzinfo=BEIJING)).submitted("unit")

        # Thu 12 Feb + 5: Fri 13, Sat 14 (make-up), [15-23 off], Tue 24, Wed 25, Thu 26
        assert story.state.active_step.due_at == datetime(2026, 2, 27, tzinfo=BEIJING)

    def test_nothing_waits_for_a_reviewer_and_nothing_can_be_flagged_overdue(self, on_notice):
        assert (on_notice.state.stage, on_notice.state.active_step) == (None, None)
        with pytest.raises(Conflict):
            on_notice.when(FlagOverdue(step=1), SYSTEM, at=on_notice.clock + timedelta(days=30))

    def test_the_cadre_can_no_longer_withdraw(self, on_notice):
        with pytest.raises(Conflict, match="public notice"):
            on_notice.when(WithdrawNomination("changed my mind"))


class TestCloseNotice:
    def test_a_clean_window_ends_in_the_appointment(self, on_notice):
        ends = on_notice.state.notice_ends_at

        decision = on_notice.when(CloseNotice(), SYSTEM, at=ends)

        assert decision.type == "Appointed"
        assert decision.payload == {
            "cadre": {"id": "c-1", "name": "Li Wei", "unit": "unit-a"},
            "target_position": {"title": "Deputy Director", "organization": "Municipal Transport Bureau"},
            "notice_ends_at": ends.isoformat(),
        }

    def test_the_appointment_approves_the_nomination(self, on_notice):
        ends = on_notice.state.notice_ends_at
        state = on_notice.given(CloseNotice(), SYSTEM, at=ends + timedelta(minutes=1)).state

        assert (state.status, state.is_terminal, state.appointed_at) == ("approved", True, ends + timedelta(minutes=1))

    def test_not_before_the_window_ends(self, on_notice):
        with pytest.raises(Conflict, match="runs until"):
            on_notice.when(CloseNotice(), SYSTEM, at=on_notice.state.notice_ends_at - timedelta(seconds=1))

    def test_an_open_objection_holds_the_appointment_past_the_window(self, on_notice):
        late = on_notice.state.notice_ends_at + timedelta(days=20)

        with pytest.raises(Conflict, match="case-9"):
            on_notice.when(CloseNotice(open_objections=("case-9",)), SYSTEM, at=late)

    def test_only_the_system_closes_a_notice(self, on_notice):
        with pytest.raises(Forbidden):
            on_notice.when(CloseNotice(), on_notice.reviewer("secretary"), at=on_notice.state.notice_ends_at)

    def test_a_nomination_in_review_has_no_notice_to_close(self, story):
        story.submitted("unit")
        with pytest.raises(Conflict, match="not on public notice"):
            story.when(CloseNotice(), SYSTEM, at=story.clock + timedelta(days=30))

    def test_an_appointed_nomination_accepts_nothing_more(self, on_notice):
        on_notice.given(CloseNotice(), SYSTEM, at=on_notice.state.notice_ends_at)
        with pytest.raises(Conflict, match="approved"):
            on_notice.when(CloseNotice(), SYSTEM)

    def test_unknown_nomination(self, story):
        with pytest.raises(NotFound):
            story.when(CloseNotice(), SYSTEM)

    def test_open_objections_must_be_case_ids(self, on_notice):
        with pytest.raises(Invalid):
            on_notice.when(CloseNotice(open_objections=["case-1"]), SYSTEM)  # type: ignore[arg-type]


class TestUpholdObjection:
    @pytest.mark.parametrize("result", ["substantiated", "partly"])
    def test_an_upheld_objection_rejects_the_nomination_with_the_case_as_reason(self, on_notice, result):
        decision = on_notice.when(UpholdObjection("case-3", result), SYSTEM)
        assert (decision.type, decision.payload) == ("ObjectionUpheld", {"case_id": "case-3", "result": result})

        state = on_notice.given(UpholdObjection("case-3", result), SYSTEM).state
        assert (state.status, state.objection_case, state.is_terminal) == ("rejected", "case-3", True)

    def test_also_after_the_window_while_the_objection_held_it(self, on_notice):
        late = on_notice.state.notice_ends_at + timedelta(days=9)
        assert on_notice.when(UpholdObjection("case-3", "substantiated"), SYSTEM, at=late).type == "ObjectionUpheld"

    def test_an_unsubstantiated_finding_does_not_reject(self, on_notice):
        with pytest.raises(Invalid, match="unsubstantiated"):
            on_notice.when(UpholdObjection("case-3", "unsubstantiated"), SYSTEM)

    def test_needs_a_case_id(self, on_notice):
        with pytest.raises(Invalid):
            on_notice.when(UpholdObjection(" ", "partly"), SYSTEM)

    def test_only_on_notice(self, story):
        story.submitted("unit")
        with pytest.raises(Conflict):
            story.when(UpholdObjection("case-3", "partly"), SYSTEM)

    def test_only_the_system(self, on_notice):
        with pytest.raises(Forbidden):
            on_notice.when(UpholdObjection("case-3", "partly"), ORG)


class TestProposeNomination:
    def test_an_org_reviewer_puts_a_cadre_forward_on_the_direct_route(self, story):
        now = story.clock

        decision = story.when(proposal(), ORG, at=now)

        assert decision.type == "NominationSubmitted"
        assert decision.payload == {
            "nomination_id": "n-d",
            "cadre": {"id": "c-7", "name": "Chen Jie", "unit": "county-3"},
            "channel": "direct",
            "target_position": {"title": "Director", "organization": "Development Zone"},
            "justification": "Deputy head who delivered the port project two years early.",
            "statement": "",
            "achievements": [],
            "commitment": "",
            "proposer": {"id": "o-1", "name": "Wang Fang"},
            "route": ["secretary"],
            "due_at": working_days(now, 5).isoformat(),
        }

    def test_the_direct_nomination_waits_for_the_secretary_then_goes_on_notice(self, story):
        story.given(proposal(), ORG)
        assert (story.state.status, story.state.stage, story.state.proposer) == ("in_review", "secretary", "o-1")
        assert story.state.cadre == Person("c-7", "Chen Jie", "county-3")
        assert story.state.contents()["justification"].startswith("Deputy head")

        story.cadre = Person("c-7", "Chen Jie", "county-3")
        story.decided("secretary")

        assert story.state.status == "on_notice"

    @pytest.mark.parametrize("role", ["cadre", "unit_reviewer", "secretary", "admin"])
    def test_only_the_organization_department_proposes(self, story, role):
        with pytest.raises(Forbidden, match="org_reviewer"):
            story.when(proposal(), Actor(id="x-1", role=role, unit="org-dept"))

    def test_an_org_reviewer_cannot_put_themself_forward(self, story):
        with pytest.raises(Forbidden, match="recusal"):
            story.when(proposal(cadre=Person("o-1", "Wang Fang", "org-dept")), ORG)

    def test_the_secretary_cannot_decide_their_own_direct_nomination(self, story):
        story.given(proposal(cadre=Person("s-1", "Sun Li", "committee")), ORG)
        with pytest.raises(Forbidden, match="recusal"):
            story.when(DecideStage("secretary", "approve"), Actor(id="s-1", role="secretary", unit="committee"))

    def test_a_cadre_cannot_submit_through_the_direct_route(self, story):
        with pytest.raises(Invalid, match="channel"):
            story.when(story.submission("direct"))

    @pytest.mark.parametrize(
        ("fields", "detail"),
        [
            ({"justification": "  "}, "justification"),
            ({"target_position": {"title": "Director"}}, "target_position.organization"),
            ({"cadre": Person("c-7", "", "county-3")}, "cadre.name"),
            ({"nomination_id": ""}, "nomination_id"),
        ],
    )
    def test_refuses_an_incomplete_proposal_naming_the_field(self, story, fields, detail):
        with pytest.raises(Invalid) as refused:
            story.when(proposal(**fields), ORG)
        assert detail in refused.value.details

    def test_an_existing_id_is_a_conflict(self, story):
        story.given(proposal(), ORG)
        with pytest.raises(Conflict):
            story.when(proposal(), ORG)
