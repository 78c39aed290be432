"""What a sync ends in: its result, and the errors that stop it (the worker maps each to a job outcome)."""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.store import meetings
from sidecar.store.meetings import Meeting

# The state a sync reports for an appointment that has no meeting row at all.
NO_MEETING = "none"


class SyncError(Exception):
    """A sync that cannot go on now."""


class InvalidAppointment(SyncError):
    """The Booknetic row makes no sense (missing staff or service, end before start): no retry helps."""


class SlotBusy(SyncError):
    """Another sync held the slot's lock for too long."""


class CreateInFlight(SyncError):
    """A create of unknown outcome is too recent to tell whether Zoom made it."""


class OldMeetingNotDeleted(SyncError):
    """The appointment's meeting is as it should be, but Zoom failed to delete a meeting it left behind
    (the Zoom error is the __cause__): worth retrying, and giving up concerns that old meeting only."""


@dataclass(frozen=True)
class SyncResult:
    state: str  # active | none | deleted | deleted_on_zoom | failed
    meeting_id: int | None = None
    join_url: str | None = None


def result_of(row: Meeting | None) -> SyncResult:
    """What a meeting row says about the appointment, as a sync result."""
    if row is None:
        return SyncResult(NO_MEETING)
    if row.state == meetings.ACTIVE:
        return SyncResult(row.state, row.zoom_meeting_id, row.join_url)
    return SyncResult(row.state)
