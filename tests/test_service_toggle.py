"""The service "Activate Zoom" switch (PUT /v1/tenant/services/<id>/zoom) and what it does to meetings."""
from __future__ import annotations

from sidecar.worker import Worker
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.meetings import live_meetings


def _toggle(shim, tenant_id, service_id, enabled):
    return shim.as_tenant(tenant_id).put(f"/v1/tenant/services/{service_id}/zoom", json={"enabled": enabled})


def test_toggle_writes_the_addon_row(connected_tenant, shim, booknetic):
    service_id = connected_tenant.world.service_id

    assert _toggle(shim, connected_tenant.tenant_id, service_id, True).get_json() == {
        "service_id": service_id, "enabled": True}
    assert booknetic.data_rows("services", service_id, "activate_zoom") == [
        {"data_value": "1", "tenant_id": connected_tenant.tenant_id}]
    _toggle(shim, connected_tenant.tenant_id, service_id, False)
    assert booknetic.data_rows("services", service_id, "activate_zoom")[0]["data_value"] == "0"


def test_service_of_another_tenant_is_not_found(connected_tenant, shim, booknetic):
    other = booknetic.world(domain="other")
    assert _toggle(shim, connected_tenant.tenant_id, other.service_id, True).status_code == 404


def test_service_without_zoom_gets_no_meeting(zoom_ready, shim, booknetic, emulator):
    _toggle(shim, zoom_ready.tenant_id, zoom_ready.world.service_id, False)
    appt = booknetic.appointment(zoom_ready.world)

    assert zoom_ready.sync(appt).state == "none"
    assert live_meetings(emulator) == []


def test_switching_off_deletes_upcoming_meetings_and_on_brings_them_back(zoom_ready, shim, booknetic, emulator):
    world = zoom_ready.world
    appts = [booknetic.appointment(world), booknetic.appointment(world, starts_at=DEFAULT_START + 3600)]
    other_service = booknetic.service(world.tenant_id, name="In person")
    untouched = booknetic.appointment(world, service_id=other_service)
    worker = Worker(zoom_ready.ctx.config)
    for a in appts + [untouched]:
        zoom_ready.sync(a)
    assert len(live_meetings(emulator)) == 2

    _toggle(shim, zoom_ready.tenant_id, world.service_id, False)
    assert {r["appointment_id"] for r in booknetic.db.query("SELECT appointment_id FROM {jobs}")} == set(appts)
    worker.run(until_idle=True)
    assert live_meetings(emulator) == []
    assert all(booknetic.data_rows("appointments", a, "zoom_meeting_data") == [] for a in appts)

    _toggle(shim, zoom_ready.tenant_id, world.service_id, True)
    worker.run(until_idle=True)
    assert len(live_meetings(emulator)) == 2
