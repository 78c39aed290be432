"""GET /metrics for Prometheus: no auth, like /healthz (no secrets, ids or personal data in it); the
sidecar's bind and firewall decide who may read it (README "Operations")."""
from __future__ import annotations

from flask import Blueprint, Response, request

from sidecar import context
from sidecar.http.openapi import Page, described
from sidecar.metrics import exposition

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
@described("Prometheus metrics, summed over gunicorn's workers (no auth; no id, secret or personal data)",
           answers={200: Page("the Prometheus text format (or OpenMetrics, when asked for)", "text/plain")})
def metrics():
    body, content_type = exposition.render(context.current().db, request.headers.get("Accept", ""))
    return Response(body, content_type=content_type)
