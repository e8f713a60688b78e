"""The pure supervision domain: clues about "lying-flat" cadres, pain points and objections,
followed through a closed loop of rectification. Standard library only.

The loop (statuses of a case)::

    received --accept--> investigating --finding--> found --order--> rectifying --report--> evaluating
       |                      |                                        ^                      |
       +--dismiss--> dismissed +--finding unsubstantiated--> closed     +--ineffective---------+
                                                                          (next round, escalated
                                        closed <--effective---------------  unit -> city)

An objection's finding closes it whatever the result. Outcomes for a cadre with an upheld
finding: adjust | warn | educate | none ("adjust one, warn a batch, educate a piece"); a finding
may send a circular (通报) to the cadres of named units and assign education to units, each
tracked until the unit reports it done. Officers and the reporter exchange messages (the
reporter reads them with the receipt; nothing is pushed). A custodian's every access to a
named reporter's identity is an event. An overdue round of rectification is flagged once.

Event contract: topic `cadreflow.cases`, key and stream id = case id (a unit's commitment:
`commitment:<unit>`); event types and payloads in `events`. Commands in `commands`; the rules
and their check order in `decider`; the state in `state`; the fold in `evolution`; categories
and limits (configuration data) in `categories` and `config`.

Deadlines: `decide(..., deadline=f)` takes `f(start, days) -> due time`, the working-day
calendar function bound by the application, so this package does not depend on how days count.
"""

from shared.domain.facts import Fact, FactActor
from shared.domain.supervision import events
from shared.domain.supervision.categories import CADRE, DEFAULT_CATEGORIES, KINDS, MATTER, OBJECTION, Category
from shared.domain.supervision.commands import (
    AcceptCase,
    AccessIdentity,
    CompleteEducation,
    DismissCase,
    EvaluateRectification,
    FlagRectificationOverdue,
    MessageOfficers,
    MessageReporter,
    OrderRectification,
    PublishCommitment,
    ReceiveClue,
    RecordFinding,
    ReportRectification,
)
from shared.domain.supervision.commitments import decide_commitment, evolve_commitment
from shared.domain.supervision.config import DEFAULT_CONFIG, TEXT_LIMITS, Deadline, SupervisionConfig
from shared.domain.supervision.decider import Decision, decide
from shared.domain.supervision.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.domain.supervision.evolution import evolve, fold
from shared.domain.supervision.state import (
    CLOSED,
    DISMISSED,
    EVALUATING,
    FOUND,
    INVESTIGATING,
    OUTCOMES,
    RECEIVED,
    RECTIFYING,
    RESULTS,
    STATUSES,
    TERMINAL_STATUSES,
    Actor,
    Case,
    Commitment,
)

__all__ = [
    "CADRE",
    "CLOSED",
    "DEFAULT_CATEGORIES",
    "DEFAULT_CONFIG",
    "DISMISSED",
    "EVALUATING",
    "FOUND",
    "INVESTIGATING",
    "KINDS",
    "MATTER",
    "OBJECTION",
    "OUTCOMES",
    "RECEIVED",
    "RECTIFYING",
    "RESULTS",
    "STATUSES",
    "TERMINAL_STATUSES",
    "TEXT_LIMITS",
    "AcceptCase",
    "AccessIdentity",
    "Actor",
    "Case",
    "Category",
    "Commitment",
    "CompleteEducation",
    "Conflict",
    "Deadline",
    "Decision",
    "DismissCase",
    "DomainError",
    "EvaluateRectification",
    "Fact",
    "FactActor",
    "FlagRectificationOverdue",
    "Forbidden",
    "Invalid",
    "MessageOfficers",
    "MessageReporter",
    "NotFound",
    "OrderRectification",
    "PublishCommitment",
    "ReceiveClue",
    "RecordFinding",
    "ReportRectification",
    "SupervisionConfig",
    "decide",
    "decide_commitment",
    "events",
    "evolve",
    "evolve_commitment",
    "fold",
]
