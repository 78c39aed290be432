"""The OAuth callback, forwarded by the shim from the WordPress redirect URI (tenant `platform`)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import PLATFORM
from sidecar.services import connect

bp = Blueprint("oauth", __name__, url_prefix="/oauth")


@bp.post("/callback")
def callback():
    data = payload.json_object()
    payload.only_fields(data, ("code", "state"))
    code = payload.field(data, "code", str, max_length=2048)
    state = payload.field(data, "state", str, max_length=256)
    # The tenant comes from the state; a tenant-signed callback must name the same tenant.
    signed_tenant = None if g.tenant == PLATFORM else int(g.tenant)
    return jsonify(connect.finish_oauth(context.current(), code, state, g.actor, signed_tenant))
