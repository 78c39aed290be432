"""Tenant routes for the Zoom fields of staff and services."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import tenant_id
from sidecar.http.openapi import described
from sidecar.services import gating, service_toggles, staff_links

bp = Blueprint("zoom_fields", __name__, url_prefix="/tenant")


@bp.before_request
def _gate():
    gating.require_zoom_plan(context.current(), tenant_id())


@bp.get("/services/<id:service_id>/zoom")
@described("A service's \"Activate Zoom\"", answers={200: schemas.ServiceZoom})
def get_service_zoom(service_id: int):
    enabled = service_toggles.service_zoom(context.current(), tenant_id(), service_id)
    return jsonify(service_id=service_id, enabled=enabled)


@bp.put("/services/<id:service_id>/zoom")
@described("Switch a service's \"Activate Zoom\"", body=schemas.ServiceZoomChange, answers={200: schemas.ServiceZoom})
def put_service_zoom(service_id: int, body: schemas.ServiceZoomChange):
    service_toggles.set_service_zoom(context.current(), tenant_id(), service_id, body.enabled)
    return jsonify(service_id=service_id, enabled=body.enabled)


@bp.get("/staff/<id:staff_id>/zoom-user")
@described("A staff member's Zoom user", answers={200: schemas.StaffZoomUser})
def get_staff_zoom_user(staff_id: int):
    user = staff_links.staff_zoom_user(context.current(), tenant_id(), staff_id)
    return jsonify(staff_id=staff_id, zoom_user=user)


@bp.put("/staff/<id:staff_id>/zoom-user")
@described("Link a staff member to a user of the connected account, or unlink (null); a Basic user comes with a warning",
           body=schemas.StaffZoomUserChange, answers={200: schemas.StaffZoomUser}, errors=(409, 422, 502))
def put_staff_zoom_user(staff_id: int, body: schemas.StaffZoomUserChange):
    user, warning = staff_links.set_staff_zoom_user(context.current(), tenant_id(), staff_id, body.zoom_user_id or None)
    return jsonify(staff_id=staff_id, zoom_user=user, warning=warning)
