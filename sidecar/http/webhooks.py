"""Zoom's webhooks, relayed byte for byte by the shim (signed as `platform`) with Zoom's x-zm-* headers."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from sidecar import context
from sidecar.http.auth import require_platform
from sidecar.services import webhooks

bp = Blueprint("webhooks", __name__, url_prefix="/zoom")


@bp.post("/webhook")
def webhook():
    require_platform()
    ctx = context.current()
    event = webhooks.verify(ctx, request.get_data(cache=True), request.headers.get("x-zm-request-timestamp", ""),
                            request.headers.get("x-zm-signature", ""))
    return jsonify(webhooks.handle(ctx, event))
