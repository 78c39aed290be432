"""Locking the slots and meeting a sync may touch, then reading the appointment again under them.

Group bookings share one meeting per slot (tenant, staff, service, location, starts_at). A sync takes
MariaDB named locks on every slot and meeting it may touch, sorted (so two syncs never deadlock),
and re-reads after locking: if the booking moved meanwhile, it needs other locks, and tries again.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sidecar.booknetic import appointments
from sidecar.booknetic.appointments import Appointment
from sidecar.context import Context
from sidecar.services.sync.outcomes import SlotBusy
from sidecar.store import meetings
from sidecar.store.meetings import Meeting

# How often a booking that keeps moving is chased before the sync gives up for now.
_ATTEMPTS = 3


def slot_lock(tenant_id: int, slot_key: str) -> str:
    """The named lock of one group session of a tenant."""
    return f"zoom-slot:{tenant_id}:{slot_key}"


def slot_keys(appt: Appointment | None, row: Meeting | None) -> list[str]:
    """The group sessions a sync of the appointment may touch: where it is, and where its row was or is going."""
    keys = {appt.slot_key} if appt is not None else set()
    if row is not None:
        keys.update(s for s in (row.slot_key, row.pending_slot) if s)
    return sorted(keys)


def _lock_names(tenant_id: int, appt: Appointment | None, row: Meeting | None) -> set[str]:
    names = {slot_lock(tenant_id, s) for s in slot_keys(appt, row)}
    if row is not None and row.live:
        names.add(f"zoom-meeting:{tenant_id}:{row.zoom_meeting_id}")
    return names


@dataclass(frozen=True)
class Locked:
    """What a sync reads under its locks."""

    appt: Appointment | None
    row: Meeting | None
    session: list[Appointment] | None  # None when the booking left the slot it was seen in
    nearby: list[Meeting]  # meetings.around(..., slot_keys(appt, row))[1]


def session_of(ctx: Context, appt: Appointment) -> list[Appointment]:
    """Every booking in the appointment's group session, oldest first."""
    return appointments.in_slot(ctx.db, appt.tenant_id, appt.staff_id, appt.service_id, appt.location_id,
                                appt.starts_at)


@contextmanager
def slot_locked(ctx: Context, tenant_id: int, appointment_id: int) -> Iterator[Locked]:
    """Hold the locks of the appointment's slots and meeting; yield what was read under them.

    Raises:
        SlotBusy: the locks could not be had in time, or the booking kept moving.
    """
    timeout = max(5.0, 3 * ctx.config.zoom.timeout)
    for _ in range(_ATTEMPTS):
        seen = appointments.get(ctx.db, tenant_id, appointment_id)
        seen_row = meetings.get(ctx.db, tenant_id, appointment_id)
        names = _lock_names(tenant_id, seen, seen_row)
        with ctx.db.named_locks(sorted(names), timeout) as locked:
            if not locked:
                raise SlotBusy(f"appointment {appointment_id}: its slot stayed locked for {timeout:.0f} s")
            # Re-read under the locks; the session's rows come with it when the booking stayed in its slot.
            session = session_of(ctx, seen) if seen is not None else []
            appt = next((a for a in session if a.id == appointment_id), None)
            if appt is None:
                session, appt = None, appointments.get(ctx.db, tenant_id, appointment_id)
            row, in_locked_slots = meetings.around(ctx.db, tenant_id, appointment_id, slot_keys(seen, seen_row))
            if _lock_names(tenant_id, appt, row) <= names:
                yield Locked(appt, row, session, meetings.of_slots(in_locked_slots, slot_keys(appt, row)))
                return
    raise SlotBusy(f"appointment {appointment_id} kept changing while its slot was being locked")
