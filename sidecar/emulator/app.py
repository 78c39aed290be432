"""`create_emulator_app(options)`: the Zoom emulator as a Flask app of its own.

Every Zoom-facing call (OAuth, /v2, meeting pages) is logged with timestamps, counted by endpoint
name, and may be hijacked by a planned fault first. `/_emulator/...` (the control API) is neither
logged nor subject to faults.
"""
from __future__ import annotations

import secrets
import time

from flask import Flask, g, request

from . import api, control, events, faults, meetings_api, oauth, pages, users_api
from .context import Emulator, current
from .faults import FaultPlan
from .options import EmulatorOptions, build_options
from .recorder import Recorder
from .state import EmulatorState
from .webhooks import WebhookSender


def create_emulator_app(options: dict | EmulatorOptions | None = None) -> Flask:
    """Build the emulator app; `options` overrides EmulatorOptions defaults."""
    app = Flask(__name__)
    app.json.sort_keys = False  # keep Zoom's field order in answers
    state = EmulatorState(build_options(options))
    app.extensions["zoom_emulator"] = Emulator(state=state, recorder=Recorder(), faults=FaultPlan(),
                                               webhooks=WebhookSender(state))
    for blueprint in (oauth.bp, users_api.bp, meetings_api.bp, pages.bp, control.bp, events.bp):
        app.register_blueprint(blueprint)
    app.add_url_rule("/", "index", control.index)
    app.register_error_handler(api.ApiError, api.answer_error)
    app.before_request(_before)
    app.after_request(_after)
    app.after_request(api.add_rate_headers)
    return app


def _zoom_facing() -> bool:
    return request.endpoint not in (None, "static", "index") and not request.path.startswith("/_emulator/")


def _before():
    if not _zoom_facing():
        return None
    emulator = current()
    g.started = time.time()
    g.generation = emulator.state.generation
    name = request.endpoint.split(".")[-1]
    emulator.recorder.count("requests", name)
    if name == "token":
        emulator.recorder.count("token_requests", request.values.get("grant_type") or "(none)")
    fault = emulator.faults.take(name, request.method)
    if fault is None:
        return None
    g.fault = fault.kind
    return faults.apply(fault, emulator.state, api.CATEGORY.get(name, "Light"))


def _after(response):
    if _zoom_facing() and g.get("generation") == current().state.generation:  # not a call from before a reset
        # Zoom tags every answer with a tracking id that its support can look up; clients log it.
        response.headers["x-zm-trackingid"] = f"v=2.0;clid=emu;rid={secrets.token_hex(8)}"
        call = {"method": request.method, "path": request.path, "query": request.args.to_dict(),
                "endpoint": request.endpoint.split(".")[-1], "status": response.status_code,
                "started": g.get("started", time.time()), "ended": time.time(), "fault": g.get("fault")}
        if request.path.startswith("/v2"):
            call["json"] = request.get_json(silent=True)
        current().recorder.log(call)
    return response
