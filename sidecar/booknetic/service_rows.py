"""Booknetic's services table (named so: `sidecar/services/` is our rules layer)."""
from __future__ import annotations

from sidecar.database import Database


def service_exists(db: Database, tenant_id: int, service_id: int) -> bool:
    """Whether the tenant has this service."""
    return db.query_one(
        "SELECT 1 AS x FROM {services} WHERE id = %(s)s AND tenant_id = %(t)s", {"s": service_id, "t": tenant_id}
    ) is not None
