"""Stable join and host links: signed tokens, the join redirect, a fresh start URL for hosts, dead links."""
from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sidecar import context
from sidecar.services import links
from sidecar.services.tokens import TenantTokens
from sidecar.store import meetings
from sidecar.store.crypto import generate_key
from tests.fixtures.database import make_config


@pytest.fixture
def ctx(config, db):
    return context.build(config, db)


def zoom_meeting(ctx, world, appointment_id: int, account) -> dict:
    """A meeting made on the emulator for the appointment, recorded as its active meeting row."""
    made = ctx.zoom.api.create_meeting(TenantTokens(ctx, world.tenant_id), account.users[0]["id"],
                                       {"topic": "Online consultation", "type": 2, "duration": 30,
                                        "start_time": "2030-01-10T14:00:00Z"}, f"bkz:{appointment_id}")
    meetings.save(ctx.db, meetings.Meeting(
        tenant_id=world.tenant_id, appointment_id=appointment_id, zoom_meeting_id=made["id"],
        host_user_id=account.users[0]["id"], join_url=made["join_url"], password=made.get("password"),
        slot_key=None, fingerprint=None, state=meetings.ACTIVE, last_error=None))
    return made


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["t"][0]


# --- tokens -------------------------------------------------------------------------------------------

def test_links_are_public_wordpress_urls_and_the_same_every_time(ctx, world):
    join = links.join_link(ctx, world.tenant_id, 41)
    host = links.host_link(ctx, world.tenant_id, 41)
    assert join.startswith("http://wordpress.test/?booknetic_action=zoom_join&t=")
    assert host.startswith("http://wordpress.test/?booknetic_action=zoom_host&t=")
    assert join == links.join_link(ctx, world.tenant_id, 41)
    assert token_of(join) != token_of(host)
    assert links.parse(ctx, token_of(join)) == (links.JOIN, world.tenant_id, 41)
    assert links.parse(ctx, token_of(host)) == (links.HOST, world.tenant_id, 41)


def test_tokens_differ_per_appointment_and_tenant_and_are_url_safe(ctx):
    tokens = {links.token(ctx, links.JOIN, t, a) for t in (1, 2) for a in (1, 2, 10)}
    assert len(tokens) == 6
    assert all(set(t) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") for t in tokens)


def test_forged_or_altered_tokens_do_not_parse(ctx):
    good = links.token(ctx, links.JOIN, 3, 1234)
    sig = good.rsplit(".", 1)[1]
    assert links.parse(ctx, f"j3.1235.{sig}") is None  # another appointment
    assert links.parse(ctx, f"j4.1234.{sig}") is None  # another tenant
    assert links.parse(ctx, "h" + good[1:]) is None  # another kind
    assert links.parse(ctx, good[:-1] + ("A" if good[-1] != "A" else "B")) is None
    assert links.parse(ctx, "") is None and links.parse(ctx, "garbage") is None


def test_old_links_keep_working_after_a_key_rotation(ctx, db):
    old = links.token(ctx, links.HOST, 3, 77)
    rotated = context.build(dataclasses.replace(
        ctx.config, security=dataclasses.replace(ctx.config.security,
                                                 encryption_keys=(generate_key(),) + ctx.config.security.encryption_keys)
    ), db)
    assert links.parse(rotated, old) == (links.HOST, 3, 77)
    assert links.token(rotated, links.HOST, 3, 77) != old  # new links are signed with the new first key
    stranger = context.build(make_config(ctx.config.database.name), db)
    assert links.parse(stranger, old) is None


# --- join ---------------------------------------------------------------------------------------------

def test_join_link_redirects_to_the_meetings_join_url(ctx, shim, world, booknetic, emulator, connected_tenant):
    appointment = booknetic.appointment(world)
    made = zoom_meeting(ctx, world, appointment, connected_tenant.account)
    resp = shim.get(f"/v1/join/{token_of(links.join_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 302
    assert resp.headers["Location"] == made["join_url"]
    assert requests.get(resp.headers["Location"], timeout=5).status_code == 200  # the emulator's join page


def test_join_link_before_the_meeting_exists_shows_a_refreshing_page(ctx, shim, world, booknetic):
    appointment = booknetic.appointment(world)
    resp = shim.get(f"/v1/join/{token_of(links.join_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Your meeting link is being prepared" in page
    assert 'http-equiv="refresh"' in page
    assert resp.mimetype == "text/html"


@pytest.mark.parametrize("status", ["canceled", "rejected"])
def test_join_link_of_a_canceled_appointment_is_dead(ctx, shim, world, booknetic, status):
    appointment = booknetic.appointment(world)
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 555, "u1", "https://zoom.test/j/555",
                                           None, None, None, meetings.ACTIVE, None))
    booknetic.update_appointment(appointment, status=status)
    resp = shim.get(f"/v1/join/{token_of(links.join_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "This meeting link is not valid" in resp.get_data(as_text=True)


def test_join_link_of_a_deleted_appointment_is_dead(ctx, shim, world, booknetic):
    appointment = booknetic.appointment(world)
    booknetic.delete_appointment(appointment)
    resp = shim.get(f"/v1/join/{token_of(links.join_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 404


def test_forged_wrong_kind_and_other_tenant_links_answer_404_pages(ctx, shim, world, booknetic):
    other = booknetic.world(domain="other")
    appointment = booknetic.appointment(world)
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 556, "u1", "https://zoom.test/j/556",
                                           None, None, None, meetings.ACTIVE, None))
    good = token_of(links.join_link(ctx, world.tenant_id, appointment))
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    cases = [
        shim.get(f"/v1/join/{forged}"),
        shim.get(f"/v1/host/{good}"),  # a join token on the host route
        shim.get(f"/v1/join/{token_of(links.join_link(ctx, other.tenant_id, appointment))}"),  # not its appointment
        shim.as_tenant(other.tenant_id).get(f"/v1/join/{good}"),  # another tenant's signed request
        shim.get("/v1/join/not-a-token"),
    ]
    for resp in cases:
        assert resp.status_code == 404
        assert resp.mimetype == "text/html"
        assert "Traceback" not in resp.get_data(as_text=True)
    assert shim.as_tenant(world.tenant_id).get(f"/v1/join/{good}").status_code == 302


def test_stable_links_need_the_shims_signature(ctx, client, world, booknetic):
    appointment = booknetic.appointment(world)
    resp = client.get(f"/v1/join/{token_of(links.join_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 401


# --- host ---------------------------------------------------------------------------------------------

def test_host_link_redirects_to_a_fresh_start_url_the_emulator_accepts(ctx, shim, world, booknetic, emulator,
                                                                       connected_tenant):
    appointment = booknetic.appointment(world)
    made = zoom_meeting(ctx, world, appointment, connected_tenant.account)
    emulator.advance_clock(3 * 3600)  # the start_url Zoom gave at creation has expired by now
    assert requests.get(made["start_url"], timeout=5).status_code == 410
    path = f"/v1/host/{token_of(links.host_link(ctx, world.tenant_id, appointment))}"
    resp = shim.get(path)
    assert resp.status_code == 302
    start_url = resp.headers["Location"]
    assert start_url != made["start_url"]
    assert resp.headers["Cache-Control"] == "no-store"
    started = requests.get(start_url, timeout=5)
    assert started.status_code == 200 and "Meeting started" in started.text
    assert [c["status"] for c in emulator.calls("get_meeting")][-1] == 200


def test_host_link_when_zoom_is_down_answers_a_503_page(ctx, shim, world, booknetic, emulator, connected_tenant):
    appointment = booknetic.appointment(world)
    zoom_meeting(ctx, world, appointment, connected_tenant.account)
    emulator.fail_next(count=10, status=503)
    resp = shim.get(f"/v1/host/{token_of(links.host_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 503
    assert resp.mimetype == "text/html"
    assert "Zoom is not reachable right now" in resp.get_data(as_text=True)


def test_host_link_after_disconnect_says_the_account_is_not_connected(ctx, shim, world, booknetic,
                                                                     connected_tenant):
    appointment = booknetic.appointment(world)
    zoom_meeting(ctx, world, appointment, connected_tenant.account)
    assert shim.as_tenant(world.tenant_id).delete("/v1/tenant/zoom").status_code == 200
    resp = shim.get(f"/v1/host/{token_of(links.host_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 503
    assert "The Zoom account is not connected" in resp.get_data(as_text=True)


def test_host_link_of_a_canceled_appointment_is_dead(ctx, shim, world, booknetic, emulator, connected_tenant):
    appointment = booknetic.appointment(world)
    zoom_meeting(ctx, world, appointment, connected_tenant.account)
    booknetic.update_appointment(appointment, status="canceled")
    emulator.clear_calls()
    resp = shim.get(f"/v1/host/{token_of(links.host_link(ctx, world.tenant_id, appointment))}")
    assert resp.status_code == 404
    assert emulator.calls() == []  # Zoom is not even asked
