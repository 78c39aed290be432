"""Platform admin routes: the Zoom method, OAuth app credentials and webhook secret (secrets write-only)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import require_platform
from sidecar.http.openapi import described
from sidecar.services import alerts, zoom_settings

bp = Blueprint("platform", __name__, url_prefix="/platform")


@bp.before_request
def _platform_only():
    require_platform()


@bp.get("/zoom")
@described("The platform's Zoom settings (no secret: whether each is set)", answers={200: schemas.PlatformSettings})
def get_zoom():
    return jsonify(zoom_settings.platform_view(context.current()))


@bp.put("/zoom")
@described("Save the platform's method, OAuth app credentials and webhook secret token",
           body=schemas.PlatformSettingsChange, answers={200: schemas.PlatformSettings})
def put_zoom(body: schemas.PlatformSettingsChange):
    changes = {name: getattr(body, name) for name in ("enabled", "method", "client_secret", "webhook_secret_token")}
    if "client_id" in body.model_fields_set:
        changes["client_id"] = body.client_id
    return jsonify(zoom_settings.save_platform(context.current(), **changes))


@bp.post("/zoom/alerts/claim")
@described("The shim's cron: the tenants' undelivered failure alerts, handed over once",
           body=schemas.AlertsClaim, answers={200: schemas.Alerts})
def claim_alerts(body: schemas.AlertsClaim):
    return jsonify(alerts=alerts.claim(context.current()))
