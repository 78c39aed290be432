"""Tenant routes for the Zoom fields of staff and services."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import gating, service_toggles, staff_links

bp = Blueprint("zoom_fields", __name__, url_prefix="/tenant")


@bp.before_request
def _gate():
    gating.require_zoom_plan(context.current(), tenant_id())


@bp.get("/services/<int:service_id>/zoom")
def get_service_zoom(service_id: int):
    enabled = service_toggles.service_zoom(context.current(), tenant_id(), service_id)
    return jsonify(service_id=service_id, enabled=enabled)


@bp.put("/services/<int:service_id>/zoom")
def put_service_zoom(service_id: int):
    data = payload.json_object()
    payload.only_fields(data, ("enabled",))
    enabled = payload.field(data, "enabled", bool)
    service_toggles.set_service_zoom(context.current(), tenant_id(), service_id, enabled)
    return jsonify(service_id=service_id, enabled=enabled)


@bp.get("/staff/<int:staff_id>/zoom-user")
def get_staff_zoom_user(staff_id: int):
    user = staff_links.staff_zoom_user(context.current(), tenant_id(), staff_id)
    return jsonify(staff_id=staff_id, zoom_user=user)


@bp.put("/staff/<int:staff_id>/zoom-user")
def put_staff_zoom_user(staff_id: int):
    data = payload.json_object()
    payload.only_fields(data, ("zoom_user_id",))
    zoom_user_id = payload.field(data, "zoom_user_id", str, nullable=True, max_length=255)
    user, warning = staff_links.set_staff_zoom_user(context.current(), tenant_id(), staff_id, zoom_user_id or None)
    return jsonify(staff_id=staff_id, zoom_user=user, warning=warning)
