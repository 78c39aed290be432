"""Linking a staff member to a Zoom user of the tenant's account (PUT /v1/tenant/staff/<id>/zoom-user)."""
from __future__ import annotations

import json

from tests.fixtures.meetings import live_meetings


def _put(shim, tenant_id, staff_id, zoom_user_id):
    return shim.as_tenant(tenant_id).put(f"/v1/tenant/staff/{staff_id}/zoom-user", json={"zoom_user_id": zoom_user_id})


def test_link_stores_the_addon_row_booknetic_reads(connected_tenant, shim, booknetic):
    user = connected_tenant.account.users[0]
    staff_id = connected_tenant.world.staff_id

    answer = _put(shim, connected_tenant.tenant_id, staff_id, user["id"])

    expected = {"id": user["id"], "name": "Bob Staff ( bob@acme.example )"}
    assert answer.status_code == 200
    assert answer.get_json() == {"staff_id": staff_id, "zoom_user": expected, "warning": None}
    [row] = booknetic.data_rows("staff", staff_id, "zoom_user")
    assert json.loads(row["data_value"]) == expected and row["tenant_id"] == connected_tenant.tenant_id
    shown = shim.as_tenant(connected_tenant.tenant_id).get(f"/v1/tenant/staff/{staff_id}/zoom-user").get_json()
    assert shown == {"staff_id": staff_id, "zoom_user": expected}


def test_null_unlinks_with_the_addon_empty_value(connected_tenant, shim, booknetic):
    staff_id = connected_tenant.world.staff_id
    _put(shim, connected_tenant.tenant_id, staff_id, connected_tenant.account.users[0]["id"])

    answer = _put(shim, connected_tenant.tenant_id, staff_id, None)

    assert answer.status_code == 200 and answer.get_json() == {"staff_id": staff_id, "zoom_user": None, "warning": None}
    [row] = booknetic.data_rows("staff", staff_id, "zoom_user")
    assert json.loads(row["data_value"]) == {"id": "", "name": ""}


def test_unknown_zoom_user_is_refused_naming_the_field(connected_tenant, shim, booknetic):
    staff_id = connected_tenant.world.staff_id

    answer = _put(shim, connected_tenant.tenant_id, staff_id, "noSuchUserInThisAccount")

    assert answer.status_code == 422 and answer.get_json()["field"] == "zoom_user_id"
    assert booknetic.data_rows("staff", staff_id, "zoom_user") == []


def test_user_of_another_zoom_account_is_refused(connected_tenant, shim, emulator):
    other_account = emulator.seed_account()
    stranger = emulator.seed_user(other_account, "stranger@elsewhere.example", "Stan", "Ger")

    answer = _put(shim, connected_tenant.tenant_id, connected_tenant.world.staff_id, stranger["id"])

    assert answer.status_code == 422 and answer.get_json()["field"] == "zoom_user_id"


def test_staff_of_another_tenant_is_not_found(connected_tenant, shim, booknetic):
    other = booknetic.world(domain="other")

    answer = _put(shim, connected_tenant.tenant_id, other.staff_id, connected_tenant.account.users[0]["id"])

    assert answer.status_code == 404
    assert booknetic.data_rows("staff", other.staff_id, "zoom_user") == []


def test_link_needs_a_connected_account(world, shim, platform_oauth, booknetic):
    answer = _put(shim, world.tenant_id, world.staff_id, "anyone")

    assert answer.status_code == 409 and answer.get_json()["error"] == "not_connected"


def test_relinking_moves_upcoming_meetings_to_the_new_host(zoom_ready, shim, booknetic, emulator):
    from sidecar.worker import Worker

    appt = booknetic.appointment(zoom_ready.world)
    past = booknetic.appointment(zoom_ready.world, starts_at=1_600_000_000)
    zoom_ready.sync(appt)
    new_host = zoom_ready.connected.account.users[1]

    _put(shim, zoom_ready.tenant_id, zoom_ready.world.staff_id, new_host["id"])

    queued = {r["appointment_id"] for r in booknetic.db.query("SELECT appointment_id FROM {jobs}")}
    assert queued == {appt} and past not in queued
    Worker(zoom_ready.ctx.config).run(until_idle=True)
    [meeting] = live_meetings(emulator)
    assert meeting["host_id"] == new_host["id"]


def test_unlinking_deletes_upcoming_meetings_through_the_worker(zoom_ready, shim, booknetic, emulator):
    from sidecar.worker import Worker

    appt = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appt)

    _put(shim, zoom_ready.tenant_id, zoom_ready.world.staff_id, None)
    Worker(zoom_ready.ctx.config).run(until_idle=True)

    assert live_meetings(emulator) == []
    assert booknetic.data_rows("appointments", appt, "zoom_meeting_data") == []
