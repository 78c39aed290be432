"""The one operation, row by row of SPEC section 2's table, against real MariaDB and the Zoom emulator."""
from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from sidecar.services import links, sync
from sidecar.services.meeting_request import meeting_request
from sidecar.services.webhooks import zoom_signature
from sidecar.store import events, meetings, settings
from sidecar.zoom import ZoomUnavailable
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.connect import WEBHOOK_SECRET
from tests.fixtures.meetings import live_meetings, meeting_data, meeting_row


def zoom_calls(emulator, method: str) -> list[dict]:
    return [c for c in emulator.calls() if c["method"] == method and c["path"].startswith("/v2/")]


def test_busy_booking_gets_a_meeting_under_the_staff_zoom_user(zoom_ready, booknetic, emulator):
    booknetic.option("timezone_string", "Europe/Berlin")
    appt = booknetic.appointment(zoom_ready.world, minutes=45)

    result = zoom_ready.sync(appt)

    [meeting] = live_meetings(emulator)
    assert result.state == "active" and result.meeting_id == meeting["id"]
    assert meeting["host_id"] == zoom_ready.host["id"]
    assert meeting["start_time"] == "2030-01-10T14:00:00Z"
    assert meeting["timezone"] == "Europe/Berlin" and meeting["duration"] == 45
    assert meeting["topic"] == "Online consultation with John Smith"
    assert re.fullmatch(r"\d{6}", meeting["password"])
    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert (row.state, row.zoom_meeting_id, row.host_user_id) == ("active", meeting["id"], zoom_ready.host["id"])
    assert (row.join_url, row.password) == (meeting["join_url"], meeting["password"])
    assert json.loads(row.fingerprint) == {"start_time": "2030-01-10T14:00:00Z", "duration": 45,
                                           "topic": "Online consultation with John Smith",
                                           "timezone": "Europe/Berlin"}
    [data] = meeting_data(booknetic, appt)
    value = json.loads(data["data_value"])
    assert data["tenant_id"] == zoom_ready.tenant_id
    assert value["id"] == meeting["id"] and value["join_url"] == meeting["join_url"]
    assert value["password"] == meeting["password"]
    assert value["start_url"].startswith("http://wordpress.test/?booknetic_action=zoom_host&t=")


def test_sync_again_without_changes_calls_zoom_for_nothing(zoom_ready, booknetic, emulator):
    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)
    emulator.clear_calls()

    again = zoom_ready.sync(appt)

    assert again.state == "active"
    assert [c for c in emulator.calls() if c["path"].startswith("/v2/")] == []
    assert len(live_meetings(emulator)) == 1


def test_tenant_templates_and_random_password_shape_the_meeting(zoom_ready, booknetic, emulator):
    settings.save_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, settings.TenantSettings(
        True, "<b>{staff_name}</b> & {customer_first_name} on {appointment_date} {appointment_start_time}",
        "<p>Booking #{appointment_id} for {customer_email}</p>" + "x" * 3000, False))
    appt = booknetic.appointment(zoom_ready.world)

    zoom_ready.sync(appt)

    [meeting] = live_meetings(emulator)
    assert meeting["topic"] == "Jane Doe & John on 2030-01-10 14:00"
    assert meeting["agenda"].startswith(f"Booking #{appt} for john@acme.example")
    assert len(meeting["agenda"]) <= 2000
    [create] = [c for c in zoom_calls(emulator, "POST")]
    assert "password" not in create["json"]


@pytest.mark.parametrize("change", ["reschedule", "duration", "topic", "timezone"])
def test_changed_time_duration_topic_or_timezone_patches_the_same_meeting(zoom_ready, booknetic, emulator, change):
    appt = booknetic.appointment(zoom_ready.world)
    first = zoom_ready.sync(appt)
    if change == "reschedule":
        booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    elif change == "duration":
        booknetic.update_appointment(appt, ends_at=DEFAULT_START + 60 * 60)
    elif change == "topic":
        settings.save_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, settings.TenantSettings(
            True, "Call about {service_name}", "", True))
    else:
        booknetic.option("timezone_string", "America/New_York")
    emulator.clear_calls()

    result = zoom_ready.sync(appt)

    assert result.meeting_id == first.meeting_id and result.join_url == first.join_url
    [patch] = zoom_calls(emulator, "PATCH")
    assert "password" not in patch["json"]
    assert zoom_calls(emulator, "POST") == [] and zoom_calls(emulator, "DELETE") == []
    [meeting] = live_meetings(emulator)
    expected = {"reschedule": ("start_time", "2030-01-10T15:00:00Z"), "duration": ("duration", 60),
                "topic": ("topic", "Call about Online consultation"), "timezone": ("timezone", "America/New_York")}
    key, value = expected[change]
    assert meeting[key] == value


def test_new_zoom_user_for_the_staff_creates_under_the_new_host_then_deletes_the_old(zoom_ready, booknetic,
                                                                                     emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    old = zoom_ready.sync(appt)
    new_host = zoom_ready.connected.account.users[1]
    shim.as_tenant(zoom_ready.tenant_id).put(f"/v1/tenant/staff/{zoom_ready.world.staff_id}/zoom-user",
                                             json={"zoom_user_id": new_host["id"]})
    emulator.clear_calls()

    result = zoom_ready.sync(appt)

    calls = [(c["method"], c["endpoint"]) for c in emulator.calls() if c["path"].startswith("/v2/")]
    assert calls.index(("POST", "create_meeting")) < calls.index(("DELETE", "delete_meeting"))
    [meeting] = live_meetings(emulator)
    assert meeting["host_id"] == new_host["id"] and meeting["id"] == result.meeting_id != old.meeting_id
    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert (row.zoom_meeting_id, row.host_user_id) == (meeting["id"], new_host["id"])
    assert json.loads(meeting_data(booknetic, appt)[0]["data_value"])["id"] == meeting["id"]


def _cancel(booknetic, appt):
    booknetic.update_appointment(appt, status="canceled")


def _reject(booknetic, appt):
    booknetic.update_appointment(appt, status="rejected")


def _delete(booknetic, appt):
    booknetic.delete_appointment(appt)


@pytest.mark.parametrize("stop", [_cancel, _reject, _delete], ids=["canceled", "rejected", "deleted"])
def test_appointment_that_stops_needing_a_meeting_deletes_it(zoom_ready, booknetic, emulator, stop):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    stop(booknetic, appt)

    result = zoom_ready.sync(appt)

    assert result.state == "deleted"
    assert live_meetings(emulator) == []
    assert [c["path"] for c in zoom_calls(emulator, "DELETE")] == [f"/v2/meetings/{made.meeting_id}"]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "deleted"
    assert meeting_data(booknetic, appt) == []


@pytest.mark.parametrize("held", ["in progress", "over"])
def test_a_booking_cancelled_once_its_meeting_was_held_lets_go_of_it(zoom_ready, booknetic, emulator, held):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    emulator.start_meeting(made.meeting_id)
    if held == "over":
        emulator.end_meeting(made.meeting_id)
    _cancel(booknetic, appt)  # or marked no-show, after the session

    result = zoom_ready.sync(appt)

    # Zoom refuses to delete a meeting that was held (3002, 3007): it stays there, and nothing has failed.
    assert result.state == "deleted"
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "deleted"
    assert meeting_data(booknetic, appt) == []
    assert [m["id"] for m in live_meetings(emulator)] == [made.meeting_id]
    assert zoom_ready.sync(appt).state == "deleted" and len(zoom_calls(emulator, "DELETE")) == 1


@pytest.mark.parametrize("switch", ["service", "staff"])
def test_service_toggle_off_or_staff_unlinked_deletes_the_meeting(zoom_ready, booknetic, emulator, shim, switch):
    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)
    tenant, world = shim.as_tenant(zoom_ready.tenant_id), zoom_ready.world
    if switch == "service":
        tenant.put(f"/v1/tenant/services/{world.service_id}/zoom", json={"enabled": False})
    else:
        tenant.put(f"/v1/tenant/staff/{world.staff_id}/zoom-user", json={"zoom_user_id": None})

    assert zoom_ready.sync(appt).state == "deleted"
    assert live_meetings(emulator) == []
    assert meeting_data(booknetic, appt) == []


def test_failed_delete_stays_recorded_until_zoom_confirms(zoom_ready, booknetic, emulator):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    _cancel(booknetic, appt)
    emulator.fail_next(count=3, status=503, endpoint="delete_meeting")

    with pytest.raises(ZoomUnavailable):
        zoom_ready.sync(appt)
    row = meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt)
    assert (row.state, row.zoom_meeting_id) == ("active", made.meeting_id)
    assert len(meeting_data(booknetic, appt)) == 1

    assert zoom_ready.sync(appt).state == "deleted"
    assert live_meetings(emulator) == []


def test_delete_of_a_meeting_already_gone_counts_as_done(zoom_ready, booknetic, emulator):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    emulator.delete_meeting_on_zoom(made.meeting_id)  # no webhook reaches us
    _cancel(booknetic, appt)

    assert zoom_ready.sync(appt).state == "deleted"
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "deleted"


def _disconnect(zoom_ready, shim, booknetic):
    assert shim.as_tenant(zoom_ready.tenant_id).delete("/v1/tenant/zoom").status_code == 200


def _plan_loses_zoom(zoom_ready, shim, booknetic):
    booknetic.db.execute("UPDATE {plans} SET permissions = %(p)s WHERE id = %(id)s",
                         {"p": json.dumps({"capabilities": {"zoom": "off"}}), "id": zoom_ready.world.plan_id})


def _platform_off(zoom_ready, shim, booknetic):
    s = settings.platform(zoom_ready.ctx.db, zoom_ready.ctx.crypto)
    settings.save_platform(zoom_ready.ctx.db, zoom_ready.ctx.crypto, enabled=False, method=s.method,
                           client_id=s.client_id, client_secret=None, webhook_secret_token=None)


def _tenant_off(zoom_ready, shim, booknetic):
    answer = shim.as_tenant(zoom_ready.tenant_id).put("/v1/tenant/zoom/settings", json={
        "enabled": False, "meeting_title": "{service_name}", "meeting_agenda": "", "random_password": True})
    assert answer.status_code == 200, answer.get_json()


@pytest.mark.parametrize("switch_off", [_disconnect, _plan_loses_zoom, _platform_off, _tenant_off],
                         ids=["disconnected", "plan_lost_zoom", "platform_off", "tenant_off"])
def test_without_zoom_for_the_tenant_old_meetings_stay_and_new_bookings_get_none(zoom_ready, booknetic, emulator,
                                                                                shim, switch_off):
    kept = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(kept)
    switch_off(zoom_ready, shim, booknetic)
    _cancel(booknetic, kept)
    fresh = booknetic.appointment(zoom_ready.world, starts_at=DEFAULT_START + 7200)
    emulator.clear_calls()

    assert zoom_ready.sync(kept).state == "active"
    assert zoom_ready.sync(fresh).state == "none"

    assert [c for c in emulator.calls() if c["path"].startswith("/v2/")] == []
    assert [m["id"] for m in live_meetings(emulator)] == [made.meeting_id]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, fresh) is None


def _signed_webhook(shim, event: dict):
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    return shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)})


def test_meeting_deleted_on_zoom_is_flagged_and_not_recreated_until_repair(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)
    emulator.delete_meeting_on_zoom(made.meeting_id)

    answer = _signed_webhook(shim, {"event": "meeting.deleted", "event_ts": int(time.time() * 1000), "payload": {
        "account_id": zoom_ready.connected.account.account_id, "operator": "bob@acme.example",
        "object": {"id": made.meeting_id, "uuid": "x", "host_id": zoom_ready.host["id"], "type": 2}}})

    assert answer.status_code == 200 and answer.get_json()["flagged"] == 1
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "deleted_on_zoom"
    emulator.clear_calls()
    assert zoom_ready.sync(appt).state == "deleted_on_zoom"
    assert zoom_calls(emulator, "POST") == [] and live_meetings(emulator) == []
    status = shim.as_tenant(zoom_ready.tenant_id).get("/v1/tenant/zoom").get_json()
    assert status["meetings"]["active"] == 0

    repaired = zoom_ready.sync(appt, repair=True)

    assert repaired.state == "active" and repaired.meeting_id != made.meeting_id
    assert [m["id"] for m in live_meetings(emulator)] == [repaired.meeting_id]


def _join_redirect(shim, ctx, tenant_id: int, appointment_id: int) -> str:
    token = parse_qs(urlsplit(links.join_link(ctx, tenant_id, appointment_id)).query)["t"][0]
    return shim.get(f"/v1/join/{token}").headers["Location"]


def test_reschedule_whose_patch_zoom_answers_3001_creates_a_new_meeting(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    old = zoom_ready.sync(appt)
    emulator.delete_meeting_on_zoom(old.meeting_id)  # a person deleted it; no webhook reached us
    booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    emulator.clear_calls()

    result = zoom_ready.sync(appt)

    assert [(c["method"], c["status"]) for c in zoom_calls(emulator, "PATCH")] == [("PATCH", 404)]
    [meeting] = live_meetings(emulator)
    assert result.state == "active" and result.meeting_id == meeting["id"] != old.meeting_id
    assert meeting["start_time"] == "2030-01-10T15:00:00Z"
    assert json.loads(meeting_data(booknetic, appt)[0]["data_value"])["id"] == meeting["id"]
    assert _join_redirect(shim, zoom_ready.ctx, zoom_ready.tenant_id, appt) == meeting["join_url"]
    [event] = events.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, events.MEETING_RECREATED)
    assert event.appointment_id == appt and str(old.meeting_id) in event.detail


def test_reschedule_of_a_meeting_flagged_deleted_on_zoom_creates_a_new_one(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    old = zoom_ready.sync(appt)
    emulator.delete_meeting_on_zoom(old.meeting_id)
    meetings.mark_deleted_on_zoom(zoom_ready.ctx.db, [zoom_ready.tenant_id], old.meeting_id)  # the webhook's doing
    assert zoom_ready.sync(appt).state == "deleted_on_zoom"  # unchanged booking: stays deleted
    booknetic.update_appointment(appt, starts_at=DEFAULT_START + 3600)
    emulator.clear_calls()

    result = zoom_ready.sync(appt)

    assert zoom_calls(emulator, "PATCH") == [] and len(zoom_calls(emulator, "POST")) == 1
    assert result.state == "active" and [m["id"] for m in live_meetings(emulator)] == [result.meeting_id]
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "active"
    assert len(events.of_tenant(zoom_ready.ctx.db, zoom_ready.tenant_id, events.MEETING_RECREATED)) == 1


def test_meeting_deleted_webhook_of_another_account_flags_nothing(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    made = zoom_ready.sync(appt)

    answer = _signed_webhook(shim, {"event": "meeting.deleted", "payload": {
        "account_id": "someOtherAccount", "object": {"id": made.meeting_id}}})

    assert answer.get_json()["flagged"] == 0
    assert meeting_row(zoom_ready.ctx, zoom_ready.tenant_id, appt).state == "active"


@pytest.mark.parametrize("nonsense", ["staff", "service", "times"])
def test_nonsense_booknetic_row_is_refused_with_a_clear_error(zoom_ready, booknetic, emulator, nonsense):
    if nonsense == "staff":
        appt = booknetic.appointment(zoom_ready.world, staff_id=999999)
    elif nonsense == "service":
        appt = booknetic.appointment(zoom_ready.world, service_id=999999)
    else:
        appt = booknetic.appointment(zoom_ready.world)
        booknetic.update_appointment(appt, ends_at=DEFAULT_START - 60)

    with pytest.raises(sync.InvalidAppointment, match=f"appointment {appt}"):
        zoom_ready.sync(appt)
    assert live_meetings(emulator) == []


def test_meeting_request_sends_utc_start_and_the_site_timezone(world, booknetic, db):
    from sidecar.booknetic import appointments

    appt = appointments.get(db, world.tenant_id, booknetic.appointment(world, minutes=90))
    body = meeting_request(appt, settings.TenantSettings(True, "{customer_full_name}", "", True), "Asia/Tokyo")
    assert body["start_time"] == "2030-01-10T14:00:00Z" and body["timezone"] == "Asia/Tokyo"
    assert body["duration"] == 90 and body["type"] == 2 and len(body["password"]) <= 10
    assert meeting_request(appt, settings.TenantSettings(True, "", "", False), "Not/AZone")["timezone"] == "UTC"


def test_sync_route_answers_the_outcome(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)

    answer = shim.as_tenant(zoom_ready.tenant_id).post(f"/v1/tenant/appointments/{appt}/sync", json={})

    [meeting] = live_meetings(emulator)
    assert answer.status_code == 200
    assert answer.get_json() == {"appointment_id": appt, "state": "active",
                                 "meeting": {"id": meeting["id"], "join_url": meeting["join_url"]}}
    assert booknetic.db.query("SELECT * FROM {jobs}") == []


def test_sync_route_answers_202_and_keeps_the_job_while_zoom_fails(zoom_ready, booknetic, emulator, shim):
    appt = booknetic.appointment(zoom_ready.world)
    emulator.fail_next(count=5, status=500, endpoint="create_meeting")

    answer = shim.as_tenant(zoom_ready.tenant_id).post(f"/v1/tenant/appointments/{appt}/sync", json={})

    assert answer.status_code == 202
    assert answer.get_json() == {"appointment_id": appt, "state": "queued", "meeting": None}
    [job] = booknetic.db.query("SELECT * FROM {jobs}")
    assert job["appointment_id"] == appt and job["locked_by"] is None and "HTTP 500" in job["last_error"]


def test_sync_route_answers_202_when_another_process_holds_the_job(zoom_ready, booknetic, emulator, shim):
    from sidecar.store import jobs

    appt = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)
    assert jobs.claim(booknetic.db, zoom_ready.tenant_id, appt, "other-worker", 60) is not None

    answer = shim.as_tenant(zoom_ready.tenant_id).post(f"/v1/tenant/appointments/{appt}/sync", json={})

    assert answer.status_code == 202 and live_meetings(emulator) == []
    assert jobs.get(booknetic.db, zoom_ready.tenant_id, appt).version == 2  # the next run is not lost


def test_sync_route_is_refused_without_the_plan(world, shim, booknetic):
    booknetic.db.execute("UPDATE {plans} SET permissions = %(p)s", {"p": "{}"})
    answer = shim.as_tenant(world.tenant_id).post("/v1/tenant/appointments/1/sync", json={})
    assert answer.status_code == 403 and answer.get_json()["error"] == "plan_lacks_zoom"
