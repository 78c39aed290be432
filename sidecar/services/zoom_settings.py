"""The platform's and each tenant's Zoom settings: partial updates, write-only secrets."""
from __future__ import annotations

import time
from dataclasses import asdict, replace

from sidecar import cross_table
from sidecar.context import Context
from sidecar.errors import BadRequest
from sidecar.services import public_urls
from sidecar.store import settings

_KEEP = object()  # a field the caller did not send: keep the stored value


def platform_view(ctx: Context) -> dict:
    """What the platform admin's screen shows: no secret, only whether each is set, and the URLs to paste."""
    s = settings.platform(ctx.db, ctx.crypto)
    return {"enabled": s.enabled, "method": s.method, "client_id": s.client_id,
            "client_secret_set": bool(s.client_secret), "webhook_secret_token_set": bool(s.webhook_secret_token),
            "redirect_uri": public_urls.oauth_redirect_uri(ctx), "webhook_url": public_urls.webhook_url(ctx)}


def save_platform(ctx: Context, *, enabled: bool | None, method: str | None, client_id=_KEEP,
                  client_secret: str | None, webhook_secret_token: str | None) -> dict:
    """Change the given platform settings; None (or an omitted client_id) keeps what is stored."""
    current = settings.platform(ctx.db, ctx.crypto)
    settings.save_platform(
        ctx.db, ctx.crypto,
        enabled=current.enabled if enabled is None else enabled,
        method=method or current.method,
        client_id=current.client_id if client_id is _KEEP else (client_id or None),
        # Secrets are never shown, so a screen cannot send them back: omitted means unchanged.
        client_secret=client_secret or None,
        webhook_secret_token=webhook_secret_token or None,
    )
    return platform_view(ctx)


def tenant_view(ctx: Context, tenant_id: int) -> dict:
    """The tenant's Zoom settings: the add-on's, the meeting options and which bookings get meetings."""
    return asdict(settings.tenant(ctx.db, tenant_id))


def save_tenant(ctx: Context, tenant_id: int, changes: dict) -> dict:
    """Change the given tenant settings (names of TenantSettings; others keep what is stored).

    Switching which bookings get meetings queues a sync of every upcoming appointment of the tenant.
    Raises:
        BadRequest: an empty meeting title (Zoom needs a topic).
    """
    if changes.get("meeting_title") == "":
        raise BadRequest("meeting_title must not be empty", field="meeting_title")
    current = settings.tenant(ctx.db, tenant_id)
    wanted = replace(current, **{k: v for k, v in changes.items() if v is not None})
    settings.save_tenant(ctx.db, tenant_id, wanted)
    if wanted.meetings_for != current.meetings_for:
        # Pending bookings gain or lose their meetings now, not at their next change.
        cross_table.enqueue_upcoming(ctx.db, tenant_id, int(time.time()))
    return tenant_view(ctx, tenant_id)
