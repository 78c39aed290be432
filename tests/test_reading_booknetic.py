"""Reading Booknetic's rows: tenant, plan capability, appointment with customer, staff and service."""
from sidecar import cross_table
from sidecar.booknetic import addon_data, appointments, options, tenants


def test_appointment_reads_with_customer_staff_and_service(db, booknetic, world):
    appt_id = booknetic.appointment(world, starts_at=1894284000, minutes=45)
    appt = appointments.get(db, world.tenant_id, appt_id)
    assert appt.staff_name == "Jane Doe" and appt.service_name == "Online consultation"
    assert appt.customer_name == "John Smith"
    assert appt.duration_minutes == 45 and appt.busy


def test_another_tenants_appointment_is_invisible(db, booknetic, world):
    other = booknetic.world(domain="other")
    appt_id = booknetic.appointment(other)
    assert appointments.get(db, world.tenant_id, appt_id) is None


def test_plan_capability_decides_zoom(db, booknetic):
    with_zoom = booknetic.world()
    without = booknetic.world(zoom_plan=False, domain="basic")
    assert tenants.can(tenants.get(db, with_zoom.tenant_id), "zoom")
    assert not tenants.can(tenants.get(db, without.tenant_id), "zoom")


def test_expired_tenant_falls_back_to_the_expire_plan(db, booknetic):
    booknetic.plan(zoom=False, name="Expired", expire_plan=True)
    tenant_id = booknetic.tenant(booknetic.plan(zoom=True), domain="late", expires_in="2020-01-01 00:00:00")
    assert not tenants.can(tenants.get(db, tenant_id), "zoom")


def test_group_session_rows_are_found_together(db, booknetic, world):
    second_customer = booknetic.customer(world.tenant_id, first="Ann", email="ann@example.test")
    a = booknetic.appointment(world)
    b = booknetic.appointment(world, customer_id=second_customer)
    booknetic.appointment(world, starts_at=1894284000 + 3600)
    slot = appointments.in_slot(db, world.tenant_id, world.staff_id, world.service_id, None, 1894284000)
    assert [x.id for x in slot] == [a, b]


def test_addon_rows_keep_the_addons_shapes(db, booknetic, world):
    addon_data.set_staff_zoom_user(db, world.tenant_id, world.staff_id, {"id": "u1", "name": "Jane ( jane@acme.test )"})
    addon_data.set_service_zoom_enabled(db, world.tenant_id, world.service_id, True)
    assert booknetic.data_rows("staff", world.staff_id, "zoom_user") == [
        {"data_value": '{"id": "u1", "name": "Jane ( jane@acme.test )"}', "tenant_id": world.tenant_id}]
    assert booknetic.data_rows("services", world.service_id, "activate_zoom")[0]["data_value"] == "1"
    addon_data.set_staff_zoom_user(db, world.tenant_id, world.staff_id, None)
    assert addon_data.staff_zoom_user(db, world.tenant_id, world.staff_id) is None
    assert len(booknetic.data_rows("staff", world.staff_id, "zoom_user")) == 1


def test_site_timezone_defaults_to_utc(db, booknetic):
    assert options.site_timezone(db) == "UTC"
    booknetic.option("timezone_string", "Europe/Berlin")
    assert options.site_timezone(db) == "Europe/Berlin"


def test_zoom_view_reads_status_plan_and_meeting_of_the_tenants_own_appointment(db, booknetic, world):
    from sidecar.store import meetings

    appt_id = booknetic.appointment(world)
    meetings.save(db, meetings.Meeting(world.tenant_id, appt_id, 81234567890, "u1", "https://zoom.test/j/1", "123",
                                       None, None, meetings.ACTIVE, None))
    view = cross_table.zoom_view(db, world.tenant_id, appt_id)
    assert view.busy and view.capabilities["zoom"] == "on"
    assert (view.meeting_state, view.zoom_meeting_id, view.password) == ("active", 81234567890, "123")
    other = booknetic.world(domain="other")
    assert cross_table.zoom_view(db, other.tenant_id, appt_id).busy is False
    assert cross_table.zoom_view(db, other.tenant_id, appt_id).zoom_meeting_id is None


def test_zoom_view_follows_the_expire_plan(db, booknetic):
    booknetic.plan(zoom=False, name="Expired", expire_plan=True)
    tenant_id = booknetic.tenant(booknetic.plan(zoom=True), domain="late", expires_in="2020-01-01 00:00:00")
    assert cross_table.zoom_view(db, tenant_id, 1).capabilities.get("zoom") == "off"
