"""Platform settings (row tenant_id 0) and each tenant's Zoom settings, secrets encrypted."""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.database import Database
from sidecar.store.crypto import Crypto

PLATFORM_ROW = 0
DEFAULT_TITLE = "{service_name} with {customer_full_name}"
DEFAULT_AGENDA = "Appointment #{appointment_id}"
RECORDINGS = ("none", "local", "cloud")  # Zoom's settings.auto_recording values
# Which bookings get meetings: Booknetic's busy statuses (the add-on's rule), or approved ones only.
PENDING_AND_APPROVED, APPROVED_ONLY = "pending_and_approved", "approved"
MEETINGS_FOR = (PENDING_AND_APPROVED, APPROVED_ONLY)


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
    # Meeting options sent as Zoom's `settings`; with use_host_defaults none is sent (the add-on's way),
    # and each meeting gets what the host's Zoom profile says.
    use_host_defaults: bool = True
    waiting_room: bool = False
    join_before_host: bool = False
    mute_upon_entry: bool = False
    auto_recording: str = "none"
    meetings_for: str = PENDING_AND_APPROVED

    @property
    def approved_only(self) -> bool:
        """Only approved bookings get meetings (pending ones wait)."""
        return self.meetings_for == APPROVED_ONLY


_MEETING_OPTIONS = ("use_host_defaults", "waiting_room", "join_before_host", "mute_upon_entry", "auto_recording",
                    "meetings_for")


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


TENANT_COLUMNS = ("enabled", "meeting_title", "meeting_agenda", "random_password") + _MEETING_OPTIONS


def tenant(db: Database, tenant_id: int) -> TenantSettings:
    """A tenant's Zoom settings; Zoom is on and passwords random until the tenant says otherwise."""
    row = db.query_one(f"SELECT {', '.join(TENANT_COLUMNS)} FROM {{settings}} WHERE tenant_id = %(t)s",
                       {"t": tenant_id})
    return tenant_from_row(row or {})


def tenant_from_row(row: dict) -> TenantSettings:
    """The settings in a row holding TENANT_COLUMNS (read here or joined elsewhere); a NULL or missing
    column keeps its default."""
    row = {name: row.get(name) for name in TENANT_COLUMNS}
    defaults = TenantSettings(True, DEFAULT_TITLE, DEFAULT_AGENDA, True)
    return TenantSettings(
        enabled=row["enabled"] is None or bool(row["enabled"]),
        meeting_title=row["meeting_title"] if row["meeting_title"] is not None else DEFAULT_TITLE,
        meeting_agenda=row["meeting_agenda"] if row["meeting_agenda"] is not None else DEFAULT_AGENDA,
        random_password=row["random_password"] is None or bool(row["random_password"]),
        **{name: (getattr(defaults, name) if row[name] is None else
                  bool(row[name]) if isinstance(getattr(defaults, name), bool) else row[name])
           for name in _MEETING_OPTIONS},
    )


def tenant_has_row(db: Database, tenant_id: int) -> bool:
    """Whether the tenant ever saved Zoom settings (else the defaults apply)."""
    return db.query_one("SELECT 1 AS x FROM {settings} WHERE tenant_id = %(t)s", {"t": tenant_id}) is not None


def save_tenant(db: Database, tenant_id: int, s: TenantSettings) -> None:
    """Store a tenant's Zoom settings."""
    if tenant_id == PLATFORM_ROW:
        raise ValueError("tenant id 0 is the platform row")
    db.execute(
        """INSERT INTO {settings} (tenant_id, enabled, meeting_title, meeting_agenda, random_password,
                                   use_host_defaults, waiting_room, join_before_host, mute_upon_entry,
                                   auto_recording, meetings_for)
           VALUES (%(t)s, %(en)s, %(ti)s, %(ag)s, %(rp)s, %(uhd)s, %(wr)s, %(jbh)s, %(mue)s, %(rec)s, %(mf)s)
           ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), meeting_title = VALUES(meeting_title),
             meeting_agenda = VALUES(meeting_agenda), random_password = VALUES(random_password),
             use_host_defaults = VALUES(use_host_defaults), waiting_room = VALUES(waiting_room),
             join_before_host = VALUES(join_before_host), mute_upon_entry = VALUES(mute_upon_entry),
             auto_recording = VALUES(auto_recording), meetings_for = VALUES(meetings_for)""",
        {"t": tenant_id, "en": int(s.enabled), "ti": s.meeting_title, "ag": s.meeting_agenda,
         "rp": int(s.random_password), "uhd": int(s.use_host_defaults), "wr": int(s.waiting_room),
         "jbh": int(s.join_before_host), "mue": int(s.mute_upon_entry), "rec": s.auto_recording,
         "mf": s.meetings_for},
    )
