"""Zoom answering 5xx and timing out for a while, then recovering: every booking ends with exactly one
correct meeting, and none is made twice."""
from __future__ import annotations

from collections import Counter

import pytest

from sidecar.services.meeting_request import utc_iso
from sidecar.store import jobs, settings
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.database import make_config
from tests.fixtures.meetings import drain, live_meetings, meeting_row


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url, zoom={"timeout": "1"},
                       jobs={"max_attempts": "30", "backoff_base": "0.05", "backoff_max": "0.3"})


def _bookings(booknetic, world) -> list[int]:
    """Eight single sessions and one group of three."""
    singles = [booknetic.appointment(world, starts_at=DEFAULT_START + i * 3600) for i in range(8)]
    guests = [booknetic.customer(world.tenant_id, first=f"G{i}", email=f"g{i}@example.test") for i in range(3)]
    group = [booknetic.appointment(world, starts_at=DEFAULT_START - 3600, customer_id=c) for c in guests]
    return singles + group


def _assert_one_meeting_per_session(ready, emulator, appts: list[int]) -> None:
    live = live_meetings(emulator)
    rows = [meeting_row(ready.ctx, ready.tenant_id, a) for a in appts]
    assert all(r.state == "active" and r.pending_marker is None for r in rows), rows
    assert len(live) == 9  # eight singles + one group session
    assert {r.zoom_meeting_id for r in rows} == {m["id"] for m in live}
    assert Counter(r.zoom_meeting_id for r in rows).most_common(1)[0][1] == 3
    by_id = {m["id"]: m for m in live}
    for appt, row in zip(appts, rows):
        assert by_id[row.zoom_meeting_id]["host_id"] == ready.host["id"]
        assert row.join_url == by_id[row.zoom_meeting_id]["join_url"]


def test_server_errors_then_recovery_leave_one_meeting_per_session(zoom_ready, booknetic, emulator, config):
    appts = _bookings(booknetic, zoom_ready.world)
    emulator.fail_next(count=12, status=500, endpoint="create_meeting")
    emulator.fail_next(count=6, status=503, endpoint="list_meetings")
    for a in appts:
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    drain(config, workers=2, timeout=90)

    _assert_one_meeting_per_session(zoom_ready, emulator, appts)


def test_timeouts_whose_creates_land_late_are_adopted_not_repeated(zoom_ready, booknetic, emulator, config):
    appts = _bookings(booknetic, zoom_ready.world)
    emulator.hang_next(seconds=1.5, count=4, endpoint="create_meeting")  # past our 1 s timeout, made anyway
    for a in appts:
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    drain(config, workers=2, timeout=90)

    _assert_one_meeting_per_session(zoom_ready, emulator, appts)
    creates = [c for c in emulator.calls() if c["endpoint"] == "create_meeting"]
    assert len(creates) == 9  # the four that timed out were looked up, not sent again


def test_reschedules_during_an_outage_end_at_the_latest_time(zoom_ready, booknetic, emulator, config):
    appts = _bookings(booknetic, zoom_ready.world)[:4]
    for a in appts:
        zoom_ready.sync(a)
    emulator.fail_next(count=10, status=502, endpoint="update_meeting")
    for step in (1, 2):  # two reschedules queued while Zoom fails: the jobs coalesce
        for a in appts:
            booknetic.update_appointment(a, starts_at=DEFAULT_START + 86400 * step + a * 60)
            jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    drain(config, timeout=60)

    live = {m["id"]: m for m in live_meetings(emulator)}
    assert len(live) == 4
    for a in appts:
        row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, a)
        assert live[row.zoom_meeting_id]["start_time"] == utc_iso(DEFAULT_START + 86400 * 2 + a * 60)


def test_a_lost_create_with_a_long_agenda_is_found_not_made_again(zoom_ready, booknetic, emulator, config):
    # Zoom's list of a host's meetings cuts the agenda to 250 characters; the marker sits further down.
    settings.save_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, settings.TenantSettings(
        True, "{service_name}", "Please read before the call: " + "bring your documents. " * 20, True))
    appts = [booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + i * 3600) for i in range(3)]
    emulator.hang_next(seconds=1.5, count=3, endpoint="create_meeting")  # past our 1 s timeout, made anyway
    for a in appts:
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    drain(config, timeout=90)

    live = live_meetings(emulator)
    assert len(live) == 3 and all(len(m["agenda"]) > 250 for m in live)
    assert {meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, a).zoom_meeting_id for a in appts} == {
        m["id"] for m in live}


def test_zoom_refusing_connections_for_a_while_loses_and_doubles_nothing(zoom_ready, booknetic, emulator, config):
    appts = _bookings(booknetic, zoom_ready.world)
    emulator.refuse_connections(1.5)  # nothing listens: every call fails before it is sent
    for a in appts:
        jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, a)

    drain(config, workers=2, timeout=90)

    _assert_one_meeting_per_session(zoom_ready, emulator, appts)
