"""A staff member's Zoom user changes: the booking moves to a meeting under the new host and the old
meeting goes from Zoom, even when the delete keeps failing or the process dies between create and delete."""
from __future__ import annotations

import pytest

from sidecar.store import deletions, events, jobs
from sidecar.zoom import ZoomUnavailable
from tests.fixtures.database import make_config
from tests.fixtures.meetings import drain, kill_when, live_meetings, meeting_row, start_worker

LEASE = 3  # seconds: a killed worker's job is taken over quickly


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url, zoom={"timeout": "10"},
                       jobs={"lease_seconds": str(LEASE), "backoff_base": "0.05", "backoff_max": "0.2",
                             "max_attempts": "30"})


def _booking_with_new_host(zoom_ready, booknetic, shim):
    """A booking synced under the first host, whose staff member then gets another Zoom user."""
    appt = booknetic.appointment(zoom_ready.world)
    old = zoom_ready.sync(appt)
    new_host = zoom_ready.connected.account.users[1]
    linked = shim.as_tenant(zoom_ready.tenant_id).put(f"/v1/tenant/staff/{zoom_ready.world.staff_id}/zoom-user",
                                                      json={"zoom_user_id": new_host["id"]})
    assert linked.status_code == 200
    return appt, old.meeting_id, new_host


def _only_the_new_meeting_is_left(zoom_ready, emulator, appt, old_id, new_host):
    [meeting] = live_meetings(emulator)
    assert meeting["id"] != old_id and meeting["host_id"] == new_host["id"]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).zoom_meeting_id == meeting["id"]
    assert deletions.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id) == []


def test_a_failing_delete_of_the_old_meeting_is_retried_until_zoom_has_it_gone(zoom_ready, booknetic, emulator,
                                                                               shim, config):
    appt, old_id, new_host = _booking_with_new_host(zoom_ready, booknetic, shim)
    emulator.fail_next(count=9, status=503, endpoint="delete_meeting")  # three syncs' worth of tries
    emulator.clear_calls()
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)

    drain(config, timeout=60)

    _only_the_new_meeting_is_left(zoom_ready, emulator, appt, old_id, new_host)
    assert len(emulator.calls("create_meeting")) == 1


def test_giving_up_on_the_old_meetings_delete_leaves_the_booking_on_its_new_meeting(zoom_ready, booknetic, emulator,
                                                                                     shim, db_name, encryption_key,
                                                                                     zoom_base_url):
    config = make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url,
                         jobs={"backoff_base": "0.01", "backoff_max": "0.05", "max_attempts": "2"})
    appt, old_id, new_host = _booking_with_new_host(zoom_ready, booknetic, shim)
    emulator.fail_next(count=100, status=503, endpoint="delete_meeting")
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)

    drain(config, timeout=60)  # the job gives up: the delete failed on every try

    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert (row.state, row.last_error, row.host_user_id) == ("active", None, new_host["id"])
    # No "could not be made" alert: it was made. The old meeting stays recorded for reconcile --repair.
    assert events.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, events.MEETING_FAILED) == []
    assert [d.zoom_meeting_id for d in deletions.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id)] == [old_id]


def test_a_new_host_after_the_old_meeting_was_held_leaves_that_meeting_on_zoom(zoom_ready, booknetic, emulator, shim):
    appt, old_id, new_host = _booking_with_new_host(zoom_ready, booknetic, shim)
    emulator.start_meeting(old_id)
    emulator.end_meeting(old_id)

    result = zoom_ready.sync(appt)

    assert {m["id"] for m in live_meetings(emulator)} == {old_id, result.meeting_id}  # Zoom keeps a held one
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).host_user_id == new_host["id"]
    assert deletions.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id) == []  # nothing left to retry


def test_the_old_meeting_is_recorded_before_the_new_one_is_asked_for(zoom_ready, booknetic, emulator, shim):
    appt, old_id, new_host = _booking_with_new_host(zoom_ready, booknetic, shim)
    emulator.fail_next(status=503, endpoint="create_meeting")

    with pytest.raises(ZoomUnavailable):
        zoom_ready.sync(appt)

    # Recorded before the POST; still the booking's meeting while nothing replaced it.
    assert [d.zoom_meeting_id for d in deletions.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id)] == [old_id]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).zoom_meeting_id == old_id
    assert old_id in {m["id"] for m in live_meetings(emulator)}
    zoom_ready.sync(appt)
    _only_the_new_meeting_is_left(zoom_ready, emulator, appt, old_id, new_host)


@pytest.mark.parametrize("dies_during", ["create_meeting", "delete_meeting"])
def test_a_worker_killed_between_create_and_delete_leaves_no_meeting_behind(zoom_ready, booknetic, emulator, shim,
                                                                            config, tmp_path, dies_during):
    appt, old_id, new_host = _booking_with_new_host(zoom_ready, booknetic, shim)
    emulator.hang_next(seconds=2 if dies_during == "create_meeting" else 15, endpoint=dies_during)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    doomed = start_worker(config, tmp_path, "doomed")
    kill_when(doomed, lambda: not emulator.faults(), 20, f"{dies_during} to be sent", after=0.2)
    if dies_during == "delete_meeting":
        recorded = deletions.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id)
        assert [d.zoom_meeting_id for d in recorded] == [old_id]

    drain(config, timeout=60)  # after the dead worker's lease

    _only_the_new_meeting_is_left(zoom_ready, emulator, appt, old_id, new_host)
