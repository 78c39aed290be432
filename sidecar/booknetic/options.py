"""WordPress options we read: the site timezone (the Zoom add-on's own keys are read in addon_options.py)."""
from __future__ import annotations

from sidecar.database import Database


def get(db: Database, name: str) -> str | None:
    """The raw option_value of an option, or None."""
    row = db.query_one("SELECT option_value FROM {options} WHERE option_name = %(n)s", {"n": name})
    return row["option_value"] if row else None


def site_timezone(db: Database) -> str:
    """The WordPress site timezone (IANA name), UTC when empty or an offset-only setting."""
    tz = (get(db, "timezone_string") or "").strip()
    return tz or "UTC"
