"""Random identifiers shaped like Zoom's: user/account ids, secrets, JWT-like tokens, meeting ids."""
from __future__ import annotations

import base64
import json
import secrets
import string

_ALNUM = string.ascii_letters + string.digits


def zoom_id(length: int = 22) -> str:
    """Return a Zoom-style id (base64url alphabet, e.g. a user id)."""
    return secrets.token_urlsafe(length)[:length]


def secret(length: int = 32) -> str:
    """Return an alphanumeric secret (client secret, webhook secret token)."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def jwt_like(claims: dict) -> str:
    """Return an opaque token that looks like a JWT (`eyJ...`), as Zoom's do."""
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    body = dict(claims, jti=secrets.token_hex(16))
    return f"{part({'alg': 'HS512', 'v': '2.0', 'kid': zoom_id(8)})}.{part(body)}.{secrets.token_urlsafe(32)}"


def meeting_number() -> int:
    """Return an 11-digit int64 meeting id."""
    return secrets.randbelow(9 * 10**10) + 10**10


def meeting_uuid() -> str:
    """Return a 24-char base64 meeting uuid ending in `==`."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def passcode(length: int = 8) -> str:
    """Return a generated meeting passcode."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))
