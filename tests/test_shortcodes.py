"""Workflow shortcodes: {zoom_meeting_url}, {zoom_meeting_password}, {zoom_meeting_host_url} in every channel."""
from __future__ import annotations

import html
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sidecar import context
from sidecar.services import inline_sync, links
from sidecar.store import jobs, meetings
from sidecar.worker import Worker
from tests.fixtures.database import make_config

EXPAND = "/v1/tenant/shortcodes/expand"
JOIN_URL = "https://zoom.test/j/81234567890?pwd=Ab12&uname=guest"
PASSWORD = "12*4@6"
BODY = ("<p>Hello {customer_full_name},</p>\n<p>Join: <a href=\"{zoom_meeting_url}\">{zoom_meeting_url}</a> "
        "(passcode {zoom_meeting_password})</p>\n<p>Host: {zoom_meeting_host_url}</p>")


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    """The test config with a short inline sync budget, so a hanging Zoom is noticed quickly."""
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url, shortcodes={"inline_sync_budget": "1"})


@pytest.fixture
def ctx(config, db):
    return context.build(config, db)


@pytest.fixture
def appointment(booknetic, world) -> int:
    return booknetic.appointment(world)


@pytest.fixture
def meeting(ctx, world, appointment) -> meetings.Meeting:
    """An appointment whose meeting is already made (as the sync records it)."""
    row = meetings.Meeting(world.tenant_id, appointment, 81234567890, "zoom-user-1", JOIN_URL, PASSWORD,
                           None, None, meetings.ACTIVE, None)
    meetings.save(ctx.db, row)
    return row


def expand(shim, tenant_id, appointment_id, texts, *, channel="email", audience="customer"):
    resp = shim.as_tenant(tenant_id).post(EXPAND, json={"appointment_id": appointment_id, "channel": channel,
                                                        "audience": audience, "texts": texts})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["texts"]


@pytest.mark.parametrize("channel", ["email", "sms", "whatsapp", "telegram"])
@pytest.mark.parametrize("audience", ["customer", "staff", "admin", "unknown"])
def test_each_shortcode_in_each_channel_and_audience(ctx, shim, world, appointment, meeting, channel, audience):
    texts = ["{zoom_meeting_url}", "{zoom_meeting_password}", "{zoom_meeting_host_url}"]
    got = expand(shim, world.tenant_id, appointment, texts, channel=channel, audience=audience)
    host = "" if audience == "customer" else links.host_link(ctx, world.tenant_id, appointment)
    want = [JOIN_URL, PASSWORD, host]
    if channel == "email":
        want = [html.escape(v) for v in want]
    assert got == want


def test_email_values_are_html_escaped_and_chat_values_bare(ctx, shim, world, appointment, meeting):
    email = expand(shim, world.tenant_id, appointment, ["{zoom_meeting_url}"], channel="email")
    sms = expand(shim, world.tenant_id, appointment, ["{zoom_meeting_url}"], channel="sms")
    assert email == ["https://zoom.test/j/81234567890?pwd=Ab12&amp;uname=guest"]
    assert sms == [JOIN_URL]
    host = expand(shim, world.tenant_id, appointment, ["{zoom_meeting_host_url}"], channel="email", audience="staff")
    assert "&amp;t=" in host[0] and "&t=" not in host[0]


def test_a_realistic_email_body_changes_only_at_the_zoom_shortcodes(ctx, shim, world, appointment, meeting):
    subject, body = expand(shim, world.tenant_id, appointment, ["Your booking {appointment_date}", BODY],
                           audience="unknown")
    assert subject == "Your booking {appointment_date}"
    host = html.escape(links.host_link(ctx, world.tenant_id, appointment))
    assert body == (BODY.replace("{zoom_meeting_url}", html.escape(JOIN_URL))
                    .replace("{zoom_meeting_password}", PASSWORD).replace("{zoom_meeting_host_url}", host))


def test_texts_without_zoom_shortcodes_come_back_byte_for_byte(shim, world, appointment, meeting):
    texts = ["", "plain text", "{customer_full_name} & <b>{service_name}</b>", "{zoom_meeting}", "{ZOOM_MEETING_URL}",
             "{zoom_meeting_url", "zoom_meeting_url}", "{ zoom_meeting_url }", "ünïcödé ✓ \r\n\t{staff_email}"]
    for channel in ("email", "sms"):
        assert expand(shim, world.tenant_id, appointment, texts, channel=channel) == texts


def test_host_link_is_withheld_from_customers_and_logged(shim, world, appointment, meeting, caplog):
    caplog.set_level(logging.INFO, logger="sidecar")
    got = expand(shim, world.tenant_id, appointment, ["Host: {zoom_meeting_host_url}."], audience="customer")
    assert got == ["Host: ."]
    events = [r for r in caplog.records if r.getMessage() == "host_link_withheld"]
    assert len(events) == 1
    assert events[0].tenant_id == world.tenant_id and events[0].appointment_id == appointment


def test_host_link_goes_to_customers_when_the_platform_allows_it(db_name, encryption_key, zoom_base_url, db, world,
                                                                  appointment, meeting):
    from sidecar.app import create_app
    from tests.fixtures.app import Shim
    from tests.fixtures.database import make_config

    config = make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url,
                         shortcodes={"allow_host_url_for_customers": "true"})
    shim = Shim(create_app(config).test_client())
    got = expand(shim, world.tenant_id, appointment, ["{zoom_meeting_host_url}"], channel="sms", audience="customer")
    assert got == [links.host_link(context.build(config, db), world.tenant_id, appointment)]


def test_a_meeting_without_password_expands_the_password_to_nothing(ctx, shim, world, appointment):
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 1, "u", JOIN_URL, None, None, None,
                                           meetings.ACTIVE, None))
    assert expand(shim, world.tenant_id, appointment, ["[{zoom_meeting_password}]"]) == ["[]"]


@pytest.mark.parametrize("status", ["canceled", "rejected"])
def test_canceled_appointments_expand_to_nothing(shim, booknetic, world, appointment, meeting, status):
    booknetic.update_appointment(appointment, status=status)
    texts = ["a{zoom_meeting_url}b{zoom_meeting_password}c{zoom_meeting_host_url}d"]
    assert expand(shim, world.tenant_id, appointment, texts, audience="staff") == ["abcd"]


def test_a_plan_without_zoom_expands_to_nothing_instead_of_failing(ctx, shim, booknetic):
    world = booknetic.world(zoom_plan=False, domain="basic")
    appointment = booknetic.appointment(world)
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 2, "u", JOIN_URL, PASSWORD, None, None,
                                           meetings.ACTIVE, None))
    texts = ["Join {zoom_meeting_url} {zoom_meeting_password} {zoom_meeting_host_url} {service_name}"]
    assert expand(shim, world.tenant_id, appointment, texts, audience="admin") == ["Join    {service_name}"]


def test_another_tenants_appointment_expands_to_nothing(shim, booknetic, world, appointment, meeting):
    other = booknetic.world(domain="other")
    assert expand(shim, other.tenant_id, appointment, ["{zoom_meeting_url}"], audience="staff") == [""]


def test_a_meeting_deleted_on_zoom_by_a_person_expands_to_nothing(ctx, shim, world, appointment):
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 3, "u", JOIN_URL, PASSWORD, None, None,
                                           meetings.DELETED_ON_ZOOM, None))
    assert expand(shim, world.tenant_id, appointment, ["{zoom_meeting_url}|{zoom_meeting_host_url}"],
                  audience="staff") == ["|"]


@pytest.mark.parametrize("body, field", [
    ({"channel": "email", "audience": "customer", "texts": []}, "appointment_id"),
    ({"appointment_id": "7", "channel": "email", "audience": "customer", "texts": []}, "appointment_id"),
    ({"appointment_id": 0, "channel": "email", "audience": "customer", "texts": []}, "appointment_id"),
    ({"appointment_id": 7, "channel": "fax", "audience": "customer", "texts": []}, "channel"),
    ({"appointment_id": 7, "audience": "customer", "texts": []}, "channel"),
    ({"appointment_id": 7, "channel": "sms", "audience": "everyone", "texts": []}, "audience"),
    ({"appointment_id": 7, "channel": "sms", "audience": "staff"}, "texts"),
    ({"appointment_id": 7, "channel": "sms", "audience": "staff", "texts": "{zoom_meeting_url}"}, "texts"),
    ({"appointment_id": 7, "channel": "sms", "audience": "staff", "texts": ["ok", 5]}, "texts"),
    ({"appointment_id": 7, "channel": "sms", "audience": "staff", "texts": [], "extra": 1}, "extra"),
])
def test_bad_input_answers_400_naming_the_field(shim, world, body, field):
    resp = shim.as_tenant(world.tenant_id).post(EXPAND, json=body)
    assert resp.status_code == 400
    assert resp.get_json()["field"] == field


def test_many_texts_in_one_call_keep_their_order(shim, world, appointment, meeting):
    texts = [f"{i}:{{zoom_meeting_password}}" for i in range(20)]
    assert expand(shim, world.tenant_id, appointment, texts) == [f"{i}:{PASSWORD}" for i in range(20)]


def test_expand_needs_a_tenant_signature(shim, world, appointment):
    resp = shim.post(EXPAND, json={"appointment_id": appointment, "channel": "sms", "audience": "staff",
                                   "texts": ["{zoom_meeting_url}"]})
    assert resp.status_code == 403


# --- meetings not made yet: inline sync -------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_inline_sync_outlives_its_test():
    yield
    assert inline_sync.drain(timeout=15)


def has_live_meeting(ctx, tenant_id: int, appointment_id: int) -> bool:
    row = meetings.get(ctx.db, tenant_id, appointment_id)
    return row is not None and row.live


@pytest.fixture
def zoom_ready(shim, connected_tenant):
    """A connected tenant whose staff member is linked to a Zoom user and whose service has Zoom on."""
    t = connected_tenant
    as_tenant = shim.as_tenant(t.tenant_id)
    linked = as_tenant.put(f"/v1/tenant/staff/{t.world.staff_id}/zoom-user",
                           json={"zoom_user_id": t.account.users[0]["id"]})
    assert linked.status_code == 200, linked.get_json()
    enabled = as_tenant.put(f"/v1/tenant/services/{t.world.service_id}/zoom", json={"enabled": True})
    assert enabled.status_code == 200, enabled.get_json()
    return t


def test_a_meeting_not_made_yet_is_made_inline_for_the_confirmation(ctx, shim, booknetic, emulator, zoom_ready):
    appointment = booknetic.appointment(zoom_ready.world)
    texts = ["{zoom_meeting_url}", "{zoom_meeting_password}", "{zoom_meeting_host_url}"]
    url, password, host = expand(shim, zoom_ready.tenant_id, appointment, texts, channel="sms", audience="staff")
    made = emulator.meetings(host_id=zoom_ready.account.users[0]["id"])
    assert len(made) == 1
    assert url == made[0]["join_url"]
    assert password == (made[0].get("password") or "")
    assert host == links.host_link(ctx, zoom_ready.tenant_id, appointment)
    assert jobs.get(ctx.db, zoom_ready.tenant_id, appointment) is None  # nothing left for the worker
    assert requests.get(url, timeout=5).status_code == 200
    again = expand(shim, zoom_ready.tenant_id, appointment, texts, channel="sms", audience="staff")
    assert again == [url, password, host] and len(emulator.meetings()) == 1


def test_when_zoom_hangs_the_stable_join_link_goes_out_and_works_once_the_worker_made_the_meeting(
        ctx, config, shim, booknetic, emulator, zoom_ready):
    appointment = booknetic.appointment(zoom_ready.world)
    emulator.hang_next(5, endpoint="create_meeting")
    started = time.monotonic()
    [url] = expand(shim, zoom_ready.tenant_id, appointment, ["{zoom_meeting_url}"], channel="sms")
    assert time.monotonic() - started < 3  # the 1 s budget, not Zoom's 5 s hang
    assert url == links.join_link(ctx, zoom_ready.tenant_id, appointment)
    path = "/v1/join/" + parse_qs(urlsplit(url).query)["t"][0]
    assert shim.get(path).status_code == 200  # "being prepared"
    assert jobs.get(ctx.db, zoom_ready.tenant_id, appointment) is not None  # still queued for the worker

    worker, deadline = Worker(config), time.monotonic() + 20
    while not has_live_meeting(ctx, zoom_ready.tenant_id, appointment):
        assert time.monotonic() < deadline, "the worker never made the meeting"
        worker.run_once()
        time.sleep(0.1)
    made = emulator.meetings(host_id=zoom_ready.account.users[0]["id"])
    assert len(made) == 1  # the hung create was found again, not repeated
    resp = shim.get(path)
    assert resp.status_code == 302 and resp.headers["Location"] == made[0]["join_url"]
    assert requests.get(resp.headers["Location"], timeout=5).status_code == 200


def test_when_zoom_fails_the_stable_join_link_goes_out(ctx, shim, booknetic, emulator, zoom_ready):
    appointment = booknetic.appointment(zoom_ready.world)
    emulator.fail_next(count=20, status=503)
    texts = ["{zoom_meeting_url}", "{zoom_meeting_host_url}"]
    got = expand(shim, zoom_ready.tenant_id, appointment, texts, channel="sms", audience="staff")
    assert got == [links.join_link(ctx, zoom_ready.tenant_id, appointment),
                   links.host_link(ctx, zoom_ready.tenant_id, appointment)]
    assert jobs.get(ctx.db, zoom_ready.tenant_id, appointment) is not None


def test_service_without_zoom_expands_to_nothing_and_makes_no_meeting(shim, booknetic, emulator, zoom_ready):
    other_service = booknetic.service(zoom_ready.tenant_id, name="In person")
    appointment = booknetic.appointment(zoom_ready.world, service_id=other_service)
    texts = ["[{zoom_meeting_url}][{zoom_meeting_password}][{zoom_meeting_host_url}]"]
    assert expand(shim, zoom_ready.tenant_id, appointment, texts, audience="staff") == ["[][][]"]
    assert emulator.meetings() == []


def test_unlinked_staff_expands_to_nothing(shim, booknetic, emulator, zoom_ready):
    other_staff = booknetic.staff(zoom_ready.tenant_id, name="No Zoom", email="nozoom@acme.test")
    appointment = booknetic.appointment(zoom_ready.world, staff_id=other_staff)
    assert expand(shim, zoom_ready.tenant_id, appointment, ["{zoom_meeting_url}"], channel="sms") == [""]
    assert emulator.meetings() == []


def test_disconnected_tenant_expands_new_bookings_to_nothing(shim, booknetic, emulator, zoom_ready):
    assert shim.as_tenant(zoom_ready.tenant_id).delete("/v1/tenant/zoom").status_code == 200
    appointment = booknetic.appointment(zoom_ready.world)
    assert expand(shim, zoom_ready.tenant_id, appointment, ["{zoom_meeting_url}"], channel="sms",
                  audience="staff") == [""]
    assert emulator.meetings() == []
