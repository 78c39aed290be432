"""Creates whose answer may be lost: a marker first, a lookup later, and adoption of what Zoom made.

Before the POST a marker is recorded on the appointment's row (pending_*) and sent in the meeting's
agenda, so a create that timed out or died with its process is looked up by the marker on the next
sync of the slot, never repeated blindly.
"""
from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sidecar.booknetic.appointments import Appointment
from sidecar.services.meeting_request import fingerprint
from sidecar.services.sync.outcomes import CreateInFlight
from sidecar.store import meetings
from sidecar.store.meetings import Meeting
from sidecar.zoom import ZoomNotFound, ZoomOutcomeUnknown, ZoomUnavailable

if TYPE_CHECKING:
    from sidecar.services.sync.execute import Executor

log = logging.getLogger("sidecar.sync")

# A create that got no answer may still be carried out by Zoom for a while; until this many [zoom]
# timeouts have passed since it was sent, "not found" is no proof that it was not made.
IN_FLIGHT_TIMEOUTS = 6


def marker_pattern(tenant_id: int) -> re.Pattern:
    """The markers of the tenant's creates (group 1: the appointment), to tell our meetings on Zoom."""
    return re.compile(rf"bkz-{tenant_id}-([1-9][0-9]*)-[0-9a-f]{{12}}")


def create_marked(run: Executor, appt: Appointment, body: dict, host: str, retiring: list[int]) -> dict:
    """Create the slot's meeting under `host` with a recorded marker; Zoom's answer (or the meeting found).

    The meetings it replaces (`retiring`) are recorded in the marker's transaction, committed before the POST.

    Raises:
        ZoomOutcomeUnknown: no answer; the marker stays, and the next sync of the slot looks it up first.
        ZoomUnavailable: Zoom answered with an error and provably made nothing (retry later).
    """
    marker = f"bkz-{run.tenant_id}-{appt.id}-{secrets.token_hex(6)}"  # as marker_pattern() reads it
    run.record()
    meetings.set_pending(run.db, run.tenant_id, appt.id, marker, host, appt.slot_key)
    for zoom_id in retiring:
        run.retire(zoom_id)
    zoom = run.zoom()  # commits the marker and the retirements
    try:
        return zoom.create_meeting(run.tokens, host, body, marker)
    except ZoomOutcomeUnknown as exc:
        if exc.status is None or exc.status == 504:
            raise  # it may still land
        return _made_anyway(run, appt, host, marker, exc)
    except Exception:  # Zoom made nothing; written at once (nothing is open), it outlives the error
        meetings.clear_pending(run.db, run.tenant_id, appt.id)
        raise


def _made_anyway(run: Executor, appt: Appointment, host: str, marker: str, unknown: ZoomOutcomeUnknown) -> dict:
    """Zoom answered the create with an error: look for the meeting now, since nothing is in flight.

    Raises:
        ZoomUnavailable: Zoom did not make it (retry later).
    """
    found = run.zoom().find_meeting_by_marker(run.tokens, host, marker)
    if found is None:  # written at once (nothing is open), it outlives the error
        meetings.clear_pending(run.db, run.tenant_id, appt.id)
        raise ZoomUnavailable(unknown.message, status=unknown.status, code=unknown.code,
                              request_id=unknown.request_id) from unknown
    log.info("pending_create_adopted", extra=run.ids(zoom_meeting_id=found["id"]))
    return found


def settle(run: Executor, pending: Meeting) -> None:
    """Settle a create whose answer was lost: adopt the meeting Zoom made, or forget the attempt.

    Raises:
        CreateInFlight: too recent to tell; try again shortly.
    """
    try:
        found = run.zoom().find_meeting_by_marker(run.tokens, pending.pending_host, pending.pending_marker)
    except ZoomNotFound:
        found = None  # the host user is gone, and with it anything made for them
    if found is None:
        settle_time = timedelta(seconds=IN_FLIGHT_TIMEOUTS * run.ctx.config.zoom.timeout)
        if pending.pending_at is not None and run.db.now() - pending.pending_at < settle_time:
            raise CreateInFlight(f"appointment {pending.appointment_id}: a meeting create may still land")
        run.record()
        meetings.clear_pending(run.db, run.tenant_id, pending.appointment_id)
        log.info("pending_create_not_made", extra=run.ids(pending_appointment_id=pending.appointment_id))
        return
    replacing = pending if pending.live and pending.zoom_meeting_id != found["id"] else None
    run.adopt(pending, pending.pending_slot, found["id"], pending.pending_host,
              found.get("join_url"), found.get("password"), fingerprint(found), replacing)
    log.info("pending_create_adopted", extra=run.ids(pending_appointment_id=pending.appointment_id,
                                                     zoom_meeting_id=found["id"]))
