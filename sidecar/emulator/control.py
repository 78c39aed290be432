"""The control API under `/_emulator/` (not Zoom): seed, fast-forward, faults, events, inspection.

Over 200 lines: every control endpoint stays in one module, so `GET /_emulator/` lists them from one place.

All bodies are JSON; errors answer 400 `{"error": "..."}`. Endpoints:
  POST /reset; GET|PUT /options; POST /clock/advance {seconds}
  POST /accounts {account_id?, timezone?}; PUT /accounts/<id> {passcode_rules?, require_password?}
  POST /users {account_id, email, first_name?, last_name?,
    status?, role_name?, timezone?, type?, password?, id?}
  POST /apps {kind: oauth|s2s, redirect_uri | account_id, client_id?, client_secret?, secret_token?,
    scopes?, webhook_url?}; PUT /apps/<client_id> {webhook_url?, scopes?, redirect_uri?}
  POST /tokens {client_id, email} (a fresh authorization without the browser dance)
  POST /tokens/expire and /tokens/revoke {account_id?, client_id?, user_id?}
  (events and meeting inspection: see events.py)
  POST|GET|DELETE /faults; GET /counters; GET|DELETE /calls?endpoint=&since=
  POST /refuse {seconds} (stop listening for a while: connections are refused, as when Zoom is unreachable)
"""
from __future__ import annotations

import re
import threading
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request

from . import faults as faults_mod
from . import security, tokens
from .context import current
from .state import NotFound

bp = Blueprint("control", __name__, url_prefix="/_emulator")


@bp.errorhandler(ValueError)
@bp.errorhandler(LookupError)
@bp.errorhandler(TypeError)
def bad_request(exc):
    """Answer a refused control request with 400 `{"error": ...}` in words about the body, not Python."""
    return jsonify({"error": _in_words(exc), "help": "GET /_emulator/ lists every call and its fields"}), 400


def _in_words(exc: Exception) -> str:
    text = str(exc)
    if type(exc) is KeyError:  # body["seconds"] on a body without it
        return f"missing field {text} in the JSON body of {request.method} {request.path}"
    if isinstance(exc, TypeError):  # f(**body) with missing or extra fields: drop the function's name
        text = re.sub(r"^[\w.]+\(\) ", "", text)
        text = text.replace("required positional argument", "required field").replace("keyword argument", "field")
        return f"{request.method} {request.path}: {text}"
    return text


def body_json() -> dict:
    """Return the request's JSON object body, or {} when there is none.

    Raises:
        ValueError: a body that is not a JSON object.
    """
    if not request.get_data():
        return {}
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise ValueError(f"the body of {request.method} {request.path} must be a JSON object")
    return body


@bp.get("/")
def index():
    """This list of the control API (also at /)."""
    lines = ["Zoom API emulator. OAuth at /oauth/..., REST API at /v2/..., meeting pages at /s/<id> and /j/<id>.",
             "Control API (JSON bodies; GET answers are JSON):", ""]
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/_emulator/"):
            methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
            doc = (current_app.view_functions[rule.endpoint].__doc__ or "").strip().splitlines()[0]
            lines.append(f"  {methods:<16} {rule.rule:<46} {doc}")
    lines += ["", "Fault fields: " + ", ".join(faults_mod.Fault.__dataclass_fields__)
              + "; kinds: " + ", ".join(faults_mod.KINDS)]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def token_match(body: dict) -> dict:
    """Pick account_id/client_id/user_id (id or email) from a body as token attributes to match."""
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
            state.options.update(body_json())
    return jsonify(state.options.as_dict())


@bp.post("/clock/advance")
def advance_clock():
    """Fast-forward the emulated clock by `seconds`."""
    return jsonify({"now": current().state.clock.advance(float(body_json()["seconds"]))})


@bp.post("/accounts")
def add_account():
    """Create an account."""
    body = body_json()
    account = current().state.add_account(body.get("account_id"), body.get("timezone", "UTC"))
    return jsonify({"account_id": account.id, "timezone": account.timezone}), 201


@bp.put("/accounts/<account_id>")
def change_account(account_id: str):
    """Change an account's meeting security: passcode_rules (meeting_password_requirement), require_password."""
    state = current().state
    with state.lock:
        account = state.account(account_id)
        for key, value in body_json().items():
            if key == "passcode_rules" and set(value) - set(security.RULE_FIELDS):
                raise ValueError(f"passcode_rules take {', '.join(security.RULE_FIELDS)}")
            if key not in ("passcode_rules", "require_password"):
                raise ValueError(f"cannot change {key}")
            setattr(account, key, value)
        return jsonify(asdict(account))


@bp.post("/users")
def add_user():
    """Create a user; the answer includes its id even when pending."""
    body = dict(body_json())
    if "type" in body:
        body["user_type"] = body.pop("type")
    if "id" in body:
        body["user_id"] = body.pop("id")
    user = current().state.add_user(**body)
    return jsonify(user.as_json()), 201


@bp.post("/apps")
def add_app():
    """Create an OAuth or S2S app; the answer includes its secrets."""
    app = current().state.add_app(**body_json())
    return jsonify(asdict(app)), 201


@bp.put("/apps/<client_id>")
def change_app(client_id: str):
    """Change an app's webhook_url, scopes or redirect_uri."""
    state = current().state
    with state.lock:
        app = state.app(client_id)
        for key, value in body_json().items():
            if key not in ("webhook_url", "scopes", "redirect_uri"):
                raise ValueError(f"cannot change {key}")
            setattr(app, key, value)
        return jsonify(asdict(app))


@bp.post("/tokens")
def issue_tokens():
    """Authorize an OAuth app for a user directly and return the token JSON."""
    body = body_json()
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
    return jsonify({"expired": tokens.expire_where(current().state, **token_match(body_json()))})


@bp.post("/tokens/revoke")
def revoke_tokens():
    """Revoke matching tokens (e.g. every token of an account)."""
    return jsonify({"revoked": tokens.revoke_where(current().state, **token_match(body_json()))})


@bp.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    """Plan a fault (POST), list pending ones (GET) or drop them all (DELETE)."""
    plan = current().faults
    if request.method == "POST":
        return jsonify(asdict(plan.add(body_json()))), 201
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


@bp.post("/refuse")
def refuse():
    """Refuse connections for `seconds`, starting just after this answer has gone out."""
    seconds = float(body_json()["seconds"])
    if not 0 < seconds <= 600:
        raise ValueError("seconds must be above 0 and at most 600")
    refuse_for = current_app.config.get("EMULATOR_REFUSE")
    if refuse_for is None:
        raise ValueError("only an emulator run by EmulatorServer (tests, benchmarks) can refuse connections")
    threading.Timer(0.1, refuse_for, (seconds,)).start()
    return jsonify({"refusing_for": seconds})
