"""The inbox in Chinese: every sentence the notification service writes is read back and told in
the page's language. The sentences come from the notification service's own functions, so a new
or changed sentence there fails here instead of showing English to a Chinese reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notification.case_recipients import case_notices
from services.notification.recipients import composed, notices
from services.web.inbox_text import sentence
from shared.domain.supervision import FlagRectificationOverdue, MessageOfficers
from shared.domain.workflow.state import Nomination, Person, Step, encode_content
from tests.unit.domain.supervision.conftest import REPORTER, SYSTEM, Story

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ROUTE = ("unit", "org_department", "secretary")


def nomination(step: int = 0, status: str = "in_review", **changes) -> Nomination:
    history = tuple(Step(i, ROUTE[i], T0, T0 + timedelta(days=5)) for i in range(step + 1))
    content = {
        "target_position": {"title": "副县长", "organization": "淅川县"},
        "statement": "s",
        "achievements": [],
        "commitment": "c",
    }
    fields = dict(
        nomination_id="n-1",
        version=1,
        cadre=Person("c-1", "张敏", "county-7"),
        channel="unit",
        content=encode_content(content),
        status=status,
        route=ROUTE,
        step=step,
        history=history,
        submitted_at=T0,
        updated_at=T0,
    )
    return Nomination(**{**fields, **changes})


NOTICE_ENDS = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
NOMINATION_EVENTS = [
    ("NominationSubmitted", {}, None, nomination()),
    ("NominationSubmitted", {}, None, nomination(proposer="o-1", route=("secretary",))),
    ("StageApproved", {"stage": "unit"}, nomination(), nomination(step=1)),
    ("NominationReturned", {"comment": "请补充业绩"}, nomination(), nomination(status="returned")),
    ("NominationRevised", {}, nomination(status="returned"), nomination()),
    ("NominationApproved", {}, nomination(step=2), nomination(step=2, status="on_notice", notice_ends_at=NOTICE_ENDS)),
    ("NominationApproved", {}, nomination(step=2), nomination(step=2, status="approved")),
    ("NominationRejected", {"comment": "不符合"}, nomination(), nomination(status="rejected")),
    ("NominationWithdrawn", {"reason": "x"}, nomination(step=1), nomination(step=1, status="withdrawn")),
    ("StageOverdue", {"stage": "unit"}, nomination(), nomination()),
    ("Appointed", {}, nomination(status="on_notice"), nomination(status="approved", appointed_at=T0)),
    (
        "ObjectionUpheld",
        {"case_id": "k-7", "result": "partly"},
        nomination(status="on_notice"),
        nomination(status="rejected", objection_case="k-7"),
    ),
]


def case_stories():
    """Each case event that tells somebody, as a story whose last fact is that event."""
    finding = {"circular": {"units": ["unit-b"], "text": "按时接听电话"}, "education": None}
    educated = {"education": {"units": ["unit-c"], "requirement": "一次专题学习"}}
    overdue = Story().rectifying()
    overdue.given(FlagRectificationOverdue(round=1), SYSTEM, at=overdue.state.current_round.due_at)
    return [
        Story().received(),
        Story().received().given(MessageOfficers(text="补充"), REPORTER),
        Story().received().accepted(cadre_id="c-9").found(**finding),
        Story().received().accepted(cadre_id="c-9").found(outcome="educate", **educated),
        Story().received().accepted(cadre_id="c-9").found(result="substantiated", outcome="none"),
        Story().received().accepted().found().ordered(),
        Story().rectifying().reported(),
        Story().rectifying().reported().evaluated(False),
        overdue,
    ]


def told_about_nominations():
    for event_type, payload, before, after in NOMINATION_EVENTS:
        for notice in notices(event_type, payload, before, after):
            yield event_type, composed(notice.message, lambda text: text.value or "")


def told_about_cases():
    for story in case_stories():
        fact = story.facts[-1]
        for notice in case_notices(fact.type, dict(fact.payload), story.state, "city"):
            yield fact.type, notice.message


EVERY_SENTENCE = [*told_about_nominations(), *told_about_cases()]


@pytest.fixture
def chinese(app):
    with app.test_request_context("/", headers={"Cookie": "lang=zh"}):
        yield


@pytest.mark.parametrize(("event_type", "message"), EVERY_SENTENCE, ids=[m[:40] for _, m in EVERY_SENTENCE])
def test_every_sentence_of_the_notification_service_is_told_in_chinese(chinese, event_type, message) -> None:
    told = sentence(event_type, message, {"never-available": "平时不吭声、有事找不到"})
    assert told != message, "a sentence the web does not know: add its shape to services/web/inbox_text.py"
    assert not any(word in told for word in (" the ", " stage", " nomination ", " case ", "Your ")), told


def test_the_parts_keep_their_values_and_api_words_are_translated(chinese) -> None:
    message = "Your nomination for 副县长 passed the unit stage; it now waits at the organization department stage."
    assert (
        sentence("StageApproved", message) == "您申请“副县长”岗位的自荐已通过单位党组织环节，现在组织部环节等待审核。"
    )
    returned = "Your nomination for 副县长 was returned for revision: 请补充：业绩 (2024)."
    assert sentence("NominationReturned", returned).endswith("被退回修改：请补充：业绩 (2024).")


def test_a_name_or_comment_of_an_erased_person_is_told_as_erased(chinese) -> None:
    told = sentence("NominationSubmitted", "New nomination of [erased] for 副县长 in your queue.")
    assert "［已删除］" in told and "[erased]" not in told


def test_an_unknown_sentence_is_shown_as_the_service_wrote_it(chinese) -> None:
    assert sentence("SomethingNew", "Something happened.") == "Something happened."
    assert sentence("StageApproved", "A sentence of another shape.") == "A sentence of another shape."


def test_a_category_that_only_repeats_the_kind_is_left_out(chinese) -> None:
    objection = "New objection clue (notice-objection) in your scope: case k-1."
    told = sentence("ClueReceived", objection, {"notice-objection": "对公示对象的异议"})
    assert told == "您的辖区收到新线索（对公示对象的异议）：案件 k-1。"
