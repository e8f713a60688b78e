"""Verified tokens are remembered until they expire, and only whole, verified tokens."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.web import auth
from shared.web.auth import TokenVerifier
from shared.web.errors import ApiError

SECRET = "a-secret-of-more-than-thirty-two-bytes-for-hs256"


def bearer(**changes: object) -> str:
    now = int(time.time())
    claims = {"sub": "p1", "role": "cadre", "unit": "u1", "iat": now, "exp": now + 600, **changes}
    return "Bearer " + jwt.encode(claims, SECRET, algorithm="HS256")


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens that went through the full check."""
    seen: list[str] = []
    decode = jwt.decode

    def counting(token: str, *args: object, **kwargs: object) -> object:
        seen.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", counting)
    return seen


class TestVerifiedTokens:
    def test_a_token_is_checked_once_and_then_remembered(self, decodes: list[str]) -> None:
        verifier, token = TokenVerifier(SECRET, max_lifetime_s=3600), bearer()
        assert verifier.verify(token) == verifier.verify(token)
        assert len(decodes) == 1

    def test_a_remembered_token_is_refused_once_it_expired(self, monkeypatch: pytest.MonkeyPatch) -> None:
        verifier, token = TokenVerifier(SECRET), bearer(exp=int(time.time()) + 5)
        verifier.verify(token)
        later = time.time() + 5 + auth.LEEWAY_S + 1
        monkeypatch.setattr(auth.time, "time", lambda: later)
        monkeypatch.setattr(jwt.api_jwt, "datetime", _FrozenDatetime(later))
        with pytest.raises(ApiError) as refused:
            verifier.verify(token)
        assert refused.value.status == 401

    def test_a_refused_token_is_not_remembered(self, decodes: list[str]) -> None:
        verifier, token = TokenVerifier(SECRET, max_lifetime_s=60), bearer()  # lives 600 s: too long
        for _ in range(2):
            with pytest.raises(ApiError):
                verifier.verify(token)
        assert len(decodes) == 2

    def test_another_payload_under_a_remembered_signature_is_checked(self) -> None:
        verifier, token = TokenVerifier(SECRET), bearer()
        verifier.verify(token)
        header, _, signature = token.removeprefix("Bearer ").split(".")
        forged = jwt.utils.base64url_encode(b'{"sub":"p1","role":"admin","exp":9999999999}').decode()
        with pytest.raises(ApiError):
            verifier.verify(f"Bearer {header}.{forged}.{signature}")

    def test_the_oldest_tokens_are_forgotten_first(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(auth, "VERIFIED_CACHE", 3)
        verifier = TokenVerifier(SECRET)
        tokens = [bearer(sub=f"p{i}") for i in range(5)]
        for token in tokens:
            verifier.verify(token)
        assert list(verifier._verified) == [t.removeprefix("Bearer ") for t in tokens[2:]]


class _FrozenDatetime:
    """`datetime` as PyJWT reads the clock (`datetime.now(tz=timezone.utc)`), at a given time."""

    def __init__(self, at: float) -> None:
        self.at = at

    def now(self, tz: object = None) -> object:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self.at, UTC)

    def __getattr__(self, name: str) -> object:
        from datetime import datetime

        return getattr(datetime, name)
