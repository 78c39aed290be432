"""Take over an install of Booknetic's own Zoom add-on: its settings and tokens move into our encrypted
tables, so no tenant has to connect again (`booknetic-zoom import-addon`)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

from sidecar.booknetic import addon_options
from sidecar.context import Context
from sidecar.errors import DomainError
from sidecar.services.tokens import TenantTokens
from sidecar.store import connections, settings
from sidecar.store.connections import StoredConnection
from sidecar.zoom import ZoomError

log = logging.getLogger("sidecar.import")


@dataclass
class ImportReport:
    platform: str = "absent"  # absent | imported | kept (ours was already set up)
    tenants: dict[int, list[str]] = field(default_factory=dict)  # tenant id -> what was done
    purged_options: int = 0


def _connection(t: addon_options.AddonTenant, platform_client_id: str | None) -> StoredConnection | None:
    data = t.user_data or {}
    expires = data.get("expires_in")
    expires_at = datetime.fromtimestamp(expires, timezone.utc) if isinstance(expires, int) else None
    if t.s2s_account_id and t.s2s_client_id and t.s2s_client_secret:
        return StoredConnection(
            tenant_id=t.tenant_id, method=connections.S2S, status=connections.CONNECTED,
            zoom_account_id=t.s2s_account_id, zoom_user_id=None, zoom_user_email=None,
            client_id=t.s2s_client_id, client_secret=t.s2s_client_secret,
            access_token=data.get("access_token"), access_expires_at=expires_at,
        )
    if data.get("refresh_token"):
        return StoredConnection(
            tenant_id=t.tenant_id, method=connections.OAUTH, status=connections.CONNECTED,
            zoom_account_id=None, zoom_user_id=None, zoom_user_email=data.get("user_email") or None,
            client_id=platform_client_id, access_token=data.get("access_token"), access_expires_at=expires_at,
            refresh_token=data["refresh_token"],
        )
    return None


def import_addon(ctx: Context, *, dry_run: bool, purge_plaintext: bool,
                 progress: Callable[[str], None] = lambda _: None) -> ImportReport:
    """Copy the add-on's platform and tenant settings and connections that we do not have yet."""
    report = ImportReport()
    db, crypto = ctx.db, ctx.crypto
    addon_platform = addon_options.platform(db)
    ours = settings.platform(db, crypto)
    if addon_platform is not None:
        report.platform = "kept" if ours.client_id else "imported"
        if report.platform == "imported" and not dry_run:
            settings.save_platform(db, crypto, enabled=addon_platform.enabled, method=addon_platform.method,
                                   client_id=addon_platform.client_id, client_secret=addon_platform.client_secret,
                                   webhook_secret_token=None)
    platform_client_id = ours.client_id or (addon_platform.client_id if addon_platform else None)
    tenants = addon_options.tenants(db)
    for done, t in enumerate(tenants, 1):
        actions = report.tenants.setdefault(t.tenant_id, [])
        if not settings.tenant_has_row(db, t.tenant_id):
            actions.append("settings")
            if not dry_run:
                defaults = settings.tenant(db, t.tenant_id)
                settings.save_tenant(db, t.tenant_id, settings.TenantSettings(
                    enabled=t.enabled, meeting_title=t.meeting_title or defaults.meeting_title,
                    meeting_agenda=t.meeting_agenda or defaults.meeting_agenda, random_password=t.random_password))
        conn = _connection(t, platform_client_id)
        if conn is not None and connections.get(db, crypto, t.tenant_id) is None:
            actions.append(f"{conn.method} connection")
            if not dry_run:
                connections.save(db, crypto, conn)
                _record_zoom_identity(ctx, t.tenant_id, conn)
        progress(f"tenant {t.tenant_id}: {', '.join(actions) or 'nothing new'} ({done}/{len(tenants)})")
    if purge_plaintext and not dry_run:
        report.purged_options = addon_options.purge_secrets(db, [t.tenant_id for t in tenants])
    return report


def _record_zoom_identity(ctx: Context, tenant_id: int, conn: StoredConnection) -> None:
    """Learn the Zoom account and user behind an imported OAuth grant, so deauthorization finds it."""
    if conn.method != connections.OAUTH:
        return
    try:
        me = ctx.zoom.api.me(TenantTokens(ctx, tenant_id))
    except (ZoomError, DomainError) as exc:  # best effort: the grant stays imported either way
        log.warning("import_identity_unknown", extra={"tenant": tenant_id, "error": type(exc).__name__})
        return
    with ctx.db.transaction() as db:
        current = connections.get(db, ctx.crypto, tenant_id, for_update=True)
        if current is not None:
            connections.save(db, ctx.crypto, replace(current, zoom_account_id=me.get("account_id"),
                                                     zoom_user_id=me.get("id"),
                                                     zoom_user_email=me.get("email") or current.zoom_user_email))
