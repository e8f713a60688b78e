"""Bearer JWT authentication: HS256 with a shared secret, or RS256 with a public key.

Claims: `sub` (person id), `role`, `unit`, `name`, `exp`; optional `email`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from flask import current_app, g, request

from shared.web.errors import ApiError

ROLES = ("cadre", "unit_reviewer", "org_reviewer", "secretary", "admin")


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    id: str
    role: str
    unit: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class TokenVerifier:
    """Checks a bearer token against the configured key and algorithm."""

    secret: str
    public_key: str | None = None

    def verify(self, header: str | None) -> Principal:
        """The principal of a valid `Authorization: Bearer` header; ApiError 401 otherwise."""
        if not header or not header.startswith("Bearer "):
            raise ApiError(401, "unauthenticated", "a bearer token is required")
        key, algorithm = (self.public_key, "RS256") if self.public_key else (self.secret, "HS256")
        try:
            claims = jwt.decode(
                header[7:].strip(), key, algorithms=[algorithm], options={"require": ["sub", "role", "exp"]}
            )
        except jwt.PyJWTError as error:
            raise ApiError(401, "unauthenticated", f"invalid token: {error}") from None
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    role = claims.get("role")
    if role not in ROLES or not isinstance(claims.get("sub"), str):
        raise ApiError(401, "unauthenticated", "token claims need a string sub and a known role")
    return Principal(
        id=claims["sub"],
        role=role,
        unit=str(claims.get("unit") or ""),
        name=str(claims.get("name") or claims["sub"]),
        email=claims.get("email") if isinstance(claims.get("email"), str) else None,
    )


def require_role(principal: Principal, *roles: str) -> None:
    """403 unless the caller holds one of `roles`."""
    if principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not do this", {"allowed_roles": list(roles)})


def principal() -> Principal:
    """The authenticated caller of the current request (401 if the token is missing or bad)."""
    if "principal" not in g:
        g.principal = current_app.extensions["verifier"].verify(request.headers.get("Authorization"))
    found: Principal = g.principal
    return found
