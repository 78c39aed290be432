"""Platform admin routes: the Zoom method, OAuth app credentials and webhook secret (secrets write-only)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import require_platform
from sidecar.services import connect
from sidecar.store import settings

bp = Blueprint("platform", __name__, url_prefix="/platform")

_FIELDS = ("enabled", "method", "client_id", "client_secret", "webhook_secret_token")


@bp.before_request
def _platform_only():
    require_platform()


def _view(ctx) -> dict:
    s = settings.platform(ctx.db, ctx.crypto)
    return {"enabled": s.enabled, "method": s.method, "client_id": s.client_id,
            "client_secret_set": bool(s.client_secret), "webhook_secret_token_set": bool(s.webhook_secret_token),
            "redirect_uri": connect.redirect_uri(ctx), "webhook_url": connect.webhook_url(ctx)}


@bp.get("/zoom")
def get_zoom():
    return jsonify(_view(context.current()))


@bp.put("/zoom")
def put_zoom():
    ctx = context.current()
    data = payload.json_object()
    payload.only_fields(data, _FIELDS)
    current = settings.platform(ctx.db, ctx.crypto)
    enabled = payload.field(data, "enabled", bool, required=False)
    method = payload.field(data, "method", str, required=False, choices=("oauth", "s2s"))
    client_id = payload.field(data, "client_id", str, required=False, nullable=True, max_length=255)
    # Omitted secrets stay as they are; the admin screen never shows them, so it cannot send them back.
    settings.save_platform(
        ctx.db, ctx.crypto,
        enabled=current.enabled if enabled is None else enabled,
        method=method or current.method,
        client_id=(client_id or None) if "client_id" in data else current.client_id,
        client_secret=payload.field(data, "client_secret", str, required=False, max_length=255) or None,
        webhook_secret_token=payload.field(data, "webhook_secret_token", str, required=False,
                                           max_length=255) or None,
    )
    return jsonify(_view(ctx))
