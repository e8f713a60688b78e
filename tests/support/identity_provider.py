"""A stand-in OpenID Connect provider: signing keys, and their JWKS served over HTTP on loopback."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.cadreflow.test/realms/city"
AUDIENCE = "cadreflow"


@dataclass
class SigningKey:
    kid: str
    private: Any
    algorithm: str

    @classmethod
    def ec(cls) -> SigningKey:
        return cls(f"ec-{uuid.uuid4().hex[:8]}", ec.generate_private_key(ec.SECP256R1()), "ES256")

    @classmethod
    def rsa(cls) -> SigningKey:
        return cls(
            f"rsa-{uuid.uuid4().hex[:8]}", rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"
        )

    def jwk(self) -> dict[str, Any]:
        to_jwk = RSAAlgorithm.to_jwk if self.algorithm.startswith("RS") else ECAlgorithm.to_jwk
        return {**to_jwk(self.private.public_key(), as_dict=True), "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def sign(self, claims: dict[str, Any], kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers={"kid": kid or self.kid})


def claims(**changes: Any) -> dict[str, Any]:
    """Claims of a valid token for the configured issuer and audience (an org reviewer's)."""
    now = int(time.time())
    base = {"sub": f"p-{uuid.uuid4().hex[:6]}", "role": "org_reviewer", "unit": "org-dept", "name": "Wang Li"}
    return {**base, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, **changes}


@dataclass
class IdentityProvider:
    """Serves `keys` as a JWKS at `jwks_url`; counts the fetches. Change `keys` to rotate."""

    keys: list[SigningKey] = field(default_factory=list)
    fetches: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def jwks_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/.well-known/jwks.json"

    def start(self) -> IdentityProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                provider.fetches += 1
                body = json.dumps({"keys": [key.jwk() for key in provider.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
