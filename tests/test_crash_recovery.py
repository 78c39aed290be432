"""A worker killed with SIGKILL at the worst moment: the job completes after its lease, with no duplicate."""
from __future__ import annotations

import signal
import time

import pytest

from sidecar.store import jobs, meetings
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.database import make_config
from tests.fixtures.meetings import drain, kill_when, live_meetings, meeting_data, meeting_row, start_worker, wait_for

LEASE = 3


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    # The worker waits out a slow Zoom (timeout 10 s) instead of giving up first; short lease for the test.
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url, zoom={"timeout": "10"},
                       jobs={"lease_seconds": str(LEASE), "backoff_base": "0.05", "backoff_max": "0.2"})


def test_worker_killed_while_zoom_makes_the_meeting_leaves_exactly_one(zoom_ready, booknetic, emulator, config,
                                                                        tmp_path):
    appt = booknetic.appointment(zoom_ready.world)
    emulator.hang_next(seconds=2, endpoint="create_meeting")  # Zoom makes it, but only after the kill
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    doomed = start_worker(config, tmp_path, "doomed")
    # The marker is stored just before the POST goes out: kill the worker while Zoom works on it.
    kill_when(doomed, lambda: (meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
                                or meetings.without_meeting(0, 0)).pending_marker,
               20, "the create to be sent", after=0.3)
    claimed_at = time.monotonic()
    assert jobs.get(booknetic.db, zoom_ready.tenant_id, appt).locked_by is not None  # still leased by the dead

    successor = start_worker(config, tmp_path, "successor")
    try:
        wait_for(lambda: jobs.get(booknetic.db, zoom_ready.tenant_id, appt) is None, 30, "the job to complete")
    finally:
        successor.send_signal(signal.SIGTERM)
        successor.wait(timeout=10)

    assert time.monotonic() - claimed_at >= LEASE - 1  # it waited for the lease
    [meeting] = live_meetings(emulator)
    assert len([c for c in emulator.calls() if c["endpoint"] == "create_meeting"]) == 1
    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert (row.state, row.zoom_meeting_id, row.pending_marker) == ("active", meeting["id"], None)
    assert len(meeting_data(booknetic, appt)) == 1
    assert "pending_create_adopted" in (tmp_path / "successor.log").read_text()


def test_killed_worker_mid_reschedule_is_finished_by_another(zoom_ready, booknetic, emulator, config, tmp_path):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    emulator.hang_next(seconds=3, endpoint="update_meeting")
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    doomed = start_worker(config, tmp_path, "doomed")
    kill_when(doomed, lambda: jobs.get(booknetic.db, zoom_ready.tenant_id, appt).locked_by, 20,
               "the job to be leased", after=1.0)

    drain(config, timeout=30)

    [meeting] = live_meetings(emulator)
    assert meeting["id"] == made.meeting_id and meeting["start_time"] == "2030-01-10T15:00:00Z"
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "active"
