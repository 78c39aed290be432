"""The one operation (SPEC section 2): read the appointment now and move Zoom to the state it should have.

A sync reads under the slot's locks (slot_locks.py), settles creates whose answer was lost
(lost_creates.py), decides with the pure planner (plan.py: SPEC section 2's table) and carries the
plan out (execute.py). Retryable Zoom errors propagate to the caller (the worker decides when to try
again); nothing here sleeps.
"""
from __future__ import annotations

from typing import Callable

from sidecar import cross_table
from sidecar.booknetic import addon_data, appointments, options, tenants
from sidecar.booknetic.appointments import Appointment
from sidecar.context import Context
from sidecar.errors import NeedsReconnect
from sidecar.services.meeting_request import meeting_request
from sidecar.services.sync import lost_creates
from sidecar.services.sync.execute import Executor
from sidecar.services.sync.outcomes import (NO_MEETING, CreateInFlight, InvalidAppointment, OldMeetingNotDeleted,
                                            SlotBusy, SyncError, SyncResult, result_of)
from sidecar.services.sync.plan import Situation, plan
from sidecar.services.sync.slot_locks import Locked, session_of, slot_keys, slot_locked
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings, settings

__all__ = ["NO_MEETING", "CreateInFlight", "InvalidAppointment", "OldMeetingNotDeleted", "SlotBusy", "SyncError",
           "SyncResult", "result_of", "sync_appointment", "tenant_ready", "wanted_host", "wants_meeting"]


def wants_meeting(appt: Appointment, approved_only: bool) -> bool:
    """Whether the booking's status asks for a meeting: busy, and approved when the tenant says "approved only"."""
    return appt.status == "approved" if approved_only else appt.busy


def wanted_host(db, tenant_id: int, appt: Appointment | None, *, approved_only: bool = False) -> str | None:
    """The Zoom user who should host the appointment's meeting, or None when it needs no meeting.

    Raises:
        InvalidAppointment: the row is nonsense (missing staff or service, ends before it starts).
    """
    if appt is None or not wants_meeting(appt, approved_only):
        return None
    if appt.staff_name is None:
        raise InvalidAppointment(f"appointment {appt.id}: staff {appt.staff_id} does not exist")
    if appt.service_name is None:
        raise InvalidAppointment(f"appointment {appt.id}: service {appt.service_id} does not exist")
    if appt.ends_at <= appt.starts_at:
        raise InvalidAppointment(f"appointment {appt.id}: ends at or before it starts")
    enabled, user = addon_data.zoom_switches(db, tenant_id, appt.service_id, appt.staff_id)
    return user["id"] if enabled and user else None


def tenant_ready(ctx: Context, tokens: TenantTokens) -> settings.TenantSettings | None:
    """The tenant's Zoom settings if it may get meetings now; None means: touch nothing, old meetings stay.

    Ready = plan has zoom, Zoom on for the platform and the tenant, and a Zoom connection.
    Raises:
        NeedsReconnect: the connection must be made again first (the job waits).
    """
    ready = cross_table.readiness(ctx.db, ctx.crypto, tokens.tenant_id)
    if not (tenants.allows(ready.capabilities, "zoom") and ready.platform_enabled and ready.settings.enabled):
        return None
    conn = tokens.adopt(ready.connection)
    if conn is None:
        return None
    if not conn.connected:
        raise NeedsReconnect("the tenant's Zoom connection needs to be made again")
    return ready.settings


def sync_appointment(ctx: Context, tenant_id: int, appointment_id: int, *, repair: bool = False,
                     finish: Callable[[], object] | None = None) -> SyncResult:
    """Make Zoom match the appointment: create, update, move or delete its (shared) meeting.

    repair=True recreates a meeting a person deleted on Zoom (reconcile --repair). finish (the job's) runs
    at the end in the transaction of the sync's last rows: one commit for both (not run on an error).
    Raises:
        SyncError, NeedsReconnect, sidecar.zoom.ZoomError: the worker maps each to a job outcome.
    """
    tokens = TenantTokens(ctx, tenant_id)
    tenant_settings = tenant_ready(ctx, tokens)
    if tenant_settings is None:  # decided without locks: nothing will be touched
        row = meetings.get(ctx.db, tenant_id, appointment_id)
        off = Situation(None, row, None, None, zoom_on=False)
        run = Executor(ctx, tokens, appointment_id, row)
        with run.one_commit(finish):
            result = run.carry_out(plan(off))
        return result
    with slot_locked(ctx, tenant_id, appointment_id) as locked:
        run = Executor(ctx, tokens, appointment_id, locked.row)
        with run.one_commit(finish):  # committed before the slot's locks go
            situation = _situation(ctx, run, locked, tenant_settings, repair)
            result = run.carry_out(plan(situation))
            run.delete_retired()  # what this or an earlier, interrupted sync left behind
        return result


def _situation(ctx: Context, run: Executor, locked: Locked, tenant_settings: settings.TenantSettings,
               repair: bool) -> Situation:
    """Read what the plan needs (only what it may need), settling lost creates in the slots first."""
    db, tenant_id = ctx.db, run.tenant_id
    appt, row, session, nearby = locked.appt, locked.row, locked.session, locked.nearby
    slots = slot_keys(appt, row)
    pending = [m for m in nearby if m.pending_marker and m.pending_slot in slots]
    for unsettled in pending:
        lost_creates.settle(run, unsettled)
    if pending:
        row, nearby = meetings.around(db, tenant_id, run.appointment_id, slots)
        run.row = row or meetings.without_meeting(tenant_id, run.appointment_id)
    approved_only = tenant_settings.approved_only
    host = wanted_host(db, tenant_id, appt, approved_only=approved_only)
    wanted = None
    if host is not None:
        busy = [a for a in (session if session is not None else session_of(ctx, appt))
                if wants_meeting(a, approved_only)]
        rules = run.passcode_rules() if tenant_settings.random_password else None
        # The session's meeting is described by its oldest booking that needs one, so every sync agrees on it.
        wanted = meeting_request(busy[0] if busy else appt, tenant_settings, options.site_timezone(db), rules)
    sharers, left_behind = (), ()
    moved = appt is None or host is None or (row is not None and row.slot_key != appt.slot_key)
    if row is not None and row.live and moved:
        sharers = tuple(m for m in meetings.live_sharing(db, tenant_id, row.zoom_meeting_id)
                        if m.appointment_id != row.appointment_id)
        if host is not None:
            staff_id, service_id, location, starts_at = row.slot_key.split(":")
            left_behind = tuple(a for a in appointments.in_slot(db, tenant_id, int(staff_id), int(service_id),
                                                                int(location) or None, int(starts_at))
                                if wants_meeting(a, approved_only) and a.id != appt.id)
    return Situation(appt, row, host, wanted, tuple(nearby), sharers, left_behind, repair)
