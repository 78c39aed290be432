"""Tenant isolation: tenant B can never read, connect, disconnect or list users of tenant A; A's state is A's."""
from __future__ import annotations

import requests

from tests.fixtures.connect import RETURN_URL, code_and_state, connect_oauth


def test_tenant_b_sees_only_its_own_status(shim, booknetic, connected_tenant):
    b = booknetic.world(domain="beta").tenant_id
    status = shim.as_tenant(b).get("/v1/tenant/zoom").get_json()
    assert status["connected"] is False and status["account_email"] is None and status["account_id"] is None


def test_tenant_b_cannot_list_the_users_of_a(shim, booknetic, connected_tenant):
    b = booknetic.world(domain="beta").tenant_id
    answer = shim.as_tenant(b).get("/v1/tenant/zoom/users")
    assert answer.status_code == 409 and answer.get_json()["error"] == "not_connected"
    assert shim.as_tenant(connected_tenant.tenant_id).get("/v1/tenant/zoom/users").status_code == 200


def test_tenant_b_disconnecting_leaves_a_connected(shim, db, booknetic, emulator, connected_tenant):
    b = booknetic.world(domain="beta").tenant_id
    assert shim.as_tenant(b).delete("/v1/tenant/zoom").status_code == 200
    assert [r["tenant_id"] for r in db.query("SELECT tenant_id FROM {connections}")] == [connected_tenant.tenant_id]
    assert emulator.calls(endpoint="revoke") == []


def test_tenant_b_connecting_does_not_touch_a(shim, db, booknetic, emulator_account, connected_tenant):
    b = booknetic.world(domain="beta").tenant_id
    connect_oauth(shim, b, emulator_account.users[0]["email"])
    rows = {r["tenant_id"]: r["zoom_user_id"] for r in db.query("SELECT tenant_id, zoom_user_id FROM {connections}")}
    assert rows == {connected_tenant.tenant_id: emulator_account.admin["id"], b: emulator_account.users[0]["id"]}


def test_a_state_made_for_a_cannot_be_used_by_b(shim, db, booknetic, world, emulator_account, platform_oauth):
    b = booknetic.world(domain="beta").tenant_id
    started = shim.as_tenant(world.tenant_id).post("/v1/tenant/zoom/connect", json={"return_url": RETURN_URL})
    consent = requests.get(started.get_json()["authorize_url"], params={"auto_approve": emulator_account.admin["email"]},
                           allow_redirects=False, timeout=10)
    code, state = code_and_state(consent.headers["Location"])
    stolen = shim.as_tenant(b).post("/v1/oauth/callback", json={"code": code, "state": state})
    assert stolen.status_code == 400 and stolen.get_json()["error"] == "invalid_state"
    assert db.query("SELECT * FROM {connections}") == []
    # B's attempt did not burn A's state: A can still finish.
    own = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": state})
    assert own.status_code == 200 and own.get_json()["tenant_id"] == world.tenant_id


def test_the_tenant_comes_from_the_header_never_the_body(shim, world, booknetic, platform_oauth):
    b = booknetic.world(domain="beta").tenant_id
    answer = shim.as_tenant(b).post("/v1/tenant/zoom/connect",
                                    json={"return_url": RETURN_URL, "tenant_id": world.tenant_id})
    assert answer.status_code == 403 and answer.get_json()["error"] == "tenant_in_body"


def test_platform_signed_calls_cannot_use_tenant_routes(shim, connected_tenant):
    answer = shim.as_tenant("platform").get("/v1/tenant/zoom/users")
    assert answer.status_code == 403 and answer.get_json()["error"] == "tenant_required"


def test_a_sync_of_another_tenants_appointment_is_404_and_writes_nothing(shim, db, booknetic, world):
    theirs = booknetic.appointment(world)
    a = booknetic.world(domain="alpha").tenant_id

    answer = shim.as_tenant(a).post(f"/v1/tenant/appointments/{theirs}/sync", json={})

    assert answer.status_code == 404 and answer.get_json()["error"] == "unknown_appointment"
    assert db.query("SELECT * FROM {jobs}") == [] and db.query("SELECT * FROM {meetings}") == []
    assert shim.as_tenant(a).get("/v1/tenant/zoom").get_json()["queued"] == 0


def test_a_deleted_appointments_sync_still_runs_when_the_shim_wrote_its_job(zoom_ready, booknetic, emulator, shim):
    from sidecar.store import jobs

    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)
    booknetic.delete_appointment(appt)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appt)  # as the shim's hook does, before the ping

    answer = shim.as_tenant(zoom_ready.tenant_id).post(f"/v1/tenant/appointments/{appt}/sync", json={})

    assert answer.status_code == 200 and answer.get_json()["state"] == "deleted"
    assert emulator.meetings() == [] and booknetic.db.query("SELECT * FROM {jobs}") == []
