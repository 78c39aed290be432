"""Meetings that must go from Zoom (SPEC section 2: "a failed delete is retried, never forgotten").

A meeting left behind by a host change or a move is recorded here before any Zoom call, in the same
transaction as the marker of its replacement, and stays until Zoom confirms it is gone (404 counts).
The row names the appointment whose sync retired it: that appointment's job keeps retrying it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.database import Database


@dataclass(frozen=True)
class Deletion:
    tenant_id: int
    zoom_meeting_id: int
    host_user_id: str | None
    appointment_id: int
    attempts: int
    last_error: str | None


_COLUMNS = "tenant_id, zoom_meeting_id, host_user_id, appointment_id, attempts, last_error"


def record(db: Database, tenant_id: int, zoom_meeting_id: int, host_user_id: str | None, appointment_id: int) -> None:
    """Note that the meeting must go once no live row carries it (again: the latest appointment owns it)."""
    db.execute(
        """INSERT INTO {deletions} (tenant_id, zoom_meeting_id, host_user_id, appointment_id)
           VALUES (%(t)s, %(z)s, %(h)s, %(a)s)
           ON DUPLICATE KEY UPDATE appointment_id = VALUES(appointment_id)""",
        {"t": tenant_id, "z": zoom_meeting_id, "h": host_user_id, "a": appointment_id},
    )


def of_appointment(db: Database, tenant_id: int, appointment_id: int) -> list[Deletion]:
    """The meetings this appointment's syncs left to delete."""
    rows = db.query(f"SELECT {_COLUMNS} FROM {{deletions}} WHERE tenant_id = %(t)s AND appointment_id = %(a)s "
                    "ORDER BY zoom_meeting_id", {"t": tenant_id, "a": appointment_id})
    return [Deletion(**r) for r in rows]


def of_tenant(db: Database, tenant_id: int) -> list[Deletion]:
    """Every meeting of the tenant still waiting to be deleted."""
    rows = db.query(f"SELECT {_COLUMNS} FROM {{deletions}} WHERE tenant_id = %(t)s ORDER BY zoom_meeting_id",
                    {"t": tenant_id})
    return [Deletion(**r) for r in rows]


def done(db: Database, tenant_id: int, zoom_meeting_id: int) -> None:
    """Zoom no longer has it (or a live row carries it again): nothing left to delete."""
    db.execute("DELETE FROM {deletions} WHERE tenant_id = %(t)s AND zoom_meeting_id = %(z)s",
               {"t": tenant_id, "z": zoom_meeting_id})


def failed(db: Database, tenant_id: int, zoom_meeting_id: int, error: str) -> None:
    """A delete attempt failed: count it and keep the reason (reconcile shows it)."""
    db.execute("""UPDATE {deletions} SET attempts = attempts + 1, last_error = %(e)s
                  WHERE tenant_id = %(t)s AND zoom_meeting_id = %(z)s""",
               {"t": tenant_id, "z": zoom_meeting_id, "e": error[:2000]})
