"""Mint a development JWT (HS256 with JWT_SECRET or the documented development default).

python -m tools.mint_token --sub c1 --role cadre --unit u1 --name "Li Wei" [--hours 8]
"""

from __future__ import annotations

import argparse
import time

import jwt

from shared.config import Config
from shared.web.auth import ROLES


def mint(sub: str, role: str, unit: str, name: str, hours: float, secret: str, email: str | None = None) -> str:
    claims = {"sub": sub, "role": role, "unit": unit, "name": name, "exp": int(time.time() + hours * 3600)}
    if email:
        claims["email"] = email
    return jwt.encode(claims, secret, algorithm="HS256")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sub", required=True, help="person id")
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--unit", default="", help="unit id")
    parser.add_argument("--name", default="")
    parser.add_argument("--email")
    parser.add_argument("--hours", type=float, default=8.0)
    args = parser.parse_args()
    secret = Config.from_env("tools").jwt_secret
    print(mint(args.sub, args.role, args.unit, args.name or args.sub, args.hours, secret, args.email))


if __name__ == "__main__":
    main()
