"""Group bookings: one meeting per session (tenant, staff, service, location, start), as Booknetic's add-on does."""
from __future__ import annotations

import threading

from sidecar import context
from sidecar.services import sync
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.meetings import live_meetings, meeting_row

LATER = DEFAULT_START + 86400


def _customers(booknetic, world, n: int) -> list[int]:
    return [booknetic.customer(world.tenant_id, first=f"Guest{i}", email=f"guest{i}@example.test") for i in range(n)]


def _session(booknetic, world, n: int, **kw) -> list[int]:
    return [booknetic.appointment(world, customer_id=c, **kw) for c in _customers(booknetic, world, n)]


def test_bookings_of_one_session_share_one_meeting(zoom_ready, booknetic, emulator):
    appts = _session(booknetic, zoom_ready.world, 3)

    results = [zoom_ready.sync(a) for a in appts]

    [meeting] = live_meetings(emulator)
    assert {r.meeting_id for r in results} == {meeting["id"]}
    assert {meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, a).join_url for a in appts} == {meeting["join_url"]}
    assert meeting["topic"] == "Online consultation with Guest0 Smith"  # the session's first booking names it


def test_other_location_or_start_is_another_session(zoom_ready, booknetic, emulator):
    a = booknetic.appointment(zoom_ready.world)
    b = booknetic.appointment(zoom_ready.world, location_id=2)
    c = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 1800)

    ids = {zoom_ready.sync(x).meeting_id for x in (a, b, c)}

    assert len(ids) == 3 and len(live_meetings(emulator)) == 3


def test_meeting_is_kept_while_anyone_needs_it_and_deleted_with_the_last(zoom_ready, booknetic, emulator):
    first, second = _session(booknetic, zoom_ready.world, 2)
    made = [zoom_ready.sync(a) for a in (first, second)][0]

    booknetic.update_appointment(first, status="canceled")
    assert zoom_ready.sync(first).state == "deleted"
    assert [m["id"] for m in live_meetings(emulator)] == [made.meeting_id]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, second).state == "active"

    booknetic.delete_appointment(second)
    assert zoom_ready.sync(second).state == "deleted"
    assert live_meetings(emulator) == []


def test_moved_session_takes_its_meeting_along_so_links_stay_valid(zoom_ready, booknetic, emulator):
    appts = _session(booknetic, zoom_ready.world, 3)
    made = [zoom_ready.sync(a) for a in appts][0]
    for a in appts:  # Booknetic updates every row of a moved session before its hooks fire
        booknetic.update_appointment(a, starts_at=LATER)
    emulator.clear_calls()

    results = [zoom_ready.sync(a) for a in appts]

    assert {(r.meeting_id, r.join_url) for r in results} == {(made.meeting_id, made.join_url)}
    [meeting] = live_meetings(emulator)
    assert meeting["start_time"] == "2030-01-11T14:00:00Z"
    assert [c["method"] for c in emulator.calls() if c["path"].startswith("/v2/")] == ["PATCH"]
    assert {meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, a).slot_key for a in appts} == {
        f"{zoom_ready.world.staff_id}:{zoom_ready.world.service_id}:0:{LATER}"}


def test_one_mover_gets_a_new_meeting_while_the_others_keep_theirs(zoom_ready, booknetic, emulator):
    stay, mover = _session(booknetic, zoom_ready.world, 2)
    made = [zoom_ready.sync(a) for a in (stay, mover)][0]
    booknetic.update_appointment(mover, starts_at=LATER)

    moved = zoom_ready.sync(mover)

    assert moved.meeting_id != made.meeting_id
    assert sorted(m["id"] for m in live_meetings(emulator)) == sorted([made.meeting_id, moved.meeting_id])
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, stay).zoom_meeting_id == made.meeting_id


def test_mover_joins_the_meeting_of_the_slot_it_moves_into(zoom_ready, booknetic, emulator):
    there = booknetic.appointment(zoom_ready.world, starts_at=LATER)
    alone = booknetic.appointment(zoom_ready.world)
    target = zoom_ready.sync(there)
    zoom_ready.sync(alone)
    booknetic.update_appointment(alone, starts_at=LATER)

    joined = zoom_ready.sync(alone)

    assert joined.meeting_id == target.meeting_id
    assert [m["id"] for m in live_meetings(emulator)] == [target.meeting_id]  # the emptied slot's meeting is gone


def test_staff_with_a_new_zoom_user_moves_the_whole_session_to_the_new_host(zoom_ready, booknetic, emulator, shim):
    appts = _session(booknetic, zoom_ready.world, 2)
    for a in appts:
        zoom_ready.sync(a)
    new_host = zoom_ready.connected.account.users[2]
    shim.as_tenant(zoom_ready.tenant_id).put(f"/v1/tenant/staff/{zoom_ready.world.staff_id}/zoom-user",
                                             json={"zoom_user_id": new_host["id"]})

    results = [zoom_ready.sync(a) for a in appts]

    [meeting] = live_meetings(emulator)
    assert meeting["host_id"] == new_host["id"]
    assert {r.meeting_id for r in results} == {meeting["id"]}


def _sync_all_at_once(config, tenant_id: int, appointment_ids: list[int]) -> tuple[list, list]:
    """Sync each appointment in its own thread (own Context), all released at once; (results, errors)."""
    results, errors = [], []
    start = threading.Barrier(len(appointment_ids))

    def run(appointment_id):
        ctx = context.build(config)
        try:
            start.wait()
            results.append(sync.sync_appointment(ctx, tenant_id, appointment_id))
        except Exception as exc:  # collected and asserted on by the caller
            errors.append(exc)
        finally:
            ctx.db.close()
            ctx.zoom.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in appointment_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def test_twenty_concurrent_syncs_of_one_appointment_make_one_meeting(zoom_ready, booknetic, emulator, config):
    appt = booknetic.appointment(zoom_ready.world)

    results, errors = _sync_all_at_once(config, zoom_ready.tenant_id, [appt] * 20)

    assert errors == []
    [meeting] = live_meetings(emulator)
    assert {r.meeting_id for r in results} == {meeting["id"]} and len(results) == 20
    assert len([c for c in emulator.calls() if c["endpoint"] == "create_meeting"]) == 1


def test_concurrent_syncs_of_a_whole_session_make_one_meeting(zoom_ready, booknetic, emulator, config):
    appts = _session(booknetic, zoom_ready.world, 8)

    results, errors = _sync_all_at_once(config, zoom_ready.tenant_id, appts)

    assert errors == []
    [meeting] = live_meetings(emulator)
    assert {r.meeting_id for r in results} == {meeting["id"]}
