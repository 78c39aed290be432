"""Things that happened to a tenant's Zoom meetings worth keeping (a meeting recreated), and alerts for the
tenant (connection lost, meeting failed for good) waiting for the shim to deliver them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sidecar.database import Database

MEETING_RECREATED = "meeting_recreated"
NEEDS_RECONNECT = "needs_reconnect"
MEETING_FAILED = "meeting_failed"


@dataclass(frozen=True)
class Event:
    id: int
    tenant_id: int
    kind: str
    appointment_id: int | None
    detail: str | None
    created_at: datetime  # naive UTC

    @classmethod
    def from_row(cls, row: dict) -> "Event":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


_COLUMNS = "id, tenant_id, kind, appointment_id, detail, created_at"


def record(db: Database, tenant_id: int, kind: str, detail: str, appointment_id: int | None = None) -> None:
    """Keep an event of the tenant's (no alert)."""
    db.execute(
        """INSERT INTO {events} (tenant_id, kind, appointment_id, detail, created_at)
           VALUES (%(t)s, %(k)s, %(a)s, %(d)s, UTC_TIMESTAMP(6))""",
        {"t": tenant_id, "k": kind, "a": appointment_id, "d": detail[:2000]},
    )


def raise_alert(db: Database, tenant_id: int, kind: str, detail: str, appointment_id: int | None = None) -> bool:
    """Queue an alert for the tenant unless one of this kind was raised today (UTC); True if queued.

    The unique (tenant, kind, alert_day) key decides, so two processes never both raise today's.
    """
    return db.execute(
        """INSERT IGNORE INTO {events} (tenant_id, kind, appointment_id, detail, alert, alert_day, created_at)
           VALUES (%(t)s, %(k)s, %(a)s, %(d)s, 1, UTC_DATE(), UTC_TIMESTAMP(6))""",
        {"t": tenant_id, "k": kind, "a": appointment_id, "d": detail[:2000]},
    ) > 0


def claim_alerts(db: Database, limit: int = 100) -> list[Event]:
    """The oldest undelivered alerts, marked delivered (the caller delivers them now)."""
    with db.transaction():
        rows = db.query(
            f"""SELECT {_COLUMNS} FROM {{events}} WHERE alert = 1 AND delivered_at IS NULL
                ORDER BY id LIMIT %(n)s FOR UPDATE SKIP LOCKED""",
            {"n": limit},
        )
        for row in rows:
            db.execute("UPDATE {events} SET delivered_at = UTC_TIMESTAMP(6) WHERE id = %(id)s", {"id": row["id"]})
    return [Event.from_row(r) for r in rows]


def of_tenant(db: Database, tenant_id: int, kind: str) -> list[Event]:
    """The tenant's events of one kind, newest first."""
    rows = db.query(
        f"SELECT {_COLUMNS} FROM {{events}} WHERE tenant_id = %(t)s AND kind = %(k)s ORDER BY id DESC",
        {"t": tenant_id, "k": kind},
    )
    return [Event.from_row(r) for r in rows]
