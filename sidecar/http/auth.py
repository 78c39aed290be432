"""Shim authentication (SPEC section 4): HMAC over timestamp, method, path+query, tenant, actor and body hash.

The tenant comes only from the signed X-BKZ-Tenant header. Public callers (OAuth callback, stable
links, Zoom webhooks) reach us through the shim with tenant `platform`; their tenant comes from a
value the sidecar itself signed.
"""
from __future__ import annotations

import re
import time
from urllib.parse import quote

from flask import current_app, g, request
from pydantic_core import from_json

from sidecar import context
from sidecar.errors import BadRequest, Forbidden, Unauthorized
from sidecar.http.ids import MAX_ID, MAX_WP_USER_ID, up_to
from sidecar.signing import WINDOW_SECONDS, signature, signature_matches, within_window
from sidecar.store import nonces

PLATFORM = "platform"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Whole ASCII values that fit their columns: "²".isdigit() is true but int("²") fails, and a tenant or
# user id beyond its column's range would reach MySQL as an out-of-range error.
_TENANT = re.compile(f"platform|{up_to(MAX_ID)}")
_ACTOR = re.compile(f"0|{up_to(MAX_WP_USER_ID)}")
_TIMESTAMP = re.compile("[0-9]{1,12}")


def request_path() -> str:
    """The path and query exactly as on the request line."""
    env = request.environ
    raw = env.get("RAW_URI") or env.get("REQUEST_URI")
    if raw:
        return raw
    path = quote(env.get("SCRIPT_NAME", "") + env.get("PATH_INFO", ""))
    qs = env.get("QUERY_STRING", "")
    return f"{path}?{qs}" if qs else path


def verify_request() -> None:
    """Check the signature headers of the current request and set g.tenant and g.actor.

    Raises:
        Unauthorized: missing/malformed headers, bad signature, stale timestamp, replayed nonce.
        Forbidden: a tenant id in the JSON body (the tenant comes only from the signed header).
    """
    h = request.headers
    ts, nonce = h.get("X-BKZ-Timestamp", ""), h.get("X-BKZ-Nonce", "")
    tenant, actor, sig = h.get("X-BKZ-Tenant", ""), h.get("X-BKZ-Actor", ""), h.get("X-BKZ-Signature", "")
    if not (ts and nonce and tenant and actor and sig):
        raise Unauthorized("missing X-BKZ-* authentication headers", code="unsigned")
    if not (_TIMESTAMP.fullmatch(ts) and _NONCE.match(nonce) and _TENANT.fullmatch(tenant)
            and _ACTOR.fullmatch(actor)):
        raise Unauthorized("malformed X-BKZ-* authentication headers", code="bad_signature")
    secret = current_app.config["BKZ"].sidecar.shim_shared_secret
    body = request.get_data(cache=True)
    expected = signature(secret, ts, request.method, request_path(), tenant, actor, body)
    if not signature_matches(expected, sig):
        raise Unauthorized("signature does not match the request", code="bad_signature")
    if not within_window(ts, time.time()):
        raise Unauthorized("timestamp outside the 300 s window", code="stale_request")
    _refuse_tenant_in_body(body)
    if not nonces.remember(context.current().db, nonce, keep_seconds=2 * WINDOW_SECONDS, signed_at=int(ts)):
        raise Unauthorized("nonce already used", code="replayed_request")
    g.tenant = tenant
    g.actor = int(actor)


def _refuse_tenant_in_body(body: bytes) -> None:
    if not body:
        return
    try:
        # pydantic's parser (as http/payload.py's): nesting is bounded, lone surrogates are refused
        data = from_json(body)
    except ValueError as exc:
        raise BadRequest(f"the request body is not valid JSON ({exc})") from None
    if isinstance(data, dict) and any(k in data for k in ("tenant", "tenant_id", "tenantId")):
        raise Forbidden("the tenant comes from the signed X-BKZ-Tenant header, not the body", code="tenant_in_body")


def tenant_id() -> int:
    """The signed tenant of the current request.

    Raises:
        Forbidden: the caller signed as the platform, not a tenant.
    """
    if g.tenant == PLATFORM:
        raise Forbidden("this call needs a tenant (X-BKZ-Tenant)", code="tenant_required")
    return int(g.tenant)


def require_platform() -> None:
    """Refuse the call unless the shim signed it as the platform.

    Raises:
        Forbidden: a tenant signed it.
    """
    if g.tenant != PLATFORM:
        raise Forbidden("this call is for the platform admin", code="platform_required")
