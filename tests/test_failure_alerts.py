"""Failure alerts: a connection that needs reconnecting, or a meeting that failed for good, reaches the tenant
without looking (the shim claims the alerts and fires a Booknetic workflow event, or mails the tenant owner),
each kind at most once a day."""
from __future__ import annotations

from sidecar.services.sync_jobs import FAILED, run_job
from sidecar.store import jobs
from tests.fixtures.booknetic import DEFAULT_START


def _claim(shim) -> list[dict]:
    answer = shim.as_tenant("platform").post("/v1/platform/zoom/alerts/claim", json={})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["alerts"]


def _lose_the_grant(emulator, db, connected) -> None:
    emulator.revoke_tokens(client_id=connected.app["client_id"])
    db.execute("UPDATE {connections} SET access_expires_at = NULL WHERE tenant_id = %(t)s",
               {"t": connected.tenant_id})


def _fail_a_meeting(ctx, emulator, booknetic, world, starts_at=DEFAULT_START):
    emulator.fail_next(status=400, endpoint="create_meeting")
    appt = booknetic.appointment(world, starts_at=starts_at)
    jobs.enqueue_sync(ctx.db, world.tenant_id, appt)
    assert run_job(ctx, jobs.claim_next(ctx.db, "w1", 30)).kind == FAILED
    return appt


def test_a_connection_that_needs_reconnecting_alerts_the_tenant_owner_once(connected_tenant, emulator, shim, db):
    tid = connected_tenant.tenant_id
    _lose_the_grant(emulator, db, connected_tenant)

    assert shim.as_tenant(tid).get("/v1/tenant/zoom/users").status_code == 409

    [alert] = _claim(shim)
    assert (alert["tenant_id"], alert["kind"], alert["owner_email"]) == (tid, "needs_reconnect", "owner@acme.test")
    assert "connect the Zoom account again" in alert["message"] and alert["title"].startswith("Zoom:")
    assert _claim(shim) == []  # handed over once


def test_a_meeting_that_failed_for_good_alerts_once_a_day(zoom_ready, booknetic, emulator, shim, ctx):
    first = _fail_a_meeting(ctx, emulator, booknetic, zoom_ready.world)
    _fail_a_meeting(ctx, emulator, booknetic, zoom_ready.world, starts_at=DEFAULT_START + 3600)

    [alert] = _claim(shim)
    assert (alert["kind"], alert["appointment_id"]) == ("meeting_failed", first)
    assert f"appointment #{first}" in alert["message"]

    ctx.db.execute("UPDATE {events} SET alert_day = alert_day - INTERVAL 1 DAY")  # as if raised yesterday
    later = _fail_a_meeting(ctx, emulator, booknetic, zoom_ready.world, starts_at=DEFAULT_START + 7200)
    assert [a["appointment_id"] for a in _claim(shim)] == [later]


def test_each_kind_of_alert_counts_on_its_own(zoom_ready, booknetic, emulator, shim, ctx, db):
    _fail_a_meeting(ctx, emulator, booknetic, zoom_ready.world)
    _lose_the_grant(emulator, db, zoom_ready.connected)
    shim.as_tenant(zoom_ready.tenant_id).get("/v1/tenant/zoom/users")

    assert sorted(a["kind"] for a in _claim(shim)) == ["meeting_failed", "needs_reconnect"]


def test_only_the_platform_may_claim_alerts(shim, world):
    answer = shim.as_tenant(world.tenant_id).post("/v1/platform/zoom/alerts/claim", json={})
    assert answer.status_code == 403
