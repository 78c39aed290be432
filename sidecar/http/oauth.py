"""The OAuth callback, forwarded by the shim from the WordPress redirect URI (tenant `platform`)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import PLATFORM
from sidecar.http.openapi import described
from sidecar.services import connect

bp = Blueprint("oauth", __name__, url_prefix="/oauth")


@bp.post("/callback")
@described("Finish an OAuth connection: code and state from the redirect URI (signed as platform)",
           body=schemas.OAuthCallback, answers={200: schemas.OAuthConnected}, errors=(409, 422, 502))
def callback(body: schemas.OAuthCallback):
    # The tenant comes from the state; a tenant-signed callback must name the same tenant.
    signed_tenant = None if g.tenant == PLATFORM else int(g.tenant)
    return jsonify(connect.finish_oauth(context.current(), body.code, body.state, g.actor, signed_tenant))
