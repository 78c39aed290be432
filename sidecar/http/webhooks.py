"""Zoom's webhooks, relayed byte for byte by the shim (signed as `platform`) with Zoom's x-zm-* headers."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import require_platform
from sidecar.http.openapi import described
from sidecar.services import webhooks

bp = Blueprint("webhooks", __name__, url_prefix="/zoom")


@bp.post("/webhook")
@described("A Zoom event relayed byte for byte (signed as platform); Zoom's own signature covers the raw body",
           body=schemas.ZoomEvent, answers={200: schemas.WebhookAnswer},
           headers={"x-zm-request-timestamp": "Zoom's, unix seconds", "x-zm-signature": "Zoom's v0=<hex>"})
def webhook(body: schemas.ZoomEvent):
    """`body` is only the envelope's check; the service verifies and reads the raw bytes Zoom signed."""
    require_platform()
    ctx = context.current()
    event = webhooks.verify(ctx, request.get_data(cache=True), request.headers.get("x-zm-request-timestamp", ""),
                            request.headers.get("x-zm-signature", ""))
    return jsonify(webhooks.handle(ctx, event))
