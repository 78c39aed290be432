"""SPEC section 2's table as a pure function: from what was read, decide what Zoom should get.

No database and no network: `plan()` takes a `Situation` (the appointment, its meeting row, the
host it should have, the session's wanted meeting and the slot's neighbours) and names one action.
`execute.py` carries it out. A group session shares one meeting, so an action says which row's
meeting (`base`) the appointment ends up on, and `moving_from` names the meeting it leaves behind,
deleted afterwards if nobody else still has it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.booknetic.appointments import Appointment
from sidecar.services.meeting_request import fingerprint
from sidecar.store import meetings
from sidecar.store.meetings import Meeting


@dataclass(frozen=True)
class Situation:
    """Everything the decision depends on, read under the slot's locks."""

    appointment: Appointment | None  # None: gone from Booknetic
    row: Meeting | None  # the appointment's meeting row
    host: str | None  # the Zoom user who should host it; None: it needs no meeting
    wanted: dict | None  # the session's meeting as Zoom should have it (a create body), when host is set
    neighbours: tuple[Meeting, ...] = ()  # rows of the slots it was and is in
    sharers: tuple[Meeting, ...] = ()  # other appointments' live rows on the row's meeting
    left_behind: tuple[Appointment, ...] = ()  # other busy bookings still in the row's old slot
    repair: bool = False  # reconcile --repair: recreate a meeting a person deleted on Zoom
    zoom_on: bool = True  # tenant connected, plan has zoom, Zoom on for the platform and the tenant


@dataclass(frozen=True)
class Create:
    """Make a new meeting for the appointment's slot (`lost`: the meeting Zoom no longer has that it replaces)."""

    appointment: Appointment
    wanted: dict
    host: str
    moving_from: int | None = None
    lost: int | None = None


@dataclass(frozen=True)
class NewHost:
    """The slot's meeting has another host: create under the new one, move the slot's rows, delete the old."""

    appointment: Appointment
    base: Meeting
    wanted: dict
    host: str
    moving_from: int | None = None


@dataclass(frozen=True)
class Patch:
    """The slot's meeting changed time, duration, topic or timezone: PATCH it, then sit on it."""

    appointment: Appointment
    base: Meeting
    wanted: dict
    moving_from: int | None = None


@dataclass(frozen=True)
class Join:
    """The slot's meeting is as it should be: sit on it (the appointment may be there already)."""

    appointment: Appointment
    base: Meeting
    moving_from: int | None = None


@dataclass(frozen=True)
class Leave:
    """The appointment needs no meeting, but its meeting stays: others still have it, or Zoom does not."""

    row: Meeting


@dataclass(frozen=True)
class Delete:
    """The appointment needs no meeting and was the last one on it: delete it on Zoom."""

    row: Meeting


@dataclass(frozen=True)
class Nothing:
    """Leave Zoom and the rows as they are."""

    row: Meeting | None


Action = Create | NewHost | Patch | Join | Leave | Delete | Nothing


def plan(s: Situation) -> Action:
    """The one action that moves Zoom to the state the appointment should have."""
    appt, row = s.appointment, s.row
    if not s.zoom_on:
        return Nothing(row)  # old meetings stay on Zoom; new bookings get none
    lost = None
    if row is not None and row.state == meetings.DELETED_ON_ZOOM and not s.repair:
        # A person deleted it on Zoom: never recreated behind the host's back, unless the booking has moved
        # since (time, host, topic): then it still needs a meeting, and gets a new one.
        if s.host is None or not _changed_since(row, s):
            return _stop(s) if s.host is None else Nothing(row)
        lost = row.zoom_meeting_id
    if s.host is None:
        return _stop(s)
    current = row if row is not None and row.live else None
    if current is not None and current.slot_key == appt.slot_key:
        return _sit_on(s, current, None)
    moving_from = current.zoom_meeting_id if current is not None else None
    target = next((m for m in s.neighbours if m.live and m.slot_key == appt.slot_key), None)
    if target is not None:
        return _sit_on(s, target, moving_from)
    if current is not None and _may_move(s, current):
        return _sit_on(s, current, None)
    return Create(appt, s.wanted, s.host, moving_from, lost)


def _changed_since(row: Meeting, s: Situation) -> bool:
    """Whether the booking's meeting should differ from the one the row last had: slot, host or details."""
    return (row.slot_key != s.appointment.slot_key or row.host_user_id != s.host
            or row.fingerprint != fingerprint(s.wanted))


def _stop(s: Situation) -> Action:
    """The appointment needs no meeting: delete its meeting if it was the last one on it."""
    if s.row is None:
        return Nothing(None)
    if s.row.live and not s.sharers:
        return Delete(s.row)
    return Leave(s.row)


def _may_move(s: Situation, current: Meeting) -> bool:
    """Whether the meeting may follow this booking to its new slot: nobody is left in the old one."""
    elsewhere = [m for m in s.sharers if m.slot_key != current.slot_key]
    return not s.left_behind and not elsewhere


def _sit_on(s: Situation, base: Meeting, moving_from: int | None) -> Action:
    """Put the appointment on `base`'s meeting, changing host or details first when they differ."""
    if base.host_user_id != s.host:
        return NewHost(s.appointment, base, s.wanted, s.host, moving_from)
    if base.fingerprint != fingerprint(s.wanted):
        return Patch(s.appointment, base, s.wanted, moving_from)
    return Join(s.appointment, base, moving_from)
