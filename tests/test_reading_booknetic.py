"""Reading Booknetic's rows: tenant, plan capability, appointment with customer, staff and service."""
from datetime import datetime, timedelta, timezone

from sidecar import cross_table
from sidecar.booknetic import addon_data, appointments, options, tenants
from sidecar.store import connections, jobs, meetings, settings
from sidecar.store.connections import StoredConnection


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


def test_readiness_reads_in_one_query_what_the_sync_read_in_five(ctx, booknetic, world):
    db, crypto = ctx.db, ctx.crypto
    settings.save_platform(db, crypto, enabled=True, method="oauth", client_id="app", client_secret="s3cret",
                           webhook_secret_token=None)
    chosen = settings.TenantSettings(True, "{service_name}", "Agenda", False, use_host_defaults=False,
                                     waiting_room=True, auto_recording="cloud", meetings_for=settings.APPROVED_ONLY)
    settings.save_tenant(db, world.tenant_id, chosen)
    connections.save(db, crypto, StoredConnection(
        world.tenant_id, connections.OAUTH, connections.CONNECTED, "acc", "user", "u@acme.test", "app",
        access_token="tok", access_expires_at=datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1),
        refresh_token="ref"))
    connections.set_passcode_rules(db, world.tenant_id, '{"length": 8}')

    ready = cross_table.readiness(db, crypto, world.tenant_id)
    assert ready.capabilities["zoom"] == "on" and ready.platform_enabled
    assert ready.settings == settings.tenant(db, world.tenant_id) == chosen
    assert ready.connection == connections.get(db, crypto, world.tenant_id)
    assert ready.connection.access_token == "tok" and ready.connection.passcode_rules == '{"length": 8}'

    bare = booknetic.world(zoom_plan=False, domain="bare")  # no settings row, no connection
    ready = cross_table.readiness(db, crypto, bare.tenant_id)
    assert ready.capabilities.get("zoom") != "on" and ready.connection is None
    assert ready.settings == settings.tenant(db, bare.tenant_id)  # the defaults
    assert cross_table.readiness(db, crypto, 999999).capabilities == {}  # no such tenant


def test_an_appointment_is_known_to_its_own_tenant_only_or_while_its_rows_remain(db, booknetic, world):
    appt_id = booknetic.appointment(world)
    other = booknetic.world(domain="other")
    assert cross_table.knows_appointment(db, world.tenant_id, appt_id)
    assert not cross_table.knows_appointment(db, other.tenant_id, appt_id)
    gone = booknetic.appointment(world, starts_at=1894284000 + 3600)
    jobs.enqueue_sync(db, world.tenant_id, gone)  # the shim's row, written before Booknetic deleted it
    db.execute("DELETE FROM {appointments} WHERE id = %(a)s", {"a": gone})
    assert cross_table.knows_appointment(db, world.tenant_id, gone)
    assert not cross_table.knows_appointment(db, other.tenant_id, gone)
