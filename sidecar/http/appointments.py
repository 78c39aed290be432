"""The shim's calls about one appointment: the ping after a Booknetic hook, and the links its panels draw."""
from __future__ import annotations

import time

from flask import Blueprint, jsonify, request

from sidecar import context
from sidecar.errors import BadRequest
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import gating, links
from sidecar.services.sync_jobs import DONE, FAILED, run_now, worker_id

bp = Blueprint("appointments", __name__, url_prefix="/tenant/appointments")

_OWNER = worker_id("http")


@bp.before_request
def _gate():
    gating.require_zoom_plan(context.current(), tenant_id())


@bp.post("/<int:appointment_id>/sync")
def sync_appointment(appointment_id: int):
    """Queue the sync (coalescing with the shim's row) and run it now: 200 with the outcome, 202 if it stays queued."""
    payload.only_fields(payload.json_object(), ())
    outcome = run_now(context.current(), tenant_id(), appointment_id, _OWNER)
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
