"""The names of the events the workflow emits, one stream per nomination, and what each means.

Payloads are JSON-ready: datetimes are ISO-8601 strings with a timezone, sequences are lists.
Every command yields exactly one of these events.
"""

NOMINATION_SUBMITTED = "NominationSubmitted"
"""A cadre nominated themself, or the organization department put a cadre forward directly
(channel `direct`: the actor is the org reviewer); the first step of the route opened at the
event time. Payload: nomination_id, cadre {id, name, unit}, channel, target_position {title,
organization}, statement, achievements [{title, description}], commitment, route [stage, ...],
due_at; a direct nomination also justification and proposer {id, name} (its statement,
achievements and commitment are empty: the cadre did not write them)."""

NOMINATION_REVISED = "NominationRevised"
"""The cadre revised a returned nomination; the same step re-opened at the event time.
Payload: changes {only the revised fields}, step, due_at."""

NOMINATION_WITHDRAWN = "NominationWithdrawn"
"""The cadre withdrew the nomination (terminal). Payload: reason."""

STAGE_APPROVED = "StageApproved"
"""A reviewer approved a step that is not the last one; the next step opened at the event time.
Payload: stage, step, comment, next_stage, next_step, next_due_at."""

NOMINATION_APPROVED = "NominationApproved"
"""A reviewer approved the last step of the route: the nomination goes on public notice until
notice_ends_at. Payload (schema version 2): stage, step, comment, notice_ends_at. Version 1,
written before public notice existed, meant "approved" at once (terminal); it is upcast without
notice_ends_at, and an approval without it folds to `approved` as it always did."""

NOMINATION_RETURNED = "NominationReturned"
"""A reviewer sent the nomination back to the cadre for revision. Payload: stage, step, comment."""

NOMINATION_REJECTED = "NominationRejected"
"""A reviewer rejected the nomination (terminal). Payload: stage, step, comment."""

APPOINTED = "Appointed"
"""The notice window closed with no objection open or upheld: the appointment record; the
nomination is approved (terminal). Written by the notice timer. Payload: cadre {id, name, unit},
target_position {title, organization}, notice_ends_at."""

OBJECTION_UPHELD = "ObjectionUpheld"
"""A supervision case objecting to the nomination on notice was found substantiated (or
partly): the appointment is stopped, the nomination is rejected (terminal) with the case as the
reason. Written by the notice timer. Payload: case_id, result (substantiated|partly)."""

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
    APPOINTED,
    OBJECTION_UPHELD,
    STAGE_OVERDUE,
)
"""Every event type of a nomination stream."""
