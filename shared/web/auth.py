"""Bearer JWT authentication: OpenID Connect tokens checked against the provider's JWKS, or a
key of our own (RS256 with a public key file, HS256 with a shared secret).

Claims: `sub` (person id), the role (claim `role`, or `JWT_ROLE_CLAIM`), `unit`, `name`, `exp`,
`iat`; optional `email`, `iss`, `aud`. Every token must carry `iat` and live at most
`JWT_MAX_LIFETIME_S` (exp - iat); `iss` and `aud` are required and checked when configured (with a
JWKS they must be). Roles scoped by a unit need a `unit`.

JWKS (`JWT_JWKS_URL`): PyJWT's PyJWKClient keeps the fetched key set `JWT_JWKS_CACHE_S`; a token
naming an unknown `kid` refetches it (a rotated key is found), at most once per
`JWT_JWKS_REFRESH_COOLDOWN_S` so random `kid`s cannot make us hammer the provider. Keys are not
cached one by one past the set: a key the provider removed stops working with the next fetch.
Only asymmetric algorithms, and only the one of the matching key: no HS/RS confusion, no `none`.

A token that passed every check is remembered (`VERIFIED_CACHE` tokens, the oldest forgotten
first) until it expires: checking one costs a tenth of a submission, and a client sends the same
token with every request. The whole token is the key, never its signature alone (a known
signature under another payload must not pass). With a JWKS, a remembered token also needs its
key to be the one the current key set holds: a key the provider removed stops working with the
next fetch, as without the cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import jwt
from flask import current_app, g, request

from shared.config import Config
from shared.web.errors import ApiError

ROLES = (
    "cadre",
    "unit_reviewer",
    "org_reviewer",
    "secretary",
    "admin",
    "hotline_operator",
    "supervision_officer",
    "custodian",
)
UNIT_SCOPED = frozenset({"cadre", "unit_reviewer", "supervision_officer"})
"""Roles whose rights depend on the unit: a token without `unit` is refused for them."""
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
LEEWAY_S = 30  # clock skew allowed between the provider and us
VERIFIED_CACHE = 4096


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
    """Checks a bearer token against the configured keys and claims."""

    secret: str
    public_key: str | None = None
    jwks: jwt.PyJWKClient | None = None
    issuer: str | None = None
    audience: str | None = None
    max_lifetime_s: int = 0
    role_claim: str = "role"
    _verified: dict[str, _Verified] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_config(cls, config: Config) -> TokenVerifier:
        jwks = None
        if config.jwks_url:
            jwks = jwt.PyJWKClient(
                config.jwks_url,
                lifespan=config.jwks_cache_s,
                cooldown_duration=config.jwks_refresh_cooldown_s,
                timeout=5,
            )
        return cls(
            config.jwt_secret,
            config.jwt_public_key,
            jwks,
            config.jwt_issuer,
            config.jwt_audience,
            config.jwt_max_lifetime_s,
            config.jwt_role_claim,
        )

    def verify(self, header: str | None) -> Principal:
        """The principal of a valid `Authorization: Bearer` header; ApiError 401 otherwise."""
        if not header or not header.startswith("Bearer "):
            raise ApiError(401, "unauthenticated", "a bearer token is required")
        token = header[7:].strip()
        known = self._verified.get(token)
        if known is not None and time.time() < known.until and self._key_still_held(known.key):
            return known.principal
        try:
            claims, key = self._decode(token)
        except jwt.PyJWKClientConnectionError as error:
            raise ApiError(503, "unavailable", f"the identity provider's keys cannot be fetched: {error}") from None
        except jwt.PyJWTError as error:
            raise ApiError(401, "unauthenticated", f"invalid token: {error}") from None
        self._check_lifetime(claims)
        found = principal_of(claims, self.role_claim)
        self._remember(token, _Verified(found, claims["exp"] + LEEWAY_S, key))
        return found

    def _key_still_held(self, key: Any) -> bool:
        """With a JWKS: the key that verified the token is still the current set's key of its kid."""
        if self.jwks is None:
            return True
        try:
            return self.jwks.get_signing_key(key.key_id) is key
        except jwt.PyJWTError:  # the kid is gone from the set (or the set cannot be fetched): verify anew
            return False

    def _remember(self, token: str, verified: _Verified) -> None:
        cache = self._verified
        while len(cache) >= VERIFIED_CACHE:
            cache.pop(next(iter(cache), ""), None)  # the oldest (another request thread may race us)
        cache[token] = verified

    def _decode(self, token: str) -> tuple[dict[str, Any], Any]:
        """The token's claims and the key that verified them."""
        key: Any
        if self.jwks is not None:
            key = self.jwks.get_signing_key_from_jwt(token)
            if key.algorithm_name not in ASYMMETRIC:
                raise jwt.InvalidKeyError(f"the provider's key {key.key_id} is not an asymmetric signing key")
            algorithms = [key.algorithm_name]
        elif self.public_key:
            key, algorithms = self.public_key, ["RS256"]
        else:
            key, algorithms = self.secret, ["HS256"]
        required = ["sub", "exp", "iat"] if self.max_lifetime_s else ["sub", "exp"]
        required += [name for name, wanted in (("iss", self.issuer), ("aud", self.audience)) if wanted]
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=self.issuer,
            audience=self.audience,
            leeway=LEEWAY_S,
            options={"require": required},
        )
        return claims, key

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        if not self.max_lifetime_s:
            return
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > self.max_lifetime_s:
            raise ApiError(
                401, "unauthenticated", f"invalid token: it lives {lifetime} s, more than {self.max_lifetime_s} s"
            )


class _Verified(NamedTuple):
    """A token that passed every check: who it names, until when, and the key that verified it."""

    principal: Principal
    until: float
    key: Any


def _role(claims: dict[str, Any], path: str) -> str | None:
    """The role at `path` (a claim, or a dotted path into nested claims); in a list, the one known role."""
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, list):
        known = {item for item in value if item in ROLES}
        return known.pop() if len(known) == 1 else None
    return value if value in ROLES else None


def principal_of(claims: dict[str, Any], role_claim: str) -> Principal:
    """The caller a token's (verified) claims name: 401 without a string `sub`, one known role at
    `role_claim`, or a `unit` for a role scoped by one. The web front reads its sign-ins with it
    too, so it shows the pages of the role the services will see."""
    role = _role(claims, role_claim)
    if role is None or not isinstance(claims.get("sub"), str):
        raise ApiError(401, "unauthenticated", f"token claims need a string sub and one known role in {role_claim}")
    unit = claims.get("unit")
    if role in UNIT_SCOPED and not (isinstance(unit, str) and unit):
        raise ApiError(401, "unauthenticated", f"a {role} token needs a unit claim")
    return Principal(
        id=claims["sub"],
        role=role,
        unit=str(unit or ""),
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
