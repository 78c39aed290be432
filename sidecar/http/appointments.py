"""The shim's calls about one appointment: the ping after a Booknetic hook, and the links its panels draw."""
from __future__ import annotations

import time

from flask import Blueprint, g, jsonify

from sidecar import context
from sidecar.http import schemas
from sidecar.http.auth import tenant_id
from sidecar.http.openapi import described
from sidecar.services import gating, inline_sync, links
from sidecar.services.sync_jobs import DONE, FAILED

bp = Blueprint("appointments", __name__, url_prefix="/tenant/appointments")

# How long a ping's caller waits when it does not say (an older shim); schemas.SyncRequest bounds what it may ask.
DEFAULT_WAIT_SECONDS = 10


@bp.before_request
def _gate():
    gating.require_zoom_plan(context.current(), tenant_id())


@bp.post("/<id:appointment_id>/sync")
@described("Queue the sync (coalescing with the shim's job row) and run it while the caller waits",
           body=schemas.SyncRequest, answers={200: schemas.SyncOutcome, 202: schemas.SyncOutcome}, errors=(409,))
def sync_appointment(appointment_id: int, body: schemas.SyncRequest):
    """200 with the outcome, 202 if it stays queued (the rest is left to run on and to the worker)."""
    outcome = inline_sync.ping(context.current(), tenant_id(), appointment_id,
                               g.arrived + (body.timeout or DEFAULT_WAIT_SECONDS))
    if outcome is None or outcome.kind not in (DONE, FAILED):
        return jsonify(appointment_id=appointment_id, state="queued", meeting=None), 202
    result = outcome.result
    meeting = {"id": result.meeting_id, "join_url": result.join_url} if result.meeting_id else None
    state = "deleted" if result.state == "deleted_on_zoom" else result.state  # SPEC: active|none|deleted|failed
    return jsonify(appointment_id=appointment_id, state=state, meeting=meeting)


@bp.get("/<id:appointment_id>/links")
@described("The join (and, for staff, host) link the customer panel and the appointment info modal show",
           query=schemas.LinksQuery, answers={200: schemas.AppointmentLinks})
def appointment_links(appointment_id: int, query: schemas.LinksQuery):
    found = links.panel_links(context.current(), tenant_id(), appointment_id,
                              for_customer=query.audience == "customer", now=int(time.time()))
    return jsonify(appointment_id=appointment_id, join_url=found.join_url, host_url=found.host_url)
