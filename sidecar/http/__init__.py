"""HTTP layer: blueprints that parse requests, call services and render JSON. No SQL here."""
from __future__ import annotations

import time

from flask import Blueprint, g

from sidecar.http.auth import verify_request


def _note_arrival() -> None:
    """When the request reached us: a caller's patience (the booking ping's timeout) counts from here."""
    g.arrived = time.monotonic()


def api_blueprint() -> Blueprint:
    """The signed /v1 API: every route below it passes the shim authentication first."""
    from sidecar.http import appointments, links, oauth, platform, shortcodes, tenant, webhooks, zoom_fields

    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.before_request(_note_arrival)
    v1.before_request(verify_request)
    for child in (zoom_fields.bp, shortcodes.bp, links.bp, platform.bp, tenant.bp, oauth.bp, webhooks.bp,
                  appointments.bp):
        v1.register_blueprint(child)
    return v1
