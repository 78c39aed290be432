"""The shim's calls about one appointment: the ping after a Booknetic hook, and the links its panels draw."""
from __future__ import annotations

import time

from flask import Blueprint, g, jsonify, request

from sidecar import context
from sidecar.errors import BadRequest
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import gating, inline_sync, links
from sidecar.services.sync_jobs import DONE, FAILED

bp = Blueprint("appointments", __name__, url_prefix="/tenant/appointments")

# How long a ping's caller waits when it does not say (an older shim), and the most it may ask for.
DEFAULT_WAIT_SECONDS = 10
MAX_WAIT_SECONDS = 60


@bp.before_request
def _gate():
    gating.require_zoom_plan(context.current(), tenant_id())


@bp.post("/<int:appointment_id>/sync")
def sync_appointment(appointment_id: int):
    """Queue the sync (coalescing with the shim's row) and run it while the caller waits (body `timeout`,
    seconds): 200 with the outcome, 202 if it stays queued (the rest is left to run on and to the worker)."""
    body = payload.json_object()
    payload.only_fields(body, ("timeout",))
    waits = payload.field(body, "timeout", (int, float), required=False)
    if waits is not None and not 0 < waits <= MAX_WAIT_SECONDS:
        raise BadRequest(f"timeout must be seconds above 0 and at most {MAX_WAIT_SECONDS}", field="timeout")
    outcome = inline_sync.ping(context.current(), tenant_id(), appointment_id,
                               g.arrived + (waits or DEFAULT_WAIT_SECONDS))
    if outcome is None or outcome.kind not in (DONE, FAILED):
        return jsonify(appointment_id=appointment_id, state="queued", meeting=None), 202
    result = outcome.result
    meeting = {"id": result.meeting_id, "join_url": result.join_url} if result.meeting_id else None
    state = "deleted" if result.state == "deleted_on_zoom" else result.state  # SPEC: active|none|deleted|failed
    return jsonify(appointment_id=appointment_id, state=state, meeting=meeting)


_AUDIENCES = ("customer", "staff")


@bp.get("/<int:appointment_id>/links")
def appointment_links(appointment_id: int):
    """The join (and, for staff, host) link the customer panel and the appointment info modal show."""
    audience = request.args.get("audience", "")
    if audience not in _AUDIENCES:
        raise BadRequest("audience must be one of: " + ", ".join(_AUDIENCES), field="audience")
    found = links.panel_links(context.current(), tenant_id(), appointment_id, for_customer=audience == "customer",
                              now=int(time.time()))
    return jsonify(appointment_id=appointment_id, join_url=found.join_url, host_url=found.host_url)
