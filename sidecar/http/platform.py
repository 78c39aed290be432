"""Platform admin routes: the Zoom method, OAuth app credentials and webhook secret (secrets write-only)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import require_platform
from sidecar.services import alerts, zoom_settings

bp = Blueprint("platform", __name__, url_prefix="/platform")

_FIELDS = ("enabled", "method", "client_id", "client_secret", "webhook_secret_token")


@bp.before_request
def _platform_only():
    require_platform()


@bp.get("/zoom")
def get_zoom():
    return jsonify(zoom_settings.platform_view(context.current()))


@bp.put("/zoom")
def put_zoom():
    data = payload.json_object()
    payload.only_fields(data, _FIELDS)
    changes = {
        "enabled": payload.field(data, "enabled", bool, required=False),
        "method": payload.field(data, "method", str, required=False, choices=("oauth", "s2s")),
        "client_secret": payload.field(data, "client_secret", str, required=False, max_length=255),
        "webhook_secret_token": payload.field(data, "webhook_secret_token", str, required=False, max_length=255),
    }
    if "client_id" in data:
        changes["client_id"] = payload.field(data, "client_id", str, nullable=True, max_length=255)
    return jsonify(zoom_settings.save_platform(context.current(), **changes))


@bp.post("/zoom/alerts/claim")
def claim_alerts():
    """The shim's cron: the tenants' undelivered failure alerts, handed over once."""
    payload.only_fields(payload.json_object(), ())
    return jsonify(alerts=alerts.claim(context.current()))
