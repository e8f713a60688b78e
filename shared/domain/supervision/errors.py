"""Refusals of the supervision domain: the same classes as the nomination workflow's, so the web
layer maps both to HTTP the same way (Invalid 422, Forbidden 403, Conflict 409, NotFound 404)."""

from shared.domain.workflow.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

__all__ = ["Conflict", "DomainError", "Forbidden", "Invalid", "NotFound"]
