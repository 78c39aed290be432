"""Platform settings (row tenant_id 0) and each tenant's Zoom settings, secrets encrypted."""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.store.crypto import Crypto
from sidecar.store.db import Database

PLATFORM_ROW = 0
DEFAULT_TITLE = "{service_name} with {customer_full_name}"
DEFAULT_AGENDA = "Appointment #{appointment_id}"


@dataclass(frozen=True)
class PlatformSettings:
    enabled: bool
    method: str  # "oauth" | "s2s": what new tenant connections use
    client_id: str | None
    client_secret: str | None
    webhook_secret_token: str | None


@dataclass(frozen=True)
class TenantSettings:
    enabled: bool
    meeting_title: str
    meeting_agenda: str
    random_password: bool


def platform(db: Database, crypto: Crypto) -> PlatformSettings:
    """The platform's Zoom settings (disabled, OAuth, no app until an admin saves them)."""
    row = db.query_one(
        """SELECT enabled, method, client_id, client_secret_enc, webhook_secret_enc
             FROM {settings} WHERE tenant_id = %(t)s""",
        {"t": PLATFORM_ROW},
    )
    if row is None:
        return PlatformSettings(False, "oauth", None, None, None)
    return PlatformSettings(
        enabled=bool(row["enabled"]),
        method=row["method"] or "oauth",
        client_id=row["client_id"],
        client_secret=crypto.decrypt(row["client_secret_enc"]),
        webhook_secret_token=crypto.decrypt(row["webhook_secret_enc"]),
    )


def save_platform(db: Database, crypto: Crypto, *, enabled: bool, method: str, client_id: str | None,
                  client_secret: str | None, webhook_secret_token: str | None) -> None:
    """Store the platform settings; a secret given as None keeps the stored one."""
    db.execute(
        """INSERT INTO {settings} (tenant_id, enabled, method, client_id, client_secret_enc, webhook_secret_enc)
           VALUES (%(t)s, %(en)s, %(m)s, %(cid)s, %(cs)s, %(ws)s)
           ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), method = VALUES(method), client_id = VALUES(client_id),
             client_secret_enc = COALESCE(VALUES(client_secret_enc), client_secret_enc),
             webhook_secret_enc = COALESCE(VALUES(webhook_secret_enc), webhook_secret_enc)""",
        {"t": PLATFORM_ROW, "en": int(enabled), "m": method, "cid": client_id,
         "cs": crypto.encrypt(client_secret), "ws": crypto.encrypt(webhook_secret_token)},
    )


def tenant(db: Database, tenant_id: int) -> TenantSettings:
    """A tenant's Zoom settings; Zoom is on and passwords random until the tenant says otherwise."""
    row = db.query_one(
        "SELECT enabled, meeting_title, meeting_agenda, random_password FROM {settings} WHERE tenant_id = %(t)s",
        {"t": tenant_id},
    )
    if row is None:
        return TenantSettings(True, DEFAULT_TITLE, DEFAULT_AGENDA, True)
    return TenantSettings(
        enabled=row["enabled"] is None or bool(row["enabled"]),
        meeting_title=row["meeting_title"] if row["meeting_title"] is not None else DEFAULT_TITLE,
        meeting_agenda=row["meeting_agenda"] if row["meeting_agenda"] is not None else DEFAULT_AGENDA,
        random_password=row["random_password"] is None or bool(row["random_password"]),
    )


def tenant_has_row(db: Database, tenant_id: int) -> bool:
    """Whether the tenant ever saved Zoom settings (else the defaults apply)."""
    return db.query_one("SELECT 1 AS x FROM {settings} WHERE tenant_id = %(t)s", {"t": tenant_id}) is not None


def save_tenant(db: Database, tenant_id: int, s: TenantSettings) -> None:
    """Store a tenant's Zoom settings."""
    if tenant_id == PLATFORM_ROW:
        raise ValueError("tenant id 0 is the platform row")
    db.execute(
        """INSERT INTO {settings} (tenant_id, enabled, meeting_title, meeting_agenda, random_password)
           VALUES (%(t)s, %(en)s, %(ti)s, %(ag)s, %(rp)s)
           ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), meeting_title = VALUES(meeting_title),
             meeting_agenda = VALUES(meeting_agenda), random_password = VALUES(random_password)""",
        {"t": tenant_id, "en": int(s.enabled), "ti": s.meeting_title, "ag": s.meeting_agenda,
         "rp": int(s.random_password)},
    )
