"""One Zoom connection per tenant (OAuth tokens or Server-to-Server credentials), secrets encrypted."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sidecar.database import Database
from sidecar.store.crypto import Crypto

OAUTH, S2S = "oauth", "s2s"
CONNECTED, NEEDS_RECONNECT = "connected", "needs_reconnect"


@dataclass(frozen=True)
class StoredConnection:
    """A tenant's connection with its secrets decrypted; repr never shows them."""

    tenant_id: int
    method: str
    status: str
    zoom_account_id: str | None
    zoom_user_id: str | None
    zoom_user_email: str | None
    client_id: str | None
    client_secret: str | None = field(default=None, repr=False)  # S2S only
    access_token: str | None = field(default=None, repr=False)
    access_expires_at: datetime | None = None  # aware UTC
    refresh_token: str | None = field(default=None, repr=False)  # OAuth only
    connected_at: datetime | None = None
    passcode_rules: str | None = None  # the account's, as JSON (services/passcodes.py); None until read


COLUMNS = ("tenant_id", "method", "status", "zoom_account_id", "zoom_user_id", "zoom_user_email", "client_id",
           "client_secret_enc", "access_token_enc", "access_expires_at", "refresh_token_enc", "connected_at",
           "passcode_rules")


def _utc(value: datetime | None) -> datetime | None:
    """A DATETIME read from the database (the session runs in UTC) as an aware UTC time."""
    return value.replace(tzinfo=timezone.utc) if value is not None else None


def _naive(value: datetime | None) -> datetime | None:
    """An aware time as the naive UTC value a DATETIME column takes."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value is not None else None


def get(db: Database, crypto: Crypto, tenant_id: int, *, for_update: bool = False) -> StoredConnection | None:
    """The tenant's connection, or None; for_update locks the row until the transaction ends."""
    row = db.query_one(f"SELECT {', '.join(COLUMNS)} FROM {{connections}} WHERE tenant_id = %(t)s"
                       + (" FOR UPDATE" if for_update else ""), {"t": tenant_id})
    return from_row(crypto, row)


def from_row(crypto: Crypto, row: dict | None) -> StoredConnection | None:
    """The connection in a row holding COLUMNS (read here or joined elsewhere); None when its tenant_id is NULL."""
    if row is None or row["tenant_id"] is None:
        return None
    return StoredConnection(
        tenant_id=row["tenant_id"], method=row["method"], status=row["status"],
        zoom_account_id=row["zoom_account_id"], zoom_user_id=row["zoom_user_id"],
        zoom_user_email=row["zoom_user_email"], client_id=row["client_id"],
        client_secret=crypto.decrypt(row["client_secret_enc"]),
        access_token=crypto.decrypt(row["access_token_enc"]),
        access_expires_at=_utc(row["access_expires_at"]),
        refresh_token=crypto.decrypt(row["refresh_token_enc"]),
        connected_at=_utc(row["connected_at"]), passcode_rules=row["passcode_rules"],
    )


def save(db: Database, crypto: Crypto, c: StoredConnection) -> None:
    """Insert the tenant's connection, replacing any earlier one entirely (status back to connected, what was
    cached about the account forgotten)."""
    db.execute(
        """INSERT INTO {connections} (tenant_id, method, status, zoom_account_id, zoom_user_id, zoom_user_email,
              client_id, client_secret_enc, access_token_enc, access_expires_at, refresh_token_enc, connected_at)
            VALUES (%(t)s, %(m)s, %(st)s, %(acc)s, %(uid)s, %(email)s,
              %(cid)s, %(cs)s, %(at)s, %(exp)s, %(rt)s, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE method = VALUES(method), status = VALUES(status),
              zoom_account_id = VALUES(zoom_account_id), zoom_user_id = VALUES(zoom_user_id),
              zoom_user_email = VALUES(zoom_user_email), client_id = VALUES(client_id),
              client_secret_enc = VALUES(client_secret_enc), access_token_enc = VALUES(access_token_enc),
              access_expires_at = VALUES(access_expires_at), refresh_token_enc = VALUES(refresh_token_enc),
              connected_at = VALUES(connected_at), passcode_rules = NULL, user_types = NULL""",
        {"t": c.tenant_id, "m": c.method, "st": CONNECTED, "acc": c.zoom_account_id, "uid": c.zoom_user_id,
         "email": c.zoom_user_email, "cid": c.client_id, "cs": crypto.encrypt(c.client_secret),
         "at": crypto.encrypt(c.access_token), "exp": _naive(c.access_expires_at),
         "rt": crypto.encrypt(c.refresh_token)},
    )


def store_tokens(db: Database, crypto: Crypto, tenant_id: int, access_token: str, expires_at: datetime,
                 refresh_token: str | None) -> None:
    """Record a new access token (and, for OAuth, the rotated refresh token; None keeps the stored one)."""
    db.execute(
        """UPDATE {connections} SET access_token_enc = %(at)s, access_expires_at = %(exp)s,
             refresh_token_enc = COALESCE(%(rt)s, refresh_token_enc) WHERE tenant_id = %(t)s""",
        {"t": tenant_id, "at": crypto.encrypt(access_token), "exp": _naive(expires_at),
         "rt": crypto.encrypt(refresh_token)},
    )


def expire_access_token(db: Database, tenant_id: int) -> None:
    """Forget the cached access token's lifetime, so the next use gets a new one."""
    db.execute("UPDATE {connections} SET access_expires_at = NULL WHERE tenant_id = %(t)s", {"t": tenant_id})


def passcode_rules(db: Database, tenant_id: int) -> str | None:
    """The connected account's passcode rules as cached (JSON), or None when not read yet."""
    row = db.query_one("SELECT passcode_rules FROM {connections} WHERE tenant_id = %(t)s", {"t": tenant_id})
    return row["passcode_rules"] if row else None


def set_passcode_rules(db: Database, tenant_id: int, rules_json: str) -> None:
    """Cache the connected account's passcode rules (JSON) until the connection is replaced."""
    db.execute("UPDATE {connections} SET passcode_rules = %(r)s WHERE tenant_id = %(t)s",
               {"t": tenant_id, "r": rules_json})


def user_types(db: Database, tenant_id: int) -> dict[str, int]:
    """The licence type of each user of the connected account, as last listed ({} when never listed)."""
    row = db.query_one("SELECT user_types FROM {connections} WHERE tenant_id = %(t)s", {"t": tenant_id})
    return json.loads(row["user_types"]) if row and row["user_types"] else {}


def set_user_types(db: Database, tenant_id: int, types: dict[str, int]) -> None:
    """Cache the licence type of each user of the connected account."""
    db.execute("UPDATE {connections} SET user_types = %(u)s WHERE tenant_id = %(t)s",
               {"t": tenant_id, "u": json.dumps(types, sort_keys=True)})


def set_status(db: Database, tenant_id: int, status: str) -> None:
    """Mark the connection connected or needs_reconnect."""
    db.execute("UPDATE {connections} SET status = %(s)s WHERE tenant_id = %(t)s", {"t": tenant_id, "s": status})


def delete(db: Database, tenant_id: int) -> bool:
    """Forget the tenant's connection and every secret in it; True if there was one."""
    return db.execute("DELETE FROM {connections} WHERE tenant_id = %(t)s", {"t": tenant_id}) > 0


def delete_oauth_of_user(db: Database, client_id: str, account_id: str, user_id: str,
                         made_by: datetime | None = None) -> list[int]:
    """Forget the OAuth connections made through app client_id by this Zoom user of this account (only those
    made by `made_by`, when given).

    Returns the tenants that lost theirs. Call inside a transaction, so the list and the delete agree.
    """
    match = """WHERE method = 'oauth' AND client_id = %(c)s AND zoom_account_id = %(a)s AND zoom_user_id = %(u)s"""
    params = {"c": client_id, "a": account_id, "u": user_id}
    if made_by is not None:
        match += " AND connected_at <= %(m)s"
        params["m"] = _naive(made_by)
    rows = db.query("SELECT tenant_id FROM {connections} " + match + " ORDER BY tenant_id FOR UPDATE", params)
    db.execute("DELETE FROM {connections} " + match, params)
    return [r["tenant_id"] for r in rows]


def tenants_of_account(db: Database, account_id: str) -> list[int]:
    """Tenants connected (by either method) to this Zoom account."""
    rows = db.query("SELECT tenant_id FROM {connections} WHERE zoom_account_id = %(a)s ORDER BY tenant_id",
                    {"a": account_id})
    return [r["tenant_id"] for r in rows]


def count_needing_reconnect(db: Database) -> int:
    """How many tenants' connections Zoom refused (they must connect again)."""
    row = db.query_one("SELECT COUNT(*) AS n FROM {connections} WHERE status = %(s)s", {"s": NEEDS_RECONNECT})
    return int(row["n"])
