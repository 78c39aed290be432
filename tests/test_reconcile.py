"""`booknetic-zoom reconcile [--tenant] [--repair]`: Booknetic vs meeting rows vs Zoom."""
from __future__ import annotations

import pytest

from sidecar.services.reconcile import DELETED_ON_ZOOM, DRIFT, GONE, MISSING, NOT_DELETED, ORPHAN, reconcile
from sidecar.services.sync import OldMeetingNotDeleted
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings
from sidecar.zoom import ZoomUnavailable
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.meetings import live_meetings, meeting_row


def test_reconcile_reports_each_disagreement_and_repair_fixes_them(zoom_ready, booknetic, emulator):
    ctx, tid, world = zoom_ready.ctx, zoom_ready.tenant_id, zoom_ready.world
    fine, gone, flagged, drifted, missing = (booknetic.appointment(world, starts_at=DEFAULT_START + i * 3600)
                                             for i in range(5))
    made = {a: zoom_ready.sync(a) for a in (fine, gone, flagged, drifted)}
    emulator.delete_meeting_on_zoom(made[gone].meeting_id)
    emulator.delete_meeting_on_zoom(made[flagged].meeting_id)
    meetings.mark_deleted_on_zoom(ctx.db, [tid], made[flagged].meeting_id)
    ctx.zoom.api.update_meeting(TenantTokens(ctx, tid), made[drifted].meeting_id, {"duration": 5})  # by a person
    lines = []

    report = reconcile(ctx, tid, progress=lines.append)

    assert report.checked == 5
    assert {(f.appointment_id, f.kind) for f in report.findings} == {
        (gone, GONE), (flagged, DELETED_ON_ZOOM), (drifted, DRIFT), (missing, MISSING)}
    assert any(f"appointment {missing}: missing" in line for line in lines)

    repaired = reconcile(ctx, tid, repair=True)

    assert repaired.repaired == 4 and repaired.repair_errors == []
    assert reconcile(ctx, tid).findings == []
    live = {m["id"]: m for m in live_meetings(emulator)}
    assert len(live) == 5
    assert live[meeting_row(ctx, tid, drifted).zoom_meeting_id]["duration"] == 30


def test_reconcile_skips_tenants_that_may_not_have_meetings(world, booknetic, ctx):
    booknetic.appointment(world)
    report = reconcile(ctx)
    assert report.skipped_tenants == [world.tenant_id] and report.findings == []


def test_reconcile_skips_a_tenant_while_zoom_is_down_instead_of_crashing(zoom_ready, booknetic, emulator):
    ctx, tid = zoom_ready.ctx, zoom_ready.tenant_id
    zoom_ready.sync(booknetic.appointment(zoom_ready.world))
    emulator.fail_next(count=10, status=503, endpoint="get_meeting")
    lines = []

    report = reconcile(ctx, tid, progress=lines.append)

    assert report.skipped_tenants == [tid] and report.checked == 0
    assert any("Zoom failed" in line for line in lines)


def test_reconcile_finds_orphans_on_zoom_and_repair_deletes_them(zoom_ready, booknetic, emulator):
    ctx, tid = zoom_ready.ctx, zoom_ready.tenant_id
    appt = booknetic.appointment(zoom_ready.world)
    kept = zoom_ready.sync(appt)
    tokens, host = TenantTokens(ctx, tid), zoom_ready.host["id"]
    body = {"topic": "Left behind", "type": 2, "start_time": "2030-01-10T10:00:00Z", "duration": 30,
            "agenda": "A long agenda. " * 30}  # the marker sits past the 250 characters Zoom lists
    orphan = ctx.zoom.api.create_meeting(tokens, host, body, f"bkz-{tid}-{appt}-{'0a' * 6}")
    someone_elses = ctx.zoom.api.create_meeting(tokens, host, body, "made by a person")

    report = reconcile(ctx, tid)

    assert [(f.kind, f.appointment_id, f.zoom_meeting_id) for f in report.findings] == [(ORPHAN, appt, orphan["id"])]
    repaired = reconcile(ctx, tid, repair=True)
    assert repaired.repaired == 1 and reconcile(ctx, tid).findings == []
    assert {m["id"] for m in live_meetings(emulator)} == {kept.meeting_id, someone_elses["id"]}


def test_a_meeting_zoom_kept_because_it_was_held_is_no_orphan(zoom_ready, booknetic, emulator):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    emulator.start_meeting(made.meeting_id)
    emulator.end_meeting(made.meeting_id)
    booknetic.update_appointment(appt, status="canceled")
    assert zoom_ready.sync(appt).state == "deleted"  # Zoom keeps the meeting (3007)

    assert reconcile(zoom_ready.ctx, zoom_ready.tenant_id).findings == []


def test_reconcile_reports_a_meeting_whose_delete_keeps_failing_and_repair_retries_it(zoom_ready, booknetic,
                                                                                      emulator, shim):
    ctx, tid = zoom_ready.ctx, zoom_ready.tenant_id
    appt = booknetic.appointment(zoom_ready.world)
    old = zoom_ready.sync(appt)
    shim.as_tenant(tid).put(f"/v1/tenant/staff/{zoom_ready.world.staff_id}/zoom-user",
                            json={"zoom_user_id": zoom_ready.connected.account.users[1]["id"]})
    emulator.fail_next(count=3, status=503, endpoint="delete_meeting")
    with pytest.raises(OldMeetingNotDeleted) as failed:
        zoom_ready.sync(appt)
    assert isinstance(failed.value.__cause__, ZoomUnavailable)

    report = reconcile(ctx, tid)

    assert [(f.kind, f.appointment_id) for f in report.findings] == [(NOT_DELETED, appt)]
    assert reconcile(ctx, tid, repair=True).repaired == 1
    assert old.meeting_id not in {m["id"] for m in live_meetings(emulator)}
    assert reconcile(ctx, tid).findings == []
