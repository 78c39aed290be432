"""Control API (not Zoom) for things that happen "on Zoom": deauthorization, meetings deleted or started
by people, URL validation; plus meeting and webhook inspection. Under `/_emulator/`:
  POST /deauthorize {client_id, user_id (id or email), url?, wait?}
  GET /meetings?account_id=&host_id=&include_deleted=1; POST /meetings/<id>/start; POST /meetings/<id>/end;
  POST /meetings/<id>/delete {url?, secret_token?, wait?}
  POST /webhooks/validate {url, secret_token | client_id}; GET /webhooks
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import meetings, tokens, webhooks
from .context import current
from .control import bad_request, body_json, token_match
from .state import NotFound

bp = Blueprint("events", __name__, url_prefix="/_emulator")
bp.register_error_handler(ValueError, bad_request)
bp.register_error_handler(LookupError, bad_request)
bp.register_error_handler(TypeError, bad_request)


@bp.post("/deauthorize")
def deauthorize():
    """Uninstall an app for a user: kill its tokens and send the signed `app_deauthorized` webhook."""
    body = body_json()
    emulator = current()
    app = emulator.state.app(body["client_id"])
    match = token_match({"client_id": app.client_id, "user_id": body["user_id"]})
    user = emulator.state.users.get(match["user_id"])
    if user is None:
        raise NotFound(f"user not found: {body['user_id']}")
    revoked = tokens.revoke_where(emulator.state, **match)
    url = body.get("url") or app.webhook_url
    delivery = emulator.webhooks.send_deauthorized(app, user.account_id, user.id, url,
                                                   body.get("wait", True)) if url else None
    return jsonify({"revoked": revoked, "delivery": delivery})


@bp.get("/meetings")
def list_meetings():
    """List meetings in the emulator, optionally by account or host, deleted ones on request."""
    state = current().state
    args = request.args
    with state.lock:
        found = [m for m in state.meetings.values()
                 if (args.get("include_deleted") == "1" or not m.deleted)
                 and args.get("account_id", m.account_id) == m.account_id
                 and args.get("host_id", m.host_id) == m.host_id]
    base = request.host_url.rstrip("/")
    return jsonify([{**meetings.as_json(state, m, base), "deleted": m.deleted} for m in found])


@bp.post("/meetings/<int:meeting_id>/start")
def start_meeting(meeting_id: int):
    """Mark a meeting as started (so PATCH answers 3000, DELETE 3002)."""
    state = current().state
    with state.lock:
        meeting = state.meetings[meeting_id]
        meeting.status = "started"
    return jsonify({"id": meeting_id, "status": "started"})


@bp.post("/meetings/<int:meeting_id>/end")
def end_meeting(meeting_id: int):
    """Mark a meeting as held and over (so DELETE answers 3007)."""
    state = current().state
    with state.lock:
        meeting = state.meetings[meeting_id]
        meeting.status, meeting.ended = "waiting", True
    return jsonify({"id": meeting_id, "ended": True})


@bp.post("/meetings/<int:meeting_id>/delete")
def delete_meeting(meeting_id: int):
    """Delete a meeting "on Zoom" (as its host would) and send the signed `meeting.deleted` webhook."""
    body = body_json()
    emulator = current()
    with emulator.state.lock:
        meeting = emulator.state.meetings[meeting_id]
        meeting.deleted = True
        host = emulator.state.users.get(meeting.host_id)
    targets = [(body["url"], body["secret_token"])] if body.get("url") else None
    deliveries = webhooks.announce_deleted(emulator, meeting, host, targets, body.get("wait", True))
    return jsonify({"deliveries": deliveries})


@bp.post("/webhooks/validate")
def validate_url():
    """Send an `endpoint.url_validation` CRC to a URL and report whether the answer was right."""
    body = body_json()
    secret_token = body.get("secret_token") or current().state.app(body["client_id"]).secret_token
    return jsonify(current().webhooks.validate_url(body["url"], secret_token))


@bp.get("/webhooks")
def deliveries():
    """Return every webhook delivery with its attempts."""
    return jsonify(current().webhooks.deliveries())
