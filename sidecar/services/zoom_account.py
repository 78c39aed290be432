"""What the tenant sees of its Zoom account: the status screen and the account's users (the staff dropdown)."""
from __future__ import annotations

from sidecar.context import Context
from sidecar.errors import ZoomRefused
from sidecar.services import gating, licences
from sidecar.services.tokens import TenantTokens
from sidecar.store import connections, jobs, meetings, settings
from sidecar.zoom import ZoomError, ZoomRateLimited, ZoomUnavailable


def zoom_users(ctx: Context, tenant_id: int) -> list[dict]:
    """Every active user of the tenant's connected Zoom account (all pages), for the staff dropdown.

    Raises:
        NotConnected, NeedsReconnect, ZoomUnavailable, ZoomRefused.
    """
    tokens = TenantTokens(ctx, tenant_id)
    try:
        found = ctx.zoom.api.list_users(tokens)
    except (ZoomUnavailable, ZoomRateLimited):
        raise  # Zoom is down: the caller hears so, not that Zoom refused
    except ZoomError as exc:
        raise ZoomRefused(f"Zoom refused to list the account's users ({exc.code or exc.status})") from None
    keys = ("id", "email", "first_name", "last_name", "display_name", "status", "type")
    # Users who have not accepted their invitation have no id yet and cannot host.
    users = [{**{k: u.get(k) for k in keys}, "licence": licences.licence_name(u.get("type"))}
             for u in found if u.get("id")]
    licences.remember_types(ctx, tenant_id, users)  # the tenant status counts Basic hosts without asking Zoom
    return users


def status(ctx: Context, tenant_id: int) -> dict:
    """The tenant's Zoom screen: plan, platform method, connection and counts (SPEC section 4)."""
    c = connections.get(ctx.db, ctx.crypto, tenant_id)
    counts = meetings.counts(ctx.db, tenant_id)
    return {
        "available": gating.plan_allows_zoom(ctx, tenant_id),
        "method": settings.platform(ctx.db, ctx.crypto).method,
        "connected_method": c.method if c else None,
        "connected": c is not None and c.status == connections.CONNECTED,
        "needs_reconnect": c is not None and c.status == connections.NEEDS_RECONNECT,
        "account_email": c.zoom_user_email if c else None,
        "account_id": c.zoom_account_id if c else None,
        "meetings": {"active": counts["active"], "failed": counts["failed"],
                     "longer_than_basic_limit": licences.cut_short(ctx, tenant_id)},
        "queued": jobs.stats(ctx.db, tenant_id).queued,
    }

