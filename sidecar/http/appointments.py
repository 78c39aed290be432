"""POST /v1/tenant/appointments/<id>/sync: the shim's ping after a Booknetic hook."""
from __future__ import annotations

from flask import Blueprint, jsonify

from sidecar import context
from sidecar.http import payload
from sidecar.http.auth import tenant_id
from sidecar.services import gating
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
