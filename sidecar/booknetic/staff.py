"""Booknetic's staff members of a tenant (an existence check for the staff's Zoom user field)."""
from __future__ import annotations

from sidecar.database import Database


def staff_exists(db: Database, tenant_id: int, staff_id: int) -> bool:
    """Whether the tenant has this staff member."""
    return db.query_one(
        "SELECT 1 AS x FROM {staff} WHERE id = %(s)s AND tenant_id = %(t)s", {"s": staff_id, "t": tenant_id}
    ) is not None
