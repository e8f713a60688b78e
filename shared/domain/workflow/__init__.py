"""The pure workflow domain of cadreflow: routes, decide(command, state) -> event, evolve, fold.

Imports only the Python standard library and itself. See `decider` for the rules and their
check order, `events` for the event types and payloads, `routes` for the configuration.
"""

from shared.domain.workflow.commands import (
    REVISABLE_FIELDS,
    DecideStage,
    FlagOverdue,
    ReviseNomination,
    SubmitNomination,
    WithdrawNomination,
)
from shared.domain.workflow.decider import Decision, decide
from shared.domain.workflow.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.domain.workflow.events import (
    EVENT_TYPES,
    NOMINATION_APPROVED,
    NOMINATION_REJECTED,
    NOMINATION_RETURNED,
    NOMINATION_REVISED,
    NOMINATION_SUBMITTED,
    NOMINATION_WITHDRAWN,
    STAGE_APPROVED,
    STAGE_OVERDUE,
)
from shared.domain.workflow.evolution import Fact, FactActor, evolve, fold
from shared.domain.workflow.queue import queue_order, waiting_for
from shared.domain.workflow.routes import CHANNELS, DEFAULT_CONFIG, ESCALATION, STAGE_ROLES, STAGES, WorkflowConfig
from shared.domain.workflow.state import (
    APPROVE,
    APPROVED,
    CADRE_ROLE,
    DECISIONS,
    IN_REVIEW,
    REJECT,
    REJECTED,
    RETURN,
    RETURNED,
    STATUSES,
    SYSTEM_ROLE,
    TERMINAL_STATUSES,
    WITHDRAWN,
    Actor,
    Nomination,
    Person,
    Step,
)

__all__ = [
    "APPROVE",
    "APPROVED",
    "CADRE_ROLE",
    "CHANNELS",
    "DECISIONS",
    "DEFAULT_CONFIG",
    "ESCALATION",
    "EVENT_TYPES",
    "IN_REVIEW",
    "NOMINATION_APPROVED",
    "NOMINATION_REJECTED",
    "NOMINATION_RETURNED",
    "NOMINATION_REVISED",
    "NOMINATION_SUBMITTED",
    "NOMINATION_WITHDRAWN",
    "REJECT",
    "REJECTED",
    "RETURN",
    "RETURNED",
    "REVISABLE_FIELDS",
    "STAGES",
    "STAGE_APPROVED",
    "STAGE_OVERDUE",
    "STAGE_ROLES",
    "STATUSES",
    "SYSTEM_ROLE",
    "TERMINAL_STATUSES",
    "WITHDRAWN",
    "Actor",
    "Conflict",
    "DecideStage",
    "Decision",
    "DomainError",
    "Fact",
    "FactActor",
    "FlagOverdue",
    "Forbidden",
    "Invalid",
    "Nomination",
    "NotFound",
    "Person",
    "ReviseNomination",
    "Step",
    "SubmitNomination",
    "WithdrawNomination",
    "WorkflowConfig",
    "decide",
    "evolve",
    "fold",
    "queue_order",
    "waiting_for",
]
