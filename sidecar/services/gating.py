"""Who may use Zoom: the tenant's plan capability."""
from __future__ import annotations

from sidecar.booknetic import tenants
from sidecar.context import Context
from sidecar.errors import Forbidden, NotFound


def plan_allows_zoom(ctx: Context, tenant_id: int) -> bool:
    """Whether the tenant's (effective) plan has the zoom capability."""
    return tenants.can(tenants.get(ctx.db, tenant_id), "zoom")


def require_zoom_plan(ctx: Context, tenant_id: int) -> None:
    """Refuse tenant calls for tenants without the zoom capability.

    Raises:
        NotFound: no such tenant.
        Forbidden: plan_lacks_zoom.
    """
    tenant = tenants.get(ctx.db, tenant_id)
    if tenant is None:
        raise NotFound(f"tenant {tenant_id} does not exist", code="unknown_tenant")
    if not tenants.can(tenant, "zoom"):
        raise Forbidden("your plan does not include Zoom; ask your platform admin to enable the zoom capability",
                        code="plan_lacks_zoom")
