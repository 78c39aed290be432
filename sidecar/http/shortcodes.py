"""POST /v1/tenant/shortcodes/expand: the shim's workflow actions get the Zoom shortcodes filled in."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.errors import BadRequest
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import shortcodes

bp = Blueprint("shortcodes", __name__, url_prefix="/tenant")

MAX_TEXTS = 50


@bp.post("/shortcodes/expand")
def expand():
    data = payload.json_object()
    payload.only_fields(data, ("appointment_id", "channel", "audience", "texts"))
    appointment_id = payload.field(data, "appointment_id", int)
    if appointment_id <= 0:
        raise BadRequest("appointment_id must be a positive whole number", field="appointment_id")
    channel = payload.field(data, "channel", str, choices=shortcodes.CHANNELS)
    audience = payload.field(data, "audience", str, choices=shortcodes.AUDIENCES)
    texts = payload.field(data, "texts", list)
    if len(texts) > MAX_TEXTS or not all(isinstance(t, str) for t in texts):
        raise BadRequest(f"texts must be a list of at most {MAX_TEXTS} strings", field="texts")
    expanded = shortcodes.expand(context.current(), tenant_id(), appointment_id, channel, audience, texts)
    return jsonify(texts=expanded)
