"""One row per appointment that has (or had) a Zoom meeting; group siblings share the Zoom meeting id.

Zoom's start_url is never stored: it expires (stable host links fetch a fresh one). A row is "live"
while Zoom holds its meeting as far as we know (state active, or failed after the meeting was made).
A create whose answer may be lost is recorded first (pending_*), so it is looked up, never repeated."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sidecar.database import Database, in_list

ACTIVE, DELETED, DELETED_ON_ZOOM, FAILED = "active", "deleted", "deleted_on_zoom", "failed"
LIVE_STATES = (ACTIVE, FAILED)


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
    pending_marker: str | None = None
    pending_host: str | None = None
    pending_slot: str | None = None
    pending_at: datetime | None = None  # naive UTC

    @classmethod
    def from_row(cls, row: dict) -> "Meeting":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})

    @property
    def live(self) -> bool:
        """Whether Zoom holds this row's meeting as far as we know."""
        return self.zoom_meeting_id is not None and self.state in LIVE_STATES


_COLUMNS = ("tenant_id, appointment_id, zoom_meeting_id, host_user_id, join_url, password, slot_key, fingerprint, "
            "state, last_error, pending_marker, pending_host, pending_slot, pending_at")
_LIVE = "zoom_meeting_id IS NOT NULL AND state IN ('active', 'failed')"


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
              %(host_user_id)s, %(join_url)s, %(password)s, %(slot_key)s, %(fingerprint)s, %(state)s, %(last_error)s,
              %(pending_marker)s, %(pending_host)s, %(pending_slot)s, %(pending_at)s)
            ON DUPLICATE KEY UPDATE zoom_meeting_id = VALUES(zoom_meeting_id), host_user_id = VALUES(host_user_id),
              join_url = VALUES(join_url), password = VALUES(password), slot_key = VALUES(slot_key),
              fingerprint = VALUES(fingerprint), state = VALUES(state), last_error = VALUES(last_error),
              pending_marker = VALUES(pending_marker), pending_host = VALUES(pending_host),
              pending_slot = VALUES(pending_slot), pending_at = VALUES(pending_at)""",
        m.__dict__,
    )


def without_meeting(tenant_id: int, appointment_id: int) -> Meeting:
    """A row for an appointment that has no meeting yet (state deleted: nothing live on Zoom)."""
    return Meeting(tenant_id, appointment_id, None, None, None, None, None, None, DELETED, None)


def around(db: Database, tenant_id: int, appointment_id: int,
           slot_keys: list[str]) -> tuple[Meeting | None, list[Meeting]]:
    """The appointment's row, and the rows synced for, or with a pending create for, any of these group
    sessions (oldest appointment first), in one query."""
    placeholders, keys = in_list("s", slot_keys or [None])
    rows = [Meeting.from_row(r) for r in db.query(
        f"""SELECT {_COLUMNS} FROM {{meetings}} WHERE tenant_id = %(t)s
            AND (appointment_id = %(a)s OR slot_key IN ({placeholders}) OR pending_slot IN ({placeholders}))
            ORDER BY appointment_id""",
        {"t": tenant_id, "a": appointment_id, **keys},
    )]
    return next((m for m in rows if m.appointment_id == appointment_id), None), of_slots(rows, slot_keys)


def of_slots(rows: list[Meeting], slot_keys: list[str]) -> list[Meeting]:
    """The rows synced for, or with a pending create for, any of these group sessions (order kept)."""
    wanted = set(slot_keys)
    return [m for m in rows if m.slot_key in wanted or m.pending_slot in wanted]


def live_sharing(db: Database, tenant_id: int, zoom_meeting_id: int) -> list[Meeting]:
    """The live rows that carry one Zoom meeting."""
    rows = db.query(
        f"""SELECT {_COLUMNS} FROM {{meetings}} WHERE tenant_id = %(t)s AND zoom_meeting_id = %(z)s AND {_LIVE}
            ORDER BY appointment_id""",
        {"t": tenant_id, "z": zoom_meeting_id},
    )
    return [Meeting.from_row(r) for r in rows]


def set_pending(db: Database, tenant_id: int, appointment_id: int, marker: str, host: str, slot_key: str) -> None:
    """Record, before the POST, that a meeting carrying `marker` may be created for this slot."""
    db.execute(
        """INSERT INTO {meetings} (tenant_id, appointment_id, state, pending_marker, pending_host, pending_slot,
                                   pending_at)
           VALUES (%(t)s, %(a)s, 'deleted', %(m)s, %(h)s, %(s)s, UTC_TIMESTAMP(6))
           ON DUPLICATE KEY UPDATE pending_marker = VALUES(pending_marker), pending_host = VALUES(pending_host),
             pending_slot = VALUES(pending_slot), pending_at = VALUES(pending_at)""",
        {"t": tenant_id, "a": appointment_id, "m": marker, "h": host, "s": slot_key},
    )


def clear_pending(db: Database, tenant_id: int, appointment_id: int) -> None:
    """The pending create was settled (made and recorded, or provably not made)."""
    params = {"t": tenant_id, "a": appointment_id}
    # A row made only to hold the marker goes again: the appointment never had a meeting.
    if db.execute("""DELETE FROM {meetings} WHERE tenant_id = %(t)s AND appointment_id = %(a)s
                      AND zoom_meeting_id IS NULL AND state = 'deleted' AND last_error IS NULL""", params):
        return
    db.execute(
        """UPDATE {meetings} SET pending_marker = NULL, pending_host = NULL, pending_slot = NULL, pending_at = NULL
           WHERE tenant_id = %(t)s AND appointment_id = %(a)s""",
        params,
    )


def set_fingerprint(db: Database, tenant_id: int, zoom_meeting_id: int, fingerprint: str) -> None:
    """Zoom now has this start, duration, topic and timezone for the meeting: note it on every live row."""
    db.execute(
        f"""UPDATE {{meetings}} SET fingerprint = %(f)s
            WHERE tenant_id = %(t)s AND zoom_meeting_id = %(z)s AND {_LIVE}""",
        {"t": tenant_id, "z": zoom_meeting_id, "f": fingerprint},
    )


def set_state(db: Database, tenant_id: int, appointment_id: int, state: str, error: str | None = None) -> None:
    """Change a row's state (and last error), keeping what it knows of its meeting."""
    db.execute(
        """UPDATE {meetings} SET state = %(s)s, last_error = %(e)s WHERE tenant_id = %(t)s AND appointment_id = %(a)s""",
        {"t": tenant_id, "a": appointment_id, "s": state, "e": error},
    )


def record_failure(db: Database, tenant_id: int, appointment_id: int, error: str) -> None:
    """The sync gave up: state failed with the reason (a row is made if there was none)."""
    row = get(db, tenant_id, appointment_id) or without_meeting(tenant_id, appointment_id)
    save(db, replace(row, state=FAILED, last_error=error[:2000]))


def mark_deleted_on_zoom(db: Database, tenant_ids: list[int], zoom_meeting_id: int) -> list[Meeting]:
    """A person deleted the meeting on Zoom: flag the active rows of these tenants that carry it."""
    if not tenant_ids:
        return []
    placeholders, tenants = in_list("t", tenant_ids)
    params = {"z": zoom_meeting_id, **tenants}
    rows = db.query(
        f"SELECT {_COLUMNS} FROM {{meetings}} WHERE zoom_meeting_id = %(z)s AND state = 'active' "
        f"AND tenant_id IN ({placeholders})",
        params,
    )
    db.execute(
        f"UPDATE {{meetings}} SET state = 'deleted_on_zoom' WHERE zoom_meeting_id = %(z)s AND state = 'active' "
        f"AND tenant_id IN ({placeholders})",
        params,
    )
    return [Meeting.from_row(r) for r in rows]


def known_to_zoom(db: Database, tenant_id: int) -> tuple[set[int], set[str], set[str]]:
    """What our rows know of the tenant's meetings: ids rows point to (a deleted row's too: its meeting is
    gone, carried by other rows, or kept by Zoom because it was held), markers of creates in flight, and
    every host user a row names."""
    rows = db.query(
        """SELECT zoom_meeting_id, state, pending_marker, host_user_id, pending_host FROM {meetings}
           WHERE tenant_id = %(t)s AND (state <> 'deleted' OR pending_marker IS NOT NULL OR host_user_id IS NOT NULL)""",
        {"t": tenant_id},
    )
    ids = {r["zoom_meeting_id"] for r in rows if r["zoom_meeting_id"] is not None}
    markers = {r["pending_marker"] for r in rows if r["pending_marker"]}
    hosts = {h for r in rows for h in (r["host_user_id"], r["pending_host"]) if h}
    return ids, markers, hosts


def counts(db: Database, tenant_id: int) -> dict[str, int]:
    """How many of the tenant's meeting rows are in each state."""
    rows = db.query(
        "SELECT state, COUNT(*) AS n FROM {meetings} WHERE tenant_id = %(t)s GROUP BY state", {"t": tenant_id}
    )
    found = {r["state"]: int(r["n"]) for r in rows}
    return {state: found.get(state, 0) for state in (ACTIVE, FAILED, DELETED_ON_ZOOM, DELETED)}
