"""One row per appointment that has (or had) a Zoom meeting; group siblings share the Zoom meeting id.

Zoom's start_url is never stored: it expires (stable host links fetch a fresh one).
"""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.store.db import Database

ACTIVE, DELETED, DELETED_ON_ZOOM, FAILED = "active", "deleted", "deleted_on_zoom", "failed"


@dataclass(frozen=True)
class Meeting:
    tenant_id: int
    appointment_id: int
    zoom_meeting_id: int | None
    host_user_id: str | None
    join_url: str | None
    password: str | None
    slot_key: str | None
    fingerprint: str | None
    state: str
    last_error: str | None

    @classmethod
    def from_row(cls, row: dict) -> "Meeting":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


_COLUMNS = ("tenant_id, appointment_id, zoom_meeting_id, host_user_id, join_url, password, slot_key, fingerprint, "
            "state, last_error")


def get(db: Database, tenant_id: int, appointment_id: int, *, for_update: bool = False) -> Meeting | None:
    """The appointment's meeting row, or None."""
    row = db.query_one(
        f"SELECT {_COLUMNS} FROM {{meetings}} WHERE tenant_id = %(t)s AND appointment_id = %(a)s"
        + (" FOR UPDATE" if for_update else ""),
        {"t": tenant_id, "a": appointment_id},
    )
    return Meeting.from_row(row) if row else None


def save(db: Database, m: Meeting) -> None:
    """Insert or replace the appointment's meeting row."""
    db.execute(
        f"""INSERT INTO {{meetings}} ({_COLUMNS}) VALUES (%(tenant_id)s, %(appointment_id)s, %(zoom_meeting_id)s,
              %(host_user_id)s, %(join_url)s, %(password)s, %(slot_key)s, %(fingerprint)s, %(state)s, %(last_error)s)
            ON DUPLICATE KEY UPDATE zoom_meeting_id = VALUES(zoom_meeting_id), host_user_id = VALUES(host_user_id),
              join_url = VALUES(join_url), password = VALUES(password), slot_key = VALUES(slot_key),
              fingerprint = VALUES(fingerprint), state = VALUES(state), last_error = VALUES(last_error)""",
        m.__dict__,
    )


def with_zoom_meeting(db: Database, tenant_id: int, zoom_meeting_id: int) -> list[Meeting]:
    """Every row of the tenant sharing one Zoom meeting (a group session)."""
    rows = db.query(
        f"SELECT {_COLUMNS} FROM {{meetings}} WHERE tenant_id = %(t)s AND zoom_meeting_id = %(z)s ORDER BY appointment_id",
        {"t": tenant_id, "z": zoom_meeting_id},
    )
    return [Meeting.from_row(r) for r in rows]


def mark_deleted_on_zoom(db: Database, tenant_ids: list[int], zoom_meeting_id: int) -> list[Meeting]:
    """A person deleted the meeting on Zoom: flag the active rows of these tenants that carry it."""
    if not tenant_ids:
        return []
    params = {"z": zoom_meeting_id, **{f"t{i}": t for i, t in enumerate(tenant_ids)}}
    in_list = ", ".join(f"%(t{i})s" for i in range(len(tenant_ids)))
    rows = db.query(
        f"SELECT {_COLUMNS} FROM {{meetings}} WHERE zoom_meeting_id = %(z)s AND state = 'active' "
        f"AND tenant_id IN ({in_list})",
        params,
    )
    db.execute(
        f"UPDATE {{meetings}} SET state = 'deleted_on_zoom' WHERE zoom_meeting_id = %(z)s AND state = 'active' "
        f"AND tenant_id IN ({in_list})",
        params,
    )
    return [Meeting.from_row(r) for r in rows]


def counts(db: Database, tenant_id: int) -> dict[str, int]:
    """How many of the tenant's meeting rows are in each state."""
    rows = db.query(
        "SELECT state, COUNT(*) AS n FROM {meetings} WHERE tenant_id = %(t)s GROUP BY state", {"t": tenant_id}
    )
    found = {r["state"]: int(r["n"]) for r in rows}
    return {state: found.get(state, 0) for state in (ACTIVE, FAILED, DELETED_ON_ZOOM, DELETED)}
