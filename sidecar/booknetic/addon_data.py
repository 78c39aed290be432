"""The Zoom add-on's rows in {prefix}bkntc_data, kept true so Booknetic's own screens, join button and
START MEETING button keep working (booknetic.md section 3.2)."""
from __future__ import annotations

import json

from sidecar.database import Database

STAFF_ZOOM_USER = ("staff", "zoom_user")
SERVICE_ACTIVATE = ("services", "activate_zoom")
MEETING_DATA = ("appointments", "zoom_meeting_data")


def _get(db: Database, tenant_id: int, key: tuple[str, str], row_id: int) -> str | None:
    row = db.query_one(
        """SELECT data_value FROM {data} WHERE table_name = %(tn)s AND row_id = %(r)s AND data_key = %(k)s
           AND tenant_id = %(t)s ORDER BY id LIMIT 1""",
        {"tn": key[0], "r": row_id, "k": key[1], "t": tenant_id},
    )
    return row["data_value"] if row else None


def _set(db: Database, tenant_id: int, key: tuple[str, str], row_id: int, value: str) -> None:
    # Booknetic's setData has no unique key either: insert when there is no row (one statement for a new
    # one), else update the first.
    params = {"tn": key[0], "r": row_id, "k": key[1], "t": tenant_id, "v": value}
    inserted = db.execute(
        """INSERT INTO {data} (table_name, row_id, data_key, data_value, tenant_id)
           SELECT %(tn)s, %(r)s, %(k)s, %(v)s, %(t)s FROM DUAL WHERE NOT EXISTS (
             SELECT 1 FROM {data} WHERE table_name = %(tn)s AND row_id = %(r)s AND data_key = %(k)s
             AND tenant_id = %(t)s)""",
        params,
    )
    if not inserted:
        db.execute(
            """UPDATE {data} SET data_value = %(v)s WHERE table_name = %(tn)s AND row_id = %(r)s
               AND data_key = %(k)s AND tenant_id = %(t)s ORDER BY id LIMIT 1""",
            params,
        )


def _delete(db: Database, tenant_id: int, key: tuple[str, str], row_id: int) -> None:
    db.execute(
        """DELETE FROM {data} WHERE table_name = %(tn)s AND row_id = %(r)s AND data_key = %(k)s
           AND tenant_id = %(t)s""",
        {"tn": key[0], "r": row_id, "k": key[1], "t": tenant_id},
    )


def _json(value: str | None) -> dict | None:
    try:
        data = json.loads(value) if value else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def staff_zoom_user(db: Database, tenant_id: int, staff_id: int) -> dict | None:
    """{"id", "name"} of the staff member's Zoom user, or None when unlinked."""
    data = _json(_get(db, tenant_id, STAFF_ZOOM_USER, staff_id))
    return data if data and data.get("id") else None


def set_staff_zoom_user(db: Database, tenant_id: int, staff_id: int, user: dict | None) -> None:
    """Link the staff member to a Zoom user ({"id", "name"}), or unlink with None (the add-on's empty value)."""
    value = user if user else {"id": "", "name": ""}
    _set(db, tenant_id, STAFF_ZOOM_USER, staff_id, json.dumps({"id": value["id"], "name": value["name"]}))


def zoom_switches(db: Database, tenant_id: int, service_id: int, staff_id: int) -> tuple[bool, dict | None]:
    """service_zoom_enabled and staff_zoom_user in one read."""
    rows = db.query(
        """SELECT table_name, data_value FROM {data} WHERE tenant_id = %(t)s AND (
             (table_name = %(sv)s AND row_id = %(service)s AND data_key = %(svk)s) OR
             (table_name = %(st)s AND row_id = %(staff)s AND data_key = %(stk)s)) ORDER BY id""",
        {"t": tenant_id, "sv": SERVICE_ACTIVATE[0], "service": service_id, "svk": SERVICE_ACTIVATE[1],
         "st": STAFF_ZOOM_USER[0], "staff": staff_id, "stk": STAFF_ZOOM_USER[1]},
    )
    first = {}
    for r in rows:  # the first row of each, as _get reads it
        first.setdefault(r["table_name"], r["data_value"])
    user = _json(first.get(STAFF_ZOOM_USER[0]))
    return first.get(SERVICE_ACTIVATE[0]) == "1", (user if user and user.get("id") else None)


def service_zoom_enabled(db: Database, tenant_id: int, service_id: int) -> bool:
    """Whether "Activate Zoom" is on for the service."""
    return _get(db, tenant_id, SERVICE_ACTIVATE, service_id) == "1"


def set_service_zoom_enabled(db: Database, tenant_id: int, service_id: int, enabled: bool) -> None:
    """Switch "Activate Zoom" for the service."""
    _set(db, tenant_id, SERVICE_ACTIVATE, service_id, "1" if enabled else "0")


def meeting_data(db: Database, tenant_id: int, appointment_id: int) -> dict | None:
    """The add-on's {"id","join_url","start_url","password"} of an appointment, if any."""
    return _json(_get(db, tenant_id, MEETING_DATA, appointment_id))


def set_meeting_data(db: Database, tenant_id: int, appointment_id: int, data: dict) -> None:
    """Write the add-on's meeting row; start_url must be our stable host link, never Zoom's."""
    _set(db, tenant_id, MEETING_DATA, appointment_id, json.dumps(
        {"id": data["id"], "join_url": data["join_url"], "start_url": data["start_url"],
         "password": data.get("password") or ""}
    ))


def delete_meeting_data(db: Database, tenant_id: int, appointment_id: int) -> None:
    """Remove the add-on's meeting row of an appointment."""
    _delete(db, tenant_id, MEETING_DATA, appointment_id)
