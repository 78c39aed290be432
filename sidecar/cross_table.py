"""The statements that span Booknetic's tables and ours, kept in one place.

`booknetic/` reads only Booknetic's and WordPress's tables and `store/` only ours; these few join the
two because one statement is cheaper than two on paths that run for every message or every change.
"""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.booknetic import tenants
from sidecar.booknetic.appointments import BUSY_STATUSES
from sidecar.database import Database, in_list
from sidecar.store import connections, settings
from sidecar.store.crypto import Crypto
from sidecar.store.jobs import AGAIN
from sidecar.store.settings import PLATFORM_ROW, TenantSettings

@dataclass(frozen=True)
class ZoomView:
    """What a workflow message needs to know, read at once (it is on the path of every message sent)."""

    busy: bool  # False also when the appointment does not exist (any more)
    capabilities: dict  # the tenant's effective plan capabilities
    meeting_state: str | None  # our meeting row's state, None without a row
    zoom_meeting_id: int | None
    join_url: str | None
    password: str | None


def zoom_view(db: Database, tenant_id: int, appointment_id: int) -> ZoomView:
    """The appointment's status, its tenant's plan and its meeting row, in one query with few columns."""
    row = db.query_one(
        """SELECT a.status, t.expires_in, t.money_balance, p.permissions,
                  m.state, m.zoom_meeting_id, m.join_url, m.password
             FROM {tenants} t
             LEFT JOIN {plans} p ON p.id = t.plan_id
             LEFT JOIN {appointments} a ON a.id = %(a)s AND a.tenant_id = t.id
             LEFT JOIN {meetings} m ON m.appointment_id = %(a)s AND m.tenant_id = t.id
            WHERE t.id = %(t)s""",
        {"t": tenant_id, "a": appointment_id},
    )
    if row is None:
        return ZoomView(False, {}, None, None, None, None)
    return ZoomView(
        busy=row["status"] in BUSY_STATUSES,
        capabilities=tenants.effective_capabilities(db, row["permissions"], row["expires_in"], row["money_balance"]),
        meeting_state=row["state"], zoom_meeting_id=row["zoom_meeting_id"], join_url=row["join_url"],
        password=row["password"],
    )


@dataclass(frozen=True)
class Readiness:
    """What decides whether a tenant gets meetings now, read at once (it is on the path of every sync)."""

    capabilities: dict  # the tenant's effective plan capabilities ({} for no such tenant)
    platform_enabled: bool
    settings: TenantSettings
    connection: connections.StoredConnection | None


_READINESS = f"""SELECT t.expires_in, t.money_balance, p.permissions, ps.enabled AS platform_enabled,
           {", ".join(f"s.{name}" for name in settings.TENANT_COLUMNS)},
           {", ".join(f"c.{name}" for name in connections.COLUMNS)}
      FROM (SELECT %(t)s AS id) x
      LEFT JOIN {{tenants}} t ON t.id = x.id
      LEFT JOIN {{plans}} p ON p.id = t.plan_id
      LEFT JOIN {{settings}} ps ON ps.tenant_id = %(platform)s
      LEFT JOIN {{settings}} s ON s.tenant_id = x.id
      LEFT JOIN {{connections}} c ON c.tenant_id = x.id"""


def readiness(db: Database, crypto: Crypto, tenant_id: int) -> Readiness:
    """The tenant's plan, the platform's Zoom switch, the tenant's settings and connection: one query, where
    reading them one by one took five (the passcode rules come with the connection)."""
    row = db.query_one(_READINESS, {"t": tenant_id, "platform": PLATFORM_ROW})
    return Readiness(  # no such tenant: NULLs, so no capabilities
        capabilities=tenants.effective_capabilities(db, row["permissions"], row["expires_in"], row["money_balance"]),
        platform_enabled=bool(row["platform_enabled"]),
        settings=settings.tenant_from_row(row),
        connection=connections.from_row(crypto, row),
    )


def knows_appointment(db: Database, tenant_id: int, appointment_id: int) -> bool:
    """Whether the appointment is the tenant's, or was (its job or meeting row is still here): one cheap query."""
    row = db.query_one(
        """SELECT EXISTS(SELECT 1 FROM {appointments} WHERE id = %(a)s AND tenant_id = %(t)s)
               OR EXISTS(SELECT 1 FROM {jobs} WHERE tenant_id = %(t)s AND appointment_id = %(a)s)
               OR EXISTS(SELECT 1 FROM {meetings} WHERE tenant_id = %(t)s AND appointment_id = %(a)s) AS known""",
        {"t": tenant_id, "a": appointment_id},
    )
    return bool(row["known"])


def enqueue_upcoming(db: Database, tenant_id: int, since_epoch: int, *, staff_id: int | None = None,
                     service_id: int | None = None) -> int:
    """Ask for a sync of the tenant's appointments that end after since_epoch: of one staff member, of one
    service, or (neither named) all of them."""
    return db.execute(
        """INSERT INTO {jobs} (tenant_id, appointment_id, run_after)
             SELECT tenant_id, id, UTC_TIMESTAMP(6) FROM {appointments}
              WHERE tenant_id = %(t)s AND ends_at >= %(since)s
                AND (%(st)s IS NULL OR staff_id = %(st)s) AND (%(sv)s IS NULL OR service_id = %(sv)s) """ + AGAIN,
        {"t": tenant_id, "since": since_epoch, "st": staff_id, "sv": service_id},
    )


def count_upcoming_longer_than(db: Database, tenant_id: int, host_ids: list[str], minutes: int,
                               since_epoch: int) -> int:
    """How many of the tenant's active meetings hosted by these users are for bookings longer than `minutes`
    that end after since_epoch."""
    if not host_ids:
        return 0
    placeholders, hosts = in_list("h", host_ids)
    row = db.query_one(
        f"""SELECT COUNT(*) AS n FROM {{meetings}} m
              JOIN {{appointments}} a ON a.id = m.appointment_id AND a.tenant_id = m.tenant_id
             WHERE m.tenant_id = %(t)s AND m.state = 'active' AND m.host_user_id IN ({placeholders})
               AND a.ends_at - a.starts_at > %(s)s AND a.ends_at >= %(since)s""",
        {"t": tenant_id, "s": minutes * 60, "since": since_epoch, **hosts},
    )
    return int(row["n"])
