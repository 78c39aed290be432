"""POST /v1/tenant/shortcodes/expand: the shim's workflow actions get the Zoom shortcodes filled in."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import tenant_id
from sidecar.http.openapi import described
from sidecar.services import shortcodes

bp = Blueprint("shortcodes", __name__, url_prefix="/tenant")

@bp.post("/shortcodes/expand")
@described("Fill the Zoom shortcodes into a workflow action's texts", body=schemas.ExpandRequest,
           answers={200: schemas.ExpandedTexts})
def expand(body: schemas.ExpandRequest):
    expanded = shortcodes.expand(context.current(), tenant_id(), body.appointment_id, body.channel, body.audience,
                                 body.texts)
    return jsonify(texts=expanded)
