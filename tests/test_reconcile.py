"""`booknetic-zoom reconcile [--tenant] [--repair]`: Booknetic vs meeting rows vs Zoom."""
from __future__ import annotations

from sidecar.services.reconcile import DELETED_ON_ZOOM, DRIFT, GONE, MISSING, reconcile
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings
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
