"""Tenant routes for the Zoom connection: status, OAuth connect, S2S credentials, disconnect, users, settings."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import connect, gating, zoom_settings

bp = Blueprint("tenant_zoom", __name__, url_prefix="/tenant/zoom")

STATUS_ENDPOINT = "v1.tenant_zoom.get_status"
_SETTINGS = ("enabled", "meeting_title", "meeting_agenda", "random_password")


@bp.before_request
def _gate():
    # The status answers without the plan capability (available: false), so the shim can hide the menu.
    if request.endpoint != STATUS_ENDPOINT:
        gating.require_zoom_plan(context.current(), tenant_id())


@bp.get("")
def get_status():
    return jsonify(connect.status(context.current(), tenant_id()))


@bp.delete("")
def disconnect():
    ctx, tid = context.current(), tenant_id()
    connect.disconnect(ctx, tid)
    return jsonify(connect.status(ctx, tid))


@bp.post("/connect")
def start_oauth():
    data = payload.json_object()
    payload.only_fields(data, ("return_url",))
    return_url = payload.field(data, "return_url", str, max_length=2048)
    url = connect.start_oauth(context.current(), tenant_id(), g.actor, return_url)
    return jsonify(authorize_url=url)


@bp.put("/credentials")
def put_credentials():
    data = payload.json_object()
    payload.only_fields(data, ("account_id", "client_id", "client_secret"))
    values = {name: payload.field(data, name, str, max_length=255) for name in ("account_id", "client_id",
                                                                              "client_secret")}
    ctx, tid = context.current(), tenant_id()
    connect.connect_s2s(ctx, tid, **values)
    return jsonify(connect.status(ctx, tid))


@bp.get("/users")
def get_users():
    return jsonify(users=connect.zoom_users(context.current(), tenant_id()))


@bp.get("/settings")
def get_settings():
    return jsonify(zoom_settings.tenant_view(context.current(), tenant_id()))


@bp.put("/settings")
def put_settings():
    data = payload.json_object()
    payload.only_fields(data, _SETTINGS)
    return jsonify(zoom_settings.save_tenant(
        context.current(), tenant_id(),
        enabled=payload.field(data, "enabled", bool, required=False),
        meeting_title=payload.field(data, "meeting_title", str, required=False, max_length=200),
        meeting_agenda=payload.field(data, "meeting_agenda", str, required=False, max_length=2000),
        random_password=payload.field(data, "random_password", bool, required=False),
    ))
