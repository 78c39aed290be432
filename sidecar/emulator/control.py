"""The control API under `/_emulator/` (not Zoom): seed, fast-forward, faults, events, inspection.

All bodies are JSON; errors answer 400 `{"error": "..."}`. Endpoints:
  POST /reset; GET|PUT /options; POST /clock/advance {seconds}
  POST /accounts {account_id?, timezone?}; POST /users {account_id, email, first_name?, last_name?,
    status?, role_name?, timezone?, type?, password?, id?}
  POST /apps {kind: oauth|s2s, redirect_uri | account_id, client_id?, client_secret?, secret_token?,
    scopes?, webhook_url?}; PUT /apps/<client_id> {webhook_url?, scopes?, redirect_uri?}
  POST /tokens {client_id, email} (a fresh authorization without the browser dance)
  POST /tokens/expire and /tokens/revoke {account_id?, client_id?, user_id?}
  POST /deauthorize {client_id, user_id (id or email), url?, wait?}
  GET /meetings?account_id=&host_id=&include_deleted=; POST /meetings/<id>/start;
  POST /meetings/<id>/delete {url?, secret_token?, wait?}
  POST /webhooks/validate {url, secret_token | client_id}; GET /webhooks
  POST|GET|DELETE /faults; GET /counters; GET|DELETE /calls?endpoint=&since=
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request

from . import meetings, tokens, webhooks
from .context import current
from .state import NotFound

bp = Blueprint("control", __name__, url_prefix="/_emulator")


@bp.errorhandler(ValueError)
@bp.errorhandler(LookupError)
@bp.errorhandler(TypeError)
def _bad_request(exc):
    return jsonify({"error": str(exc)}), 400


def _body() -> dict:
    return request.get_json(silent=True) or {}


def _match(body: dict) -> dict:
    match = {k: body[k] for k in ("account_id", "client_id", "user_id") if body.get(k)}
    if "user_id" in match and "@" in match["user_id"]:
        user = current().state.user_by_email(match["user_id"])
        match["user_id"] = user.id if user else match["user_id"]
    return match


@bp.post("/reset")
def reset():
    """Forget all data, faults, calls, counters and deliveries."""
    current().reset()
    return jsonify({"status": "reset"})


@bp.route("/options", methods=["GET", "PUT"])
def options():
    """Read or change options (limits, lifetimes, switches) of the running emulator."""
    state = current().state
    if request.method == "PUT":
        with state.lock:
            state.options.update(_body())
    return jsonify(state.options.as_dict())


@bp.post("/clock/advance")
def advance_clock():
    """Fast-forward the emulated clock by `seconds`."""
    return jsonify({"now": current().state.clock.advance(float(_body()["seconds"]))})


@bp.post("/accounts")
def add_account():
    """Create an account."""
    body = _body()
    account = current().state.add_account(body.get("account_id"), body.get("timezone", "UTC"))
    return jsonify({"account_id": account.id, "timezone": account.timezone}), 201


@bp.post("/users")
def add_user():
    """Create a user; the answer includes its id even when pending."""
    body = dict(_body())
    if "type" in body:
        body["user_type"] = body.pop("type")
    if "id" in body:
        body["user_id"] = body.pop("id")
    user = current().state.add_user(**body)
    return jsonify(user.as_json()), 201


@bp.post("/apps")
def add_app():
    """Create an OAuth or S2S app; the answer includes its secrets."""
    app = current().state.add_app(**_body())
    return jsonify(asdict(app)), 201


@bp.put("/apps/<client_id>")
def change_app(client_id: str):
    """Change an app's webhook_url, scopes or redirect_uri."""
    state = current().state
    with state.lock:
        app = state.app(client_id)
        for key, value in _body().items():
            if key not in ("webhook_url", "scopes", "redirect_uri"):
                raise ValueError(f"cannot change {key}")
            setattr(app, key, value)
        return jsonify(asdict(app))


@bp.post("/tokens")
def issue_tokens():
    """Authorize an OAuth app for a user directly and return the token JSON."""
    body = _body()
    state = current().state
    app = state.app(body["client_id"])
    user = state.user_by_email(body["email"])
    if user is None:
        raise NotFound(f"user not found: {body['email']}")
    code = tokens.issue_code(state, app, user.id, app.redirect_uri, "")
    access, refresh = tokens.exchange_code(state, app, code, app.redirect_uri, "")
    return jsonify(tokens.token_json(state, access, refresh, request.host_url.rstrip("/")))


@bp.post("/tokens/expire")
def expire_tokens():
    """Make matching live access tokens expire now."""
    return jsonify({"expired": tokens.expire_where(current().state, **_match(_body()))})


@bp.post("/tokens/revoke")
def revoke_tokens():
    """Revoke matching tokens (e.g. every token of an account)."""
    return jsonify({"revoked": tokens.revoke_where(current().state, **_match(_body()))})


@bp.post("/deauthorize")
def deauthorize():
    """Uninstall an app for a user: kill its tokens and send the signed `app_deauthorized` webhook."""
    body = _body()
    emulator = current()
    app = emulator.state.app(body["client_id"])
    match = _match({"client_id": app.client_id, "user_id": body["user_id"]})
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


@bp.post("/meetings/<int:meeting_id>/delete")
def delete_meeting(meeting_id: int):
    """Delete a meeting "on Zoom" (as its host would) and send the signed `meeting.deleted` webhook."""
    body = _body()
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
    body = _body()
    secret_token = body.get("secret_token") or current().state.app(body["client_id"]).secret_token
    return jsonify(current().webhooks.validate_url(body["url"], secret_token))


@bp.get("/webhooks")
def deliveries():
    """Return every webhook delivery with its attempts."""
    return jsonify(current().webhooks.deliveries())


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    """Plan a fault (POST), list pending ones (GET) or drop them all (DELETE)."""
    plan = current().faults
    if request.method == "POST":
        return jsonify(asdict(plan.add(_body()))), 201
    if request.method == "DELETE":
        plan.clear()
    return jsonify(plan.pending())


@bp.get("/counters")
def counters():
    """Return counters: requests by endpoint, token_requests by grant_type, meetings by host."""
    emulator = current()
    found = emulator.recorder.counters()
    with emulator.state.lock:
        live: dict[str, int] = {}
        for meeting in emulator.state.meetings.values():
            if not meeting.deleted:
                live[meeting.host_id] = live.get(meeting.host_id, 0) + 1
    return jsonify({**found, "meetings_by_host": live})


@bp.route("/calls", methods=["GET", "DELETE"])
def calls():
    """Return the call log (optionally one endpoint, after sequence `since`) or clear it."""
    recorder = current().recorder
    if request.method == "DELETE":
        recorder.clear_calls()
        return jsonify([])
    return jsonify(recorder.calls(request.args.get("endpoint"), int(request.args.get("since", 0))))
