"""One-time OAuth `state` values: only their sha256 is kept, with tenant, WP user, PKCE verifier, expiry."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sidecar.database import Database
from sidecar.store.crypto import Crypto


@dataclass(frozen=True)
class OAuthState:
    tenant_id: int
    wp_user_id: int
    code_verifier: str = field(repr=False)
    return_url: str


def create(db: Database, crypto: Crypto, state_hash: str, tenant_id: int, wp_user_id: int, code_verifier: str,
           return_url: str, expires_at: datetime) -> None:
    """Remember a state issued to this tenant and WP user until expires_at (aware UTC)."""
    db.execute(
        """INSERT INTO {oauth_states} (state_hash, tenant_id, wp_user_id, code_verifier_enc, return_url, expires_at)
           VALUES (%(h)s, %(t)s, %(u)s, %(v)s, %(r)s, %(x)s)""",
        {"h": state_hash, "t": tenant_id, "u": wp_user_id, "v": crypto.encrypt(code_verifier), "r": return_url,
         "x": expires_at.astimezone(timezone.utc).replace(tzinfo=None)},
    )


def consume(db: Database, crypto: Crypto, state_hash: str, wp_user_id: int,
            tenant_id: int | None = None) -> OAuthState | None:
    """Use up an unexpired, unused state of this WP user (and tenant, when given); None if there is none.

    The UPDATE marks it used atomically, so two callbacks racing with one state cannot both win.
    """
    params = {"h": state_hash, "u": wp_user_id, "t": tenant_id}
    used = db.execute(
        """UPDATE {oauth_states} SET used_at = UTC_TIMESTAMP(6)
            WHERE state_hash = %(h)s AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(6)
              AND wp_user_id = %(u)s AND (%(t)s IS NULL OR tenant_id = %(t)s)""",
        params,
    )
    if used != 1:
        return None
    row = db.query_one("SELECT tenant_id, wp_user_id, code_verifier_enc, return_url FROM {oauth_states} "
                       "WHERE state_hash = %(h)s", params)
    return OAuthState(tenant_id=row["tenant_id"], wp_user_id=row["wp_user_id"],
                      code_verifier=crypto.decrypt(row["code_verifier_enc"]), return_url=row["return_url"])


def purge_expired(db: Database) -> int:
    """Delete states that expired over a day ago (kept that long so a late reuse is still seen as reuse)."""
    return db.execute("DELETE FROM {oauth_states} WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY")
