"""Tenant routes for the Zoom connection: status, OAuth connect, S2S credentials, disconnect, users, settings."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import tenant_id
from sidecar.http.openapi import described
from sidecar.services import connect, gating, zoom_account, zoom_settings

bp = Blueprint("tenant_zoom", __name__, url_prefix="/tenant/zoom")

STATUS_ENDPOINT = "v1.tenant_zoom.get_status"


@bp.before_request
def _gate():
    # The status answers without the plan capability (available: false), so the shim can hide the menu.
    if request.endpoint != STATUS_ENDPOINT:
        gating.require_zoom_plan(context.current(), tenant_id())


@bp.get("")
@described("The tenant's Zoom status (answers without the plan capability: available false)",
           answers={200: schemas.TenantStatus})
def get_status():
    return jsonify(zoom_account.status(context.current(), tenant_id()))


@bp.delete("")
@described("Disconnect: revoke (OAuth, best effort) and forget the secrets; meetings stay",
           answers={200: schemas.TenantStatus})
def disconnect():
    ctx, tid = context.current(), tenant_id()
    connect.disconnect(ctx, tid)
    return jsonify(zoom_account.status(ctx, tid))


@bp.post("/connect")
@described("Start an OAuth connection: the authorize URL with a one-time state", body=schemas.ConnectRequest,
           answers={200: schemas.AuthorizeUrl}, errors=(409,))
def start_oauth(body: schemas.ConnectRequest):
    url = connect.start_oauth(context.current(), tenant_id(), g.actor, body.return_url)
    return jsonify(authorize_url=url)


@bp.put("/credentials")
@described("Connect with Server-to-Server credentials, checked with Zoom before they are saved",
           body=schemas.S2SCredentials, answers={200: schemas.TenantStatus}, errors=(409, 422, 502))
def put_credentials(body: schemas.S2SCredentials):
    ctx, tid = context.current(), tenant_id()
    connect.connect_s2s(ctx, tid, **body.model_dump())
    return jsonify(zoom_account.status(ctx, tid))


@bp.get("/users")
@described("Every user of the connected Zoom account, for the staff dropdown", answers={200: schemas.ZoomUsers},
           errors=(409, 502))
def get_users():
    return jsonify(users=zoom_account.zoom_users(context.current(), tenant_id()))


@bp.get("/settings")
@described("The tenant's meeting settings", answers={200: schemas.TenantSettings})
def get_settings():
    return jsonify(zoom_settings.tenant_view(context.current(), tenant_id()))


@bp.put("/settings")
@described("Save the tenant's meeting settings (omitted fields keep their value)", body=schemas.TenantSettingsChange,
           answers={200: schemas.TenantSettings})
def put_settings(body: schemas.TenantSettingsChange):
    return jsonify(zoom_settings.save_tenant(context.current(), tenant_id(), body.model_dump()))
