"""The shim's request signature (SPEC section 4), pure: the sidecar checks it, Python callers make it.

signature = hex HMAC-SHA256(shared secret, ts \\n METHOD \\n path?query \\n tenant \\n actor \\n sha256hex(body)).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

# A signed request older or newer than this many seconds is refused (and its nonce kept twice as long).
WINDOW_SECONDS = 300


def signature(secret: str, ts: str, method: str, path_qs: str, tenant: str, actor: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the canonical request (the shim computes the same in PHP)."""
    message = "\n".join([ts, method.upper(), path_qs, tenant, actor, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    """Whether a received signature is the expected one (in constant time, any hex case)."""
    return hmac.compare_digest(expected, given.lower())


def within_window(ts: str, now: float) -> bool:
    """Whether a request's timestamp is close enough to now."""
    return abs(now - int(ts)) <= WINDOW_SECONDS


def signed_headers(secret: str, method: str, path: str, body: bytes, *, tenant: str, actor: str = "1",
                   ts: int | None = None, nonce: str | None = None) -> dict:
    """The X-BKZ-* headers of one request (path with its query, exactly as on the request line)."""
    ts_text = str(int(time.time()) if ts is None else ts)
    return {
        "X-BKZ-Timestamp": ts_text,
        "X-BKZ-Nonce": nonce or secrets.token_hex(16),
        "X-BKZ-Tenant": tenant,
        "X-BKZ-Actor": actor,
        "X-BKZ-Signature": signature(secret, ts_text, method, path, tenant, actor, body),
        "Content-Type": "application/json",
    }
