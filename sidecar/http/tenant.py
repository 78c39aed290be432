"""Tenant routes for the Zoom connection: status, OAuth connect, S2S credentials, disconnect, users, settings."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import connect, gating, zoom_settings

bp = Blueprint("tenant_zoom", __name__, url_prefix="/tenant/zoom")

STATUS_ENDPOINT = "v1.tenant_zoom.get_status"
# Each tenant setting, its JSON type and its limits.
_SETTINGS = {
    "enabled": (bool, {}), "meeting_title": (str, {"max_length": 200}), "meeting_agenda": (str, {"max_length": 2000}),
    "random_password": (bool, {}), "use_host_defaults": (bool, {}), "waiting_room": (bool, {}),
    "join_before_host": (bool, {}), "mute_upon_entry": (bool, {}),
    "auto_recording": (str, {"choices": zoom_settings.RECORDINGS}),
    "meetings_for": (str, {"choices": zoom_settings.MEETINGS_FOR}),
}


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
    payload.only_fields(data, tuple(_SETTINGS))
    changes = {name: payload.field(data, name, kind, required=False, **limits)
               for name, (kind, limits) in _SETTINGS.items()}
    return jsonify(zoom_settings.save_tenant(context.current(), tenant_id(), changes))
