"""The PHP shim inside a real WordPress: signing, the booking hooks' job rows and pings, and the screens
a platform admin and a tenant click through in Chromium (SPEC sections 1, 2, 4 and 7)."""
from __future__ import annotations

import json
import socket
import subprocess
import time

import pytest
import requests
from playwright.sync_api import expect

from sidecar.http.auth import signature
from tests.fixtures.app import signed_headers
from tests.fixtures.booknetic import Booknetic
from tests.fixtures.database import SHIM_SECRET
from tests.fixtures.wordpress import *  # noqa: F401,F403  (wordpress, wp_db, wp_sidecar, browser, ...)
from tests.fixtures.wordpress import ADMIN, REPO

TENANT_PASSWORD = "tenant-password-1"


@pytest.fixture
def tenant_world(wordpress, wp_db):
    """A tenant owned by a WordPress user (role booknetic_saas_tenant) on a plan with Zoom."""
    return _tenant_world(wordpress, wp_db, zoom_plan=True)


def _tenant_world(wordpress, wp_db, *, zoom_plan: bool):
    login = f"tenant{time.monotonic_ns()}"
    user_id = wordpress.create_user(login, TENANT_PASSWORD, "booknetic_saas_tenant")
    booknetic = Booknetic(wp_db)
    world = booknetic.world(zoom_plan=zoom_plan)
    wp_db.execute("UPDATE {tenants} SET user_id = %(u)s WHERE id = %(t)s", {"u": user_id, "t": world.tenant_id})
    return world, login


def _book(wordpress, world, **overrides) -> dict:
    fields = {"service_id": world.service_id, "staff_id": world.staff_id, "customer_id": world.customer_id,
              "status": "approved", "starts_at": 1894284000, "ends_at": 1894285800, "busy_from": 1894284000,
              "busy_to": 1894286400, "tenant_id": world.tenant_id, **overrides}
    return wordpress.appointment("create", **fields)


def _sidecar(wordpress, method: str, path: str, body: dict | None = None, *, tenant="platform") -> dict:
    """A signed call straight to the sidecar (setup steps a test does not click through)."""
    raw = b"" if body is None else json.dumps(body).encode()
    answer = requests.request(method, f"http://127.0.0.1:{wordpress.sidecar_port}{path}", data=raw,
                              headers=signed_headers(method, path, raw, tenant=str(tenant)), timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _platform_oauth_app(emulator, wordpress) -> dict:
    """An OAuth Marketplace app registered with the site's redirect URI."""
    return emulator.seed_oauth_app(f"{wordpress.url}/?booknetic_action=zoom_oauth_callback")


def _jobs(wp_db) -> list[dict]:
    return wp_db.query("SELECT tenant_id, appointment_id, version, attempts FROM {jobs} ORDER BY id")


def test_shim_signature_matches_the_spec_test_vectors():
    done = subprocess.run(["php", str(REPO / "wp-plugin-shim" / "tests" / "signature-vectors.php")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") == 2


def test_booking_writes_the_job_row_when_the_sidecar_is_down(wordpress, tenant_world, wp_db):
    world, _ = tenant_world
    answer = _book(wordpress, world)
    assert answer["id"] > 0
    assert _jobs(wp_db) == [{"tenant_id": world.tenant_id, "appointment_id": answer["id"], "version": 1,
                             "attempts": 0}]
    assert answer["elapsed_ms"] < 2000  # connection refused: the booking does not wait


def test_a_hanging_sidecar_delays_a_booking_by_at_most_the_ping_timeout(wordpress, tenant_world, wp_db):
    world, _ = tenant_world
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", wordpress.sidecar_port))
        silent.listen(8)
        started = time.monotonic()
        answer = _book(wordpress, world)
        took = time.monotonic() - started
    assert 1.5 < took < 5, took
    assert [j["appointment_id"] for j in _jobs(wp_db)] == [answer["id"]]


def test_every_hook_of_one_appointment_coalesces_into_one_job(wordpress, tenant_world, wp_db):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    wordpress.appointment("edit", appointment_id, starts_at=1894287600, ends_at=1894289400)
    wordpress.appointment("cancel", appointment_id)
    assert _jobs(wp_db) == [{"tenant_id": world.tenant_id, "appointment_id": appointment_id, "version": 3,
                             "attempts": 0}]


def test_deleting_an_appointment_enqueues_it_under_the_tenant_it_had(wordpress, tenant_world, wp_db):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    wp_db.execute("DELETE FROM {jobs}")
    wordpress.appointment("delete", appointment_id)
    assert wp_db.query_one("SELECT id FROM {appointments} WHERE id = %(a)s", {"a": appointment_id}) is None
    assert _jobs(wp_db) == [{"tenant_id": world.tenant_id, "appointment_id": appointment_id, "version": 1,
                             "attempts": 0}]


def test_the_ping_reaches_the_sidecar_signed_as_the_appointments_tenant(wordpress, tenant_world, wp_db,
                                                                        wp_sidecar):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    pings = [r for r in wp_sidecar.requests if r["path"] == f"/v1/tenant/appointments/{appointment_id}/sync"]
    assert len(pings) == 1
    ping = pings[0]
    assert ping["method"] == "POST"
    assert ping["headers"]["x-bkz-tenant"] == str(world.tenant_id)
    expected = signature(SHIM_SECRET, ping["headers"]["x-bkz-timestamp"], "POST", ping["path"],
                         str(world.tenant_id), ping["headers"]["x-bkz-actor"], b"{}")
    assert ping["headers"]["x-bkz-signature"] == expected
    assert ping["status"] in (200, 202)


def test_tenant_toggles_activate_zoom_for_a_service_on_its_screen(browser, tenant_world, wp_db, wp_sidecar):
    world, login = tenant_world
    page = browser.page_as(login, TENANT_PASSWORD)
    page.goto(f"{browser.site.url}/wp-admin/admin.php?page=bkz-services")
    row = page.locator(f"#bkz-service-{world.service_id}")
    assert not row.locator("input[name=enabled]").is_checked()
    row.locator("input[name=enabled]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".bkz-message")
    assert page.locator(f"#bkz-service-{world.service_id} input[name=enabled]").is_checked()
    assert Booknetic(wp_db).data_rows("services", world.service_id, "activate_zoom") == [
        {"data_value": "1", "tenant_id": world.tenant_id}]


def test_booknetics_service_save_carries_the_activate_zoom_toggle_to_the_sidecar(browser, tenant_world, wp_db,
                                                                                  wp_sidecar):
    world, login = tenant_world
    page = browser.page_as(login, TENANT_PASSWORD)
    answer = page.request.post(f"{browser.site.url}/wp-admin/admin-ajax.php", form={
        "action": "bkntc_standin_save", "module": "services", "id": str(world.service_id), "activate_zoom": "1"})
    assert answer.json() == {"status": "ok", "id": world.service_id}
    assert Booknetic(wp_db).data_rows("services", world.service_id, "activate_zoom") == [
        {"data_value": "1", "tenant_id": world.tenant_id}]


def test_the_webhook_reaches_the_sidecar_byte_for_byte_and_its_answer_comes_back(wordpress, wp_sidecar):
    raw = b'{"event": "meeting.deleted",  "payload": {"account_id": "A1"},\n "event_ts": 1767225600000}'
    zoom_headers = {"x-zm-signature": "v0=" + "ab" * 32, "x-zm-request-timestamp": "1767225600"}
    answer = requests.post(f"{wordpress.url}/?booknetic_action=zoom_webhook", data=raw,
                           headers={**zoom_headers, "Content-Type": "application/json"}, timeout=30)
    (seen,) = [r for r in wp_sidecar.requests if r["path"] == "/v1/zoom/webhook"]
    assert seen["body"] == raw
    assert {k: seen["headers"][k] for k in zoom_headers} == zoom_headers
    assert seen["headers"]["x-bkz-tenant"] == "platform"
    assert (answer.status_code, answer.content) == (seen["status"], seen["answer"])


def test_a_stable_join_link_is_resolved_by_the_sidecar_as_the_platform(wordpress, wp_sidecar):
    answer = requests.get(f"{wordpress.url}/?booknetic_action=zoom_join&t=tok-123", allow_redirects=False,
                          timeout=30)
    (seen,) = [r for r in wp_sidecar.requests if r["path"].startswith("/v1/join/")]
    assert (seen["method"], seen["path"], seen["headers"]["x-bkz-tenant"]) == ("GET", "/v1/join/tok-123", "platform")
    assert answer.status_code == seen["status"]


def test_the_tenant_screen_is_hidden_without_the_zoom_plan_capability(browser, wordpress, wp_db, wp_sidecar):
    _, login = _tenant_world(wordpress, wp_db, zoom_plan=False)
    page = browser.page_as(login, TENANT_PASSWORD)
    assert page.locator('#adminmenu a[href*="page=bkz-tenant"]').count() == 0
    page.goto(f"{wordpress.url}/wp-admin/admin.php?page=bkz-tenant")
    assert "not allowed to access this page" in page.content()


def test_the_tenant_screen_shows_for_a_plan_with_zoom(browser, wordpress, tenant_world, wp_sidecar):
    _, login = tenant_world
    page = browser.page_as(login, TENANT_PASSWORD)
    page.click('#adminmenu a[href*="page=bkz-tenant"]')
    assert page.locator("h1").first.inner_text() == "Settings → Integration with Zoom"
    assert page.locator("#bkz-connect").inner_text() == "CLICK TO CONNECT ZOOM ACCOUNT"


def test_oauth_connect_round_trip_clicked_through_in_chromium(browser, wordpress, tenant_world, wp_db, wp_sidecar,
                                                              emulator):
    world, login = tenant_world
    app = _platform_oauth_app(emulator, wordpress)
    account_id = emulator.seed_account()
    emulator.seed_user(account_id, "owner@acme.example", "Olive", "Owner", role_name="Owner", password="zoom-pass")

    admin = browser.page_as(*ADMIN)
    admin.goto(f"{wordpress.url}/wp-admin/admin.php?page=bkz-platform")
    admin.check("#bkz-enabled")
    admin.select_option("#bkz-method", "oauth")
    admin.fill("#bkz-client-id", app["client_id"])
    admin.fill("#bkz-client-secret", app["client_secret"])
    admin.click("#submit")
    admin.wait_for_selector(".bkz-message")
    assert admin.locator("#bkz-redirect-uri").inner_text() == f"{wordpress.url}/?booknetic_action=zoom_oauth_callback"
    assert app["client_secret"] not in admin.content()

    tenant = browser.page_as(login, TENANT_PASSWORD)
    tenant.goto(f"{wordpress.url}/wp-admin/admin.php?page=bkz-tenant")
    tenant.click("#bkz-connect")
    tenant.wait_for_url(f"{emulator.url}/**")
    tenant.fill("#email", "owner@acme.example")
    tenant.fill("#password", "zoom-pass")
    tenant.click("#allow")
    tenant.wait_for_url(f"{wordpress.url}/wp-admin/admin.php?page=bkz-tenant*")
    assert tenant.locator(".bkz-message").inner_text() == "Your Zoom account has been connected"
    assert tenant.locator(".bkz-account-email").inner_text() == "owner@acme.example"
    row = wp_db.query_one("SELECT method, status, zoom_user_email FROM {connections} WHERE tenant_id = %(t)s",
                          {"t": world.tenant_id})
    assert row == {"method": "oauth", "status": "connected", "zoom_user_email": "owner@acme.example"}


def test_a_forged_oauth_state_is_refused_on_the_redirect_uri_and_connects_nothing(wordpress, wp_db, wp_sidecar):
    answer = requests.get(f"{wordpress.url}/?booknetic_action=zoom_oauth_callback&code=abc&state=forged",
                          allow_redirects=False, timeout=30)
    (seen,) = [r for r in wp_sidecar.requests if r["path"] == "/v1/oauth/callback"]
    assert seen["status"] == 400
    assert answer.status_code == 400
    assert json.loads(seen["answer"])["message"] in answer.text
    assert wp_db.query("SELECT tenant_id FROM {connections}") == []


def _submit_s2s_credentials(browser, wordpress, login, emulator, *, client_secret: str | None = None):
    """Platform on S2S; the tenant pastes its app's credentials (or a wrong secret) on its screen.

    Returns the tenant's page right after the form was sent.
    """
    account_id = emulator.seed_account()
    emulator.seed_user(account_id, "owner@acme.example", "Olive", "Owner", role_name="Owner")
    emulator.seed_user(account_id, "bob@acme.example", "Bob", "Staff")
    s2s = emulator.seed_s2s_app(account_id)
    _sidecar(wordpress, "PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s"})
    page = browser.page_as(login, TENANT_PASSWORD)
    page.goto(f"{wordpress.url}/wp-admin/admin.php?page=bkz-tenant")
    page.fill("#bkz-account_id", account_id)
    page.fill("#bkz-client_id", s2s["client_id"])
    page.fill("#bkz-client_secret", client_secret or s2s["client_secret"])
    page.click("#bkz-save-credentials")
    return page


def test_s2s_credentials_refused_by_zoom_show_the_sidecars_message(browser, wordpress, tenant_world, wp_db,
                                                                  wp_sidecar, emulator):
    world, login = tenant_world
    page = _submit_s2s_credentials(browser, wordpress, login, emulator, client_secret="not-the-secret")
    error = page.wait_for_selector(".bkz-error")
    assert error.get_attribute("data-field") == "client_secret"
    assert "secret" in error.inner_text().lower()
    assert page.locator("#bkz-client_secret").get_attribute("aria-invalid") == "true"
    assert wp_db.query_one("SELECT 1 AS x FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id}) is None


def test_the_three_shortcodes_are_registered_with_booknetics_shortcode_service(wordpress):
    codes = json.loads(wordpress.php(
        "echo json_encode(\\BookneticApp\\Config::getShortCodeService()->shortcodes);"))
    assert {code: params["depends"] for code, params in codes.items()} == {
        "zoom_meeting_url": "appointment_id", "zoom_meeting_host_url": "appointment_id",
        "zoom_meeting_password": "appointment_id"}


def test_a_workflow_text_stays_as_it_was_when_the_sidecar_is_down(wordpress, tenant_world):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    text = "Join here: {zoom_meeting_url} (password {zoom_meeting_password})"
    assert wordpress.workflow(appointment_id, "email", text) == text


def test_an_sms_workflow_asks_the_sidecar_to_expand_for_sms(wordpress, tenant_world, wp_sidecar):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    expanded = wordpress.workflow(appointment_id, "sms", "Join: {zoom_meeting_url}")
    (seen,) = [r for r in wp_sidecar.requests if r["path"] == "/v1/tenant/shortcodes/expand"]
    assert seen["headers"]["x-bkz-tenant"] == str(world.tenant_id)
    assert json.loads(seen["body"]) == {"appointment_id": appointment_id, "channel": "sms", "audience": "unknown",
                                        "texts": ["Join: {zoom_meeting_url}"]}
    assert expanded == "Join: "  # the service has Zoom off: no meeting, so the shortcode expands to nothing


def test_s2s_connect_then_staff_is_linked_to_a_zoom_user_from_the_dropdown(browser, wordpress, tenant_world, wp_db,
                                                                           wp_sidecar, emulator):
    world, login = tenant_world
    page = _submit_s2s_credentials(browser, wordpress, login, emulator)
    assert page.wait_for_selector(".bkz-message").inner_text() == "Your Zoom account has been connected"
    assert page.locator(".bkz-connected").is_visible()

    page.goto(f"{wordpress.url}/wp-admin/admin.php?page=bkz-staff")
    row = page.locator(f"#bkz-staff-{world.staff_id}")
    bob = row.locator("option", has_text="bob@acme.example")
    bob_id = bob.get_attribute("value")
    row.locator("select").select_option(bob_id)
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".bkz-message")
    assert page.locator(f"#bkz-staff-{world.staff_id} select").input_value() == bob_id
    (link,) = Booknetic(wp_db).data_rows("staff", world.staff_id, "zoom_user")
    assert json.loads(link["data_value"])["id"] == bob_id
    assert link["tenant_id"] == world.tenant_id


def test_a_booking_made_in_wordpress_gets_its_zoom_meeting_and_a_working_join_link(browser, wordpress, tenant_world,
                                                                                   wp_db, wp_sidecar, emulator):
    world, login = tenant_world
    _submit_s2s_credentials(browser, wordpress, login, emulator).wait_for_selector(".bkz-message")
    users = _sidecar(wordpress, "GET", "/v1/tenant/zoom/users", tenant=world.tenant_id)["users"]
    bob = next(u for u in users if u["email"] == "bob@acme.example")
    _sidecar(wordpress, "PUT", f"/v1/tenant/staff/{world.staff_id}/zoom-user", {"zoom_user_id": bob["id"]},
             tenant=world.tenant_id)
    _sidecar(wordpress, "PUT", f"/v1/tenant/services/{world.service_id}/zoom", {"enabled": True},
             tenant=world.tenant_id)

    appointment_id = _book(wordpress, world)["id"]  # the ping runs the sync now

    (row,) = Booknetic(wp_db).data_rows("appointments", appointment_id, "zoom_meeting_data")
    meeting = json.loads(row["data_value"])
    assert meeting["join_url"].startswith(emulator.url)
    assert wp_db.query("SELECT appointment_id FROM {jobs}") == []
    text = wordpress.workflow(appointment_id, "sms", "Join: {zoom_meeting_url}")
    assert text == f"Join: {meeting['join_url']}"
    stable = requests.get(meeting["start_url"], allow_redirects=False, timeout=30)  # our stable host link
    assert stable.status_code in (302, 303)
    assert stable.headers["Location"].startswith(emulator.url)


def test_disconnect_on_the_tenant_screen_forgets_the_connection(browser, wordpress, tenant_world, wp_db, wp_sidecar,
                                                                emulator):
    world, login = tenant_world
    page = _submit_s2s_credentials(browser, wordpress, login, emulator)
    page.click("#bkz-disconnect")
    expect(page.locator(".bkz-message")).to_have_text("Your Zoom account has been disconnected.")
    assert page.locator("#bkz-save-credentials").is_visible()
    assert wp_db.query("SELECT tenant_id FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id}) == []
