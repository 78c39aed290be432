"""A service's "Activate Zoom" toggle (the add-on's `services` / `activate_zoom` row); meetings follow it."""
from __future__ import annotations

import time

from sidecar import cross_table
from sidecar.booknetic import addon_data, service_rows
from sidecar.context import Context
from sidecar.errors import NotFound


def _require_service(ctx: Context, tenant_id: int, service_id: int) -> None:
    if not service_rows.service_exists(ctx.db, tenant_id, service_id):
        raise NotFound(f"service {service_id} not found", code="unknown_service")


def service_zoom(ctx: Context, tenant_id: int, service_id: int) -> bool:
    """Whether the tenant's service has "Activate Zoom" on.

    Raises:
        NotFound: the tenant has no such service.
    """
    _require_service(ctx, tenant_id, service_id)
    return addon_data.service_zoom_enabled(ctx.db, tenant_id, service_id)


def set_service_zoom(ctx: Context, tenant_id: int, service_id: int, enabled: bool) -> None:
    """Switch "Activate Zoom" on the tenant's service.

    Raises:
        NotFound: the tenant has no such service.
    """
    _require_service(ctx, tenant_id, service_id)
    addon_data.set_service_zoom_enabled(ctx.db, tenant_id, service_id, enabled)
    # Meetings follow the switch: the service's coming appointments get (or lose) theirs.
    cross_table.enqueue_upcoming(ctx.db, tenant_id, int(time.time()), service_id=service_id)
