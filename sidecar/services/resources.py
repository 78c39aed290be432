"""The Zoom fields on Booknetic's staff and services: staff -> Zoom user link, service "Activate Zoom"."""
from __future__ import annotations

from sidecar.booknetic import addon_data, staff
from sidecar.context import Context
from sidecar.errors import NotFound


def _require_service(ctx: Context, tenant_id: int, service_id: int) -> None:
    if not staff.service_exists(ctx.db, tenant_id, service_id):
        raise NotFound(f"service {service_id} not found", code="unknown_service")


def _require_staff(ctx: Context, tenant_id: int, staff_id: int) -> None:
    if not staff.staff_exists(ctx.db, tenant_id, staff_id):
        raise NotFound(f"staff {staff_id} not found", code="unknown_staff")


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


def staff_zoom_user(ctx: Context, tenant_id: int, staff_id: int) -> dict | None:
    """The Zoom user ({"id", "name"}) the tenant's staff member hosts as, or None.

    Raises:
        NotFound: the tenant has no such staff member.
    """
    _require_staff(ctx, tenant_id, staff_id)
    return addon_data.staff_zoom_user(ctx.db, tenant_id, staff_id)
