"""The names of the events the workflow emits, one stream per nomination, and what each means.

Payloads are JSON-ready: datetimes are ISO-8601 strings with a timezone, sequences are lists.
Every command yields exactly one of these events.
"""

NOMINATION_SUBMITTED = "NominationSubmitted"
"""A cadre nominated themself; the first step of the route opened at the event time.
Payload: nomination_id, cadre {id, name, unit}, channel, target_position {title, organization},
statement, achievements [{title, description}], commitment, route [stage, ...], due_at."""

NOMINATION_REVISED = "NominationRevised"
"""The cadre revised a returned nomination; the same step re-opened at the event time.
Payload: changes {only the revised fields}, step, due_at."""

NOMINATION_WITHDRAWN = "NominationWithdrawn"
"""The cadre withdrew the nomination (terminal). Payload: reason."""

STAGE_APPROVED = "StageApproved"
"""A reviewer approved a step that is not the last one; the next step opened at the event time.
Payload: stage, step, comment, next_stage, next_step, next_due_at."""

NOMINATION_APPROVED = "NominationApproved"
"""A reviewer approved the last step of the route (terminal). Payload: stage, step, comment."""

NOMINATION_RETURNED = "NominationReturned"
"""A reviewer sent the nomination back to the cadre for revision. Payload: stage, step, comment."""

NOMINATION_REJECTED = "NominationRejected"
"""A reviewer rejected the nomination (terminal). Payload: stage, step, comment."""

STAGE_OVERDUE = "StageOverdue"
"""The active step passed its due time; recorded once per opening of a step.
Payload: stage, step, due_at."""

EVENT_TYPES = (
    NOMINATION_SUBMITTED,
    NOMINATION_REVISED,
    NOMINATION_WITHDRAWN,
    STAGE_APPROVED,
    NOMINATION_APPROVED,
    NOMINATION_RETURNED,
    NOMINATION_REJECTED,
    STAGE_OVERDUE,
)
"""Every event type of a nomination stream."""
