"""Host licences: the staff dropdown shows each Zoom user's licence, linking a Basic user warns that Zoom ends
their meetings after 40 minutes, and the tenant status counts the bookings such a host will see cut short."""
from __future__ import annotations

from tests.fixtures.booknetic import DEFAULT_START


def _basic_user(emulator, connected) -> dict:
    return emulator.seed_user(connected.account.account_id, "free@acme.example", "Fay", "Free", user_type=1)


def test_staff_dropdown_shows_each_users_licence(connected_tenant, emulator, shim):
    _basic_user(emulator, connected_tenant)

    users = shim.as_tenant(connected_tenant.tenant_id).get("/v1/tenant/zoom/users").get_json()["users"]

    licences = {u["email"]: (u["type"], u["licence"]) for u in users}
    assert licences["free@acme.example"] == (1, "Basic")
    assert licences["bob@acme.example"] == (2, "Licensed")


def test_linking_a_basic_user_answers_a_40_minute_warning(connected_tenant, emulator, shim, booknetic):
    basic = _basic_user(emulator, connected_tenant)
    staff_id = connected_tenant.world.staff_id

    answer = shim.as_tenant(connected_tenant.tenant_id).put(f"/v1/tenant/staff/{staff_id}/zoom-user",
                                                            json={"zoom_user_id": basic["id"]})

    assert answer.status_code == 200
    body = answer.get_json()
    assert body["zoom_user"]["id"] == basic["id"]
    assert "Basic" in body["warning"] and "40 minutes" in body["warning"]
    assert booknetic.data_rows("staff", staff_id, "zoom_user")  # linked all the same


def test_tenant_status_counts_upcoming_bookings_longer_than_40_minutes_on_basic_hosts(zoom_ready, booknetic,
                                                                                     emulator, shim):
    tenant = shim.as_tenant(zoom_ready.tenant_id)
    basic = _basic_user(emulator, zoom_ready.connected)
    world = zoom_ready.world
    tenant.put(f"/v1/tenant/staff/{world.staff_id}/zoom-user", json={"zoom_user_id": basic["id"]})
    long_one = booknetic.appointment(world, minutes=60)
    short_one = booknetic.appointment(world, starts_at=DEFAULT_START + 7200, minutes=40)
    for appt in (long_one, short_one):
        zoom_ready.sync(appt)

    status = tenant.get("/v1/tenant/zoom").get_json()
    assert status["meetings"]["longer_than_basic_limit"] == 1

    licensed = zoom_ready.connected.account.users[1]
    tenant.put(f"/v1/tenant/staff/{world.staff_id}/zoom-user", json={"zoom_user_id": licensed["id"]})
    zoom_ready.sync(long_one)
    assert tenant.get("/v1/tenant/zoom").get_json()["meetings"]["longer_than_basic_limit"] == 0
