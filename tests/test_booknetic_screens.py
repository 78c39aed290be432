"""Every screen step of the product page, clicked in Chromium inside Booknetic's own panel.

The platform admin sets Zoom up in SaaS Settings -> Integrations -> Zoom and keeps the `zoom` switch
in the Plans modal; the tenant connects in Settings -> Integration with Zoom (OAuth or
Server-to-Server) and disconnects there; picks a Zoom user in the Edit Staff modal and switches
"Activate Zoom" on in the Edit Service modal; START MEETING shows in the appointment info modal and a
join button in the customer panel; a booking workflow's e-mail action offers the Zoom shortcodes in
its Keywords picker. A tenant's staff user can neither see nor change the Zoom settings.

The same tests run against the stand-in (`make test`) and against the real Booknetic
(`make test-booknetic BOOKNETIC_SRC=...`). Screenshots of each screen go to
.test-output/screens/<stand-in|real-booknetic>/.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.fixtures.booknetic import Booknetic
from tests.fixtures.wordpress import ADMIN, REPO, SHIM_PLUGIN

PASSWORD = "booknetic-test-password-1"
SCREENS = REPO / ".test-output" / "screens"


@pytest.fixture
def shoot(wordpress, request):
    """page -> screenshot named after the test and the step, under the run's output folder."""
    folder = SCREENS / ("real-booknetic" if wordpress.real_booknetic else "stand-in")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = folder / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _user(wordpress, role: str) -> str:
    login = f"{role.split('_')[-1]}{time.monotonic_ns()}"
    wordpress.create_user(login, PASSWORD, role)
    return login


def _user_id(wordpress, login: str) -> int:
    return int(wordpress.php(f'echo get_user_by("login", "{login}")->ID;'))


def _world(wordpress, wp_db, *, zoom_plan: bool = True):
    """A tenant owned by a WordPress user, with what Booknetic's screens need to list its rows."""
    world = Booknetic(wp_db).world(zoom_plan=zoom_plan)
    owner = _user(wordpress, "booknetic_saas_tenant")
    params = {"u": _user_id(wordpress, owner), "t": world.tenant_id, "st": world.staff_id, "sv": world.service_id}
    wp_db.execute("UPDATE {tenants} SET user_id = %(u)s WHERE id = %(t)s", params)
    if wordpress.real_booknetic:
        # A SaaS plan grants only the capabilities it lists: the real panel needs them all (settings, staff...).
        every = json.loads(wordpress.php(
            '$flat = []; $walk = function ($list) use (&$walk, &$flat) { foreach ($list as $slug => $c) {'
            ' $flat[] = $slug; if (!empty($c["children"])) { $walk($c["children"]); } } };'
            ' $walk(\\BookneticApp\\Providers\\Core\\Capabilities::getTenantCapabilityList()); echo json_encode($flat);'))
        capabilities = {slug: "on" for slug in every} | {"zoom": "on" if zoom_plan else "off"}
        wp_db.execute("UPDATE {plans} p JOIN {tenants} t ON t.plan_id = p.id SET p.permissions = %(perm)s,"
                      " p.color = '#53d56c' WHERE t.id = %(t)s", {**params, "perm": json.dumps({"capabilities": capabilities,
                                                                             "limits": {}})})
        # Booknetic lists staff by location and services by category, and books by working hours.
        wp_db.execute("INSERT INTO wp_bkntc_locations (name, is_active, tenant_id) VALUES ('Main', 1, %(t)s)", params)
        params["loc"] = wp_db.query_one("SELECT MAX(id) AS id FROM wp_bkntc_locations")["id"]
        wp_db.execute("INSERT INTO wp_bkntc_service_categories (name, parent_id, tenant_id) VALUES ('Online', 0, %(t)s)",
                      params)
        params["cat"] = wp_db.query_one("SELECT MAX(id) AS id FROM wp_bkntc_service_categories")["id"]
        wp_db.execute("UPDATE {services} SET category_id = %(cat)s, timeslot_length = 0 WHERE id = %(sv)s", params)
        wp_db.execute("UPDATE {staff} SET locations = %(loc)s WHERE id = %(st)s", params)
        wp_db.execute("INSERT INTO wp_bkntc_service_staff (service_id, staff_id, price, deposit)"
                      " VALUES (%(sv)s, %(st)s, -1, -1)", params)
    return world, owner


@pytest.fixture
def tenant(wordpress, wp_db):
    return _world(wordpress, wp_db)



def _open_settings_item(page, site, view: str, *, saas: bool = False):
    """Booknetic's Settings -> Integrations -> the sub item `view`, as a user clicks it."""
    panel = "booknetic-saas" if saas else "booknetic"
    page.goto(f"{site.url}/wp-admin/admin.php?page={panel}&module=settings")
    page.click(".settings-chart[data-view='settings.integrations']")
    page.click(f".settings_submenus div[data-view='{view}']")
    screen = "bkz-platform-settings" if saas else "bkz-tenant-settings"
    page.wait_for_selector(f".settings-main-container #booknetic_settings_area.{screen} .ms-content")


def _open_row(page, site, module: str, row_id: int, action: str = "edit", *, saas: bool = False, list_view=""):
    """A list's row menu item (its icon font is not loaded offline; the item is in the DOM)."""
    panel = "booknetic-saas" if saas else "booknetic"
    page.goto(f"{site.url}/wp-admin/admin.php?page={panel}&module={module}{list_view}")
    page.locator(f"tr[data-id='{row_id}'] .datatable_action_btn[data-action='{action}']").dispatch_event("click")
    page.wait_for_selector(".fs-modal .fs-modal-footer", state="attached")


def _flip_switch(page, input_id: str) -> None:
    """Click one of Booknetic's on/off switches (its label), scrolled to the middle of the screen as a
    user would have it: Booknetic's floating guide icon covers the lower right corner."""
    label = page.locator(f"label.fs_onoffswitch-label[for='{input_id}']")
    label.evaluate("element => element.scrollIntoView({block: 'center'})")
    label.click()


def _save_modal(page, button: str) -> None:
    """Click a modal's save button and wait for Booknetic to close it (or fail with its error toast)."""
    page.click(button)
    try:
        page.wait_for_selector(".fs-modal", state="detached", timeout=15000)
    except PlaywrightTimeout:
        toast = page.locator("#fs-toaster")
        raise AssertionError(f"the modal stayed open: {toast.inner_text() if toast.count() else '(no toast)'}") from None


def _s2s_account(emulator):
    account_id = emulator.seed_account()
    emulator.seed_user(account_id, "owner@acme.example", "Olive", "Owner", role_name="Owner")
    emulator.seed_user(account_id, "bob@acme.example", "Bob", "Staff")
    return account_id, emulator.seed_s2s_app(account_id)


def _connected_with_s2s(wordpress, world, emulator) -> str:
    """Platform on S2S and the tenant connected; answers Bob's Zoom user id."""
    account_id, app = _s2s_account(emulator)
    wordpress.sidecar("PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s"})
    wordpress.sidecar("PUT", "/v1/tenant/zoom/credentials", {"account_id": account_id, "client_id": app["client_id"],
                                                               "client_secret": app["client_secret"]},
             tenant=world.tenant_id)
    users = wordpress.sidecar("GET", "/v1/tenant/zoom/users", tenant=world.tenant_id)["users"]
    return next(u["id"] for u in users if u["email"] == "bob@acme.example")


def test_platform_admin_sets_up_zoom_in_saas_settings_integrations(browser, wordpress, wp_sidecar, emulator, shoot):
    app = emulator.seed_oauth_app(f"{wordpress.url}/?booknetic_action=zoom_oauth_callback")
    page = browser.page_as(*ADMIN)
    _open_settings_item(page, wordpress, "zoom_platform.platform_view", saas=True)
    page.wait_for_selector("#bkz_save_platform")
    _flip_switch(page, "bkz_platform_enabled")
    page.select_option("#bkz_method", "oauth")
    page.fill("#bkz_client_id", app["client_id"])
    page.fill("#bkz_client_secret", app["client_secret"])
    page.fill("#bkz_webhook_secret_token", "whsec-platform")
    page.click("#bkz_save_platform")
    expect(page.locator(".bkz-platform-settings .bkz-message")).to_have_text("Zoom platform settings saved.")
    shoot(page, "saved")
    assert page.input_value("#bkz_redirect_uri") == f"{wordpress.url}/?booknetic_action=zoom_oauth_callback"
    assert page.input_value("#bkz_webhook_url") == f"{wordpress.url}/?booknetic_action=zoom_webhook"
    assert "recommended" in page.inner_text(".bkz-platform-settings .bkz-note")
    assert app["client_secret"] not in page.content()
    saved = wordpress.sidecar("GET", "/v1/platform/zoom")
    assert (saved["enabled"], saved["method"], saved["client_id"], saved["client_secret_set"],
            saved["webhook_secret_token_set"]) == (True, "oauth", app["client_id"], True, True)


def test_the_plans_modal_shows_the_zoom_switch_and_a_resave_keeps_it(browser, wordpress, wp_db, tenant, shoot):
    world, _ = tenant
    plan_id = wp_db.query_one("SELECT plan_id FROM {tenants} WHERE id = %(t)s", {"t": world.tenant_id})["plan_id"]
    page = browser.page_as(*ADMIN)
    _open_row(page, wordpress, "plans", plan_id, saas=True)
    page.locator(".fs-modal [data-tab='capabilities']").first.dispatch_event("click")
    assert page.locator("label[for='input_permission_zoom']").first.inner_text().strip() == "Zoom integration"
    assert page.locator("#input_permission_zoom").is_checked()
    shoot(page, "plan-modal")
    _save_modal(page, "#addPlanSave")
    permissions = json.loads(wp_db.query_one("SELECT permissions FROM {plans} WHERE id = %(p)s",
                                             {"p": plan_id})["permissions"])
    assert permissions["capabilities"]["zoom"] == "on"


def test_tenant_connects_zoom_with_oauth_from_booknetic_settings(browser, wordpress, tenant, wp_db, wp_sidecar,
                                                                 emulator, shoot):
    world, owner = tenant
    app = emulator.seed_oauth_app(f"{wordpress.url}/?booknetic_action=zoom_oauth_callback")
    account_id = emulator.seed_account()
    emulator.seed_user(account_id, "owner@acme.example", "Olive", "Owner", role_name="Owner", password="zoom-pass")
    wordpress.sidecar("PUT", "/v1/platform/zoom", {"enabled": True, "method": "oauth", "client_id": app["client_id"],
                                                     "client_secret": app["client_secret"]})
    page = browser.page_as(owner, PASSWORD)
    _open_settings_item(page, wordpress, "zoom_settings.settings_view")
    expect(page.locator("#bkz_connect")).to_have_text("CLICK TO CONNECT ZOOM ACCOUNT")
    shoot(page, "before")
    page.click("#bkz_connect")
    page.wait_for_url(f"{emulator.url}/**")
    page.fill("#email", "owner@acme.example")
    page.fill("#password", "zoom-pass")
    page.click("#allow")
    page.wait_for_url(f"{wordpress.url}/wp-admin/admin.php?page=booknetic*")
    expect(page.locator(".bkz-tenant-settings .bkz-message")).to_have_text("Your Zoom account has been connected")
    expect(page.locator(".bkz-account-email")).to_have_text("owner@acme.example")
    shoot(page, "connected")
    row = wp_db.query_one("SELECT method, status FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id})
    assert row == {"method": "oauth", "status": "connected"}


def test_s2s_credentials_zoom_refuses_are_shown_next_to_the_field(browser, wordpress, tenant, wp_db, wp_sidecar,
                                                                  emulator, shoot):
    world, owner = tenant
    account_id, app = _s2s_account(emulator)
    wordpress.sidecar("PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s"})
    page = browser.page_as(owner, PASSWORD)
    _open_settings_item(page, wordpress, "zoom_settings.settings_view")
    page.fill("#bkz_account_id", account_id)
    page.fill("#bkz_client_id", app["client_id"])
    page.fill("#bkz_client_secret", "not-the-secret")
    page.click("#bkz_save_credentials")
    error = page.locator(".bkz-field-error[data-field='client_secret']")
    expect(error).to_be_visible()
    assert "secret" in error.inner_text().lower()
    assert page.get_attribute("#bkz_client_secret", "aria-invalid") == "true"
    shoot(page, "refused")
    assert wp_db.query("SELECT tenant_id FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id}) == []


def test_s2s_connect_then_disconnect_on_the_tenant_screen(browser, wordpress, tenant, wp_db, wp_sidecar, emulator,
                                                          shoot):
    world, owner = tenant
    account_id, app = _s2s_account(emulator)
    wordpress.sidecar("PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s"})
    page = browser.page_as(owner, PASSWORD)
    _open_settings_item(page, wordpress, "zoom_settings.settings_view")
    page.fill("#bkz_account_id", account_id)
    page.fill("#bkz_client_id", app["client_id"])
    page.fill("#bkz_client_secret", app["client_secret"])
    page.click("#bkz_save_credentials")
    expect(page.locator(".bkz-tenant-settings .bkz-message")).to_have_text("Your Zoom account has been connected")
    expect(page.locator(".bkz-connected")).to_be_visible()
    shoot(page, "connected")
    page.click("#bkz_disconnect")
    expect(page.locator(".bkz-tenant-settings .bkz-message")).to_have_text("Your Zoom account has been disconnected.")
    expect(page.locator("#bkz_save_credentials")).to_be_visible()
    assert wp_db.query("SELECT tenant_id FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id}) == []


def test_the_tenant_saves_the_meeting_settings(browser, wordpress, tenant, wp_sidecar, shoot):
    world, owner = tenant
    page = browser.page_as(owner, PASSWORD)
    _open_settings_item(page, wordpress, "zoom_settings.settings_view")
    page.fill("#bkz_meeting_title", "Consultation with {customer_full_name}")
    _flip_switch(page, "bkz_random_password")
    expect(page.locator("#bkz_waiting_room")).to_be_hidden()  # the host's Zoom defaults: nothing of ours
    _flip_switch(page, "bkz_use_host_defaults")
    _flip_switch(page, "bkz_waiting_room")
    page.select_option("#bkz_auto_recording", "cloud")
    page.select_option("#bkz_meetings_for", "approved")
    page.click("#bkz_save_settings")
    expect(page.locator(".bkz-tenant-settings .bkz-message")).to_have_text("Zoom settings saved.")
    shoot(page, "saved")
    saved = wordpress.sidecar("GET", "/v1/tenant/zoom/settings", tenant=world.tenant_id)
    assert saved["meeting_title"] == "Consultation with {customer_full_name}"
    assert (saved["use_host_defaults"], saved["waiting_room"], saved["join_before_host"]) == (False, True, False)
    assert (saved["auto_recording"], saved["meetings_for"], saved["random_password"]) == ("cloud", "approved", False)
    assert page.input_value("#bkz_meeting_title") == saved["meeting_title"]
    assert page.input_value("#bkz_auto_recording") == "cloud" and page.is_checked("#bkz_waiting_room")


def test_a_tenants_staff_user_can_neither_see_nor_change_the_zoom_settings(browser, wordpress, tenant, wp_db,
                                                                          wp_sidecar, emulator, shoot):
    world, _ = tenant
    _connected_with_s2s(wordpress, world, emulator)
    member = _user(wordpress, "booknetic_staff")
    wp_db.execute("UPDATE {staff} SET user_id = %(u)s WHERE id = %(s)s",
                  {"u": _user_id(wordpress, member), "s": world.staff_id})
    page = browser.page_as(member, PASSWORD)
    page.goto(f"{wordpress.url}/wp-admin/admin.php?page=booknetic&module=settings")
    assert page.locator(".settings_submenus div[data-view='zoom_settings.settings_view']").count() == 0
    shoot(page, "settings")
    answer = page.request.post(f"{wordpress.url}/wp-admin/admin.php?page=booknetic&ajax=1",
                               form={"module": "zoom_settings", "action": "disconnect"})
    assert json.loads(answer.text())["status"] == "error"
    assert [r["path"] for r in wp_sidecar.requests if r["method"] == "DELETE"] == []
    row = wp_db.query_one("SELECT status FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id})
    assert row == {"status": "connected"}


def test_a_plan_without_zoom_shows_no_zoom_settings(browser, wordpress, wp_db, wp_sidecar, shoot):
    _, owner = _world(wordpress, wp_db, zoom_plan=False)
    page = browser.page_as(owner, PASSWORD)
    page.goto(f"{wordpress.url}/wp-admin/admin.php?page=booknetic&module=settings")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-view='zoom_settings.settings_view']").count() == 0
    shoot(page, "settings")


def test_the_edit_staff_modal_links_the_staff_to_a_zoom_user(browser, wordpress, tenant, wp_db, wp_sidecar, emulator,
                                                             shoot):
    world, owner = tenant
    bob = _connected_with_s2s(wordpress, world, emulator)
    page = browser.page_as(owner, PASSWORD)
    _open_row(page, wordpress, "staff", world.staff_id)
    select = page.locator("#bkz_zoom_user")
    expect(select).to_be_attached()
    assert "bob@acme.example" in select.locator(f"option[value='{bob}']").inner_text()
    assert "Licensed" in select.locator(f"option[value='{bob}']").inner_text()
    select.select_option(bob)
    shoot(page, "modal")
    _save_modal(page, "#addStaffSave")
    (link,) = Booknetic(wp_db).data_rows("staff", world.staff_id, "zoom_user")
    assert (json.loads(link["data_value"])["id"], link["tenant_id"]) == (bob, world.tenant_id)
    _open_row(page, wordpress, "staff", world.staff_id)
    assert page.input_value("#bkz_zoom_user") == bob


def test_linking_a_basic_zoom_user_warns_that_meetings_end_after_40_minutes(browser, wordpress, tenant, wp_sidecar,
                                                                           emulator, shoot):
    world, owner = tenant
    _connected_with_s2s(wordpress, world, emulator)
    account_id = wordpress.sidecar("GET", "/v1/tenant/zoom", tenant=world.tenant_id)["account_id"]
    fay = emulator.seed_user(account_id, "fay@acme.example", "Fay", "Free", user_type=1)
    page = browser.page_as(owner, PASSWORD)
    _open_row(page, wordpress, "staff", world.staff_id)
    select = page.locator("#bkz_zoom_user")
    assert "Basic" in select.locator(f"option[value='{fay['id']}']").inner_text()
    select.select_option(fay["id"])
    _save_modal(page, "#addStaffSave")
    expect(page.locator("#fs-toaster")).to_contain_text("40 minutes")
    shoot(page, "warned")


def test_the_edit_service_modal_activates_zoom_for_the_service(browser, wordpress, tenant, wp_db, wp_sidecar, shoot):
    world, owner = tenant
    page = browser.page_as(owner, PASSWORD)
    _open_row(page, wordpress, "services", world.service_id, list_view="&view=list")
    toggle = page.locator("#bkz_activate_zoom")
    expect(toggle).to_be_attached()
    assert not toggle.is_checked()
    _flip_switch(page, "bkz_activate_zoom")
    shoot(page, "modal")
    _save_modal(page, "#addServiceSave")
    assert Booknetic(wp_db).data_rows("services", world.service_id, "activate_zoom") == [
        {"data_value": "1", "tenant_id": world.tenant_id}]


@pytest.fixture
def booked(wordpress, tenant, wp_db, wp_sidecar, emulator):
    """Zoom connected, staff linked, service on, and tomorrow's appointment synced to its meeting."""
    world, owner = tenant
    bob = _connected_with_s2s(wordpress, world, emulator)
    wordpress.sidecar("PUT", f"/v1/tenant/staff/{world.staff_id}/zoom-user", {"zoom_user_id": bob},
             tenant=world.tenant_id)
    wordpress.sidecar("PUT", f"/v1/tenant/services/{world.service_id}/zoom", {"enabled": True},
             tenant=world.tenant_id)
    starts = (int(time.time()) // 3600 + 24) * 3600
    appointment_id = Booknetic(wp_db).appointment(world, starts_at=starts)
    assert wordpress.sidecar("POST", f"/v1/tenant/appointments/{appointment_id}/sync", {},
                    tenant=world.tenant_id)["state"] == "active"
    return world, owner, appointment_id


def test_the_appointment_info_modal_has_start_meeting_with_the_stable_host_link(browser, wordpress, booked,
                                                                                  wp_db, emulator, shoot):
    world, owner, appointment_id = booked
    page = browser.page_as(owner, PASSWORD)
    _open_row(page, wordpress, "appointments", appointment_id, "info")
    button = page.locator(".fs-modal-footer #bkz_start_meeting")
    expect(button).to_have_text("START MEETING")
    shoot(page, "info")
    href = button.get_attribute("href")
    assert href.startswith(f"{wordpress.url}/?booknetic_action=zoom_host&t=")
    started = requests.get(href, allow_redirects=False, timeout=30)
    assert started.status_code == 302 and started.headers["Location"].startswith(emulator.url)


def test_the_customer_panel_has_a_join_button_with_the_stable_join_link(browser, wordpress, booked, wp_db, shoot):
    world, _, appointment_id = booked
    customer = _user(wordpress, "booknetic_customer")
    wp_db.execute("UPDATE {customers} SET user_id = %(u)s WHERE id = %(c)s",
                  {"u": _user_id(wordpress, customer), "c": world.customer_id})
    page = browser.page_as(customer, PASSWORD, admin=False)
    page.goto(wordpress.customer_panel_url)
    button = page.locator(f"tr[data-id='{appointment_id}'] .bkz-join-btn")
    expect(button).to_be_visible()
    shoot(page, "panel")
    assert button.get_attribute("href").startswith(f"{wordpress.url}/?booknetic_action=zoom_join&t=")
    assert "zoom_host" not in page.content()


def _as_user(wordpress, login: str, code: str) -> str:
    """PHP run in the site as this user from the start (Booknetic resolves its tenant as for a request)."""
    return wordpress.php(code, before_load=(
        '$GLOBALS["wp_filter"] = ["determine_current_user" => [99 => [["function" => function ($id) {'
        f' $u = get_user_by("login", "{login}"); return $u ? $u->ID : $id; }}, "accepted_args" => 1]]]];'))


_SHORTCODE_LIST = ('echo json_encode(array_column(\\BookneticApp\\Config::getShortCodeService()'
                         '->getShortCodesList(["appointment_id"]), "depends", "code"));')


def test_the_shortcode_service_lists_the_three_shortcodes_for_a_plan_with_zoom(wordpress, tenant, wp_db):
    _, owner = tenant
    listed = json.loads(_as_user(wordpress, owner, _SHORTCODE_LIST))
    assert {code: listed.get(code) for code in ("zoom_meeting_url", "zoom_meeting_host_url",
                                                "zoom_meeting_password")} == {
        "zoom_meeting_url": "appointment_id", "zoom_meeting_host_url": "appointment_id",
        "zoom_meeting_password": "appointment_id"}


def test_a_plan_without_zoom_gets_no_zoom_shortcodes(wordpress, wp_db):
    _, owner = _world(wordpress, wp_db, zoom_plan=False)
    listed = json.loads(_as_user(wordpress, owner, _SHORTCODE_LIST))
    assert not [code for code in listed if code.startswith("zoom_")]


def _email_workflow(wordpress, wp_db, tenant_id: int) -> tuple[int, int]:
    """A "New booking" workflow with one e-mail action, stored as Booknetic's editor saves them
    (Workflow Ajax create_workflow and event_new_booking_save, email_workflow's workflow_action_save_data)."""
    if wordpress.real_booknetic and not (wordpress.root / "wp-content/plugins/booknetic-workflow-email").is_dir():
        pytest.skip("BKZ_BOOKNETIC_SRC holds no booknetic-workflow-email/ (the e-mail action add-on)")
    wp_db.execute("INSERT INTO wp_bkntc_workflows (name, `when`, data, is_active, tenant_id)"
                  " VALUES ('Booking confirmation', 'booking_new', %(data)s, 1, %(t)s)",
                  {"t": tenant_id, "data": json.dumps({"locations": [], "services": [], "staffs": [], "statuses": [],
                                                       "locale": "", "called_from": ""})})
    workflow_id = wp_db.query_one("SELECT MAX(id) AS id FROM wp_bkntc_workflows")["id"]
    wp_db.execute("INSERT INTO wp_bkntc_workflow_actions (workflow_id, driver, data, is_active)"
                  " VALUES (%(w)s, 'email', %(data)s, 1)",
                  {"w": workflow_id, "data": json.dumps({"to": "{customer_email}", "subject": "Your booking",
                                                         "body": "<p>See you soon.</p>", "attachments": ""})})
    return workflow_id, wp_db.query_one("SELECT MAX(id) AS id FROM wp_bkntc_workflow_actions")["id"]


def _open_email_action(page, site, workflow_id: int, action_id: int) -> None:
    """Workflows -> the workflow's Edit -> its "Send Email" action's Edit, as a user clicks them."""
    page.goto(f"{site.url}/wp-admin/admin.php?page=booknetic&module=workflow")
    page.click(f"tr[data-id='{workflow_id}'] .edit_action_btn")
    page.wait_for_url(f"**&module=workflow&action=edit&workflow_id={workflow_id}")
    page.click(f".workflow_action_list [data-load-modal='email_workflow.workflow_action_edit_view']"
               f"[data-parameter-id='{action_id}']")
    page.wait_for_selector(".fs-modal #editWorkflowActionForm", state="attached")


def _keywords_shown(page, search: str = "") -> dict[str, str]:
    """The e-mail body's "Keywords" picker, opened and searched as a user does: {code: name as shown} of
    each shortcode it shows."""
    picker = page.locator(".bkntc_keywords_dropdown")
    if not picker.is_visible():
        page.click(".note-toolbar .note-btn-group:has(.bkntc_keywords_dropdown) > .dropdown-toggle")
    picker.locator(".bkntc_keywords_search input").fill(search)
    return dict(picker.locator("li:visible").evaluate_all(
        "items => items.map(li => [li.dataset.code, li.querySelector('span').innerText])"))


def test_the_email_action_of_a_booking_workflow_offers_the_zoom_shortcodes(browser, wordpress, tenant, wp_db, shoot):
    world, owner = tenant
    workflow_id, action_id = _email_workflow(wordpress, wp_db, world.tenant_id)
    page = browser.page_as(owner, PASSWORD)
    _open_email_action(page, wordpress, workflow_id, action_id)
    shown = _keywords_shown(page, "zoom")
    shoot(page, "keywords")
    assert shown == {"zoom_meeting_url": "Zoom meeting URL", "zoom_meeting_host_url": "Zoom meeting host URL",
                     "zoom_meeting_password": "Zoom meeting password"}


def test_the_email_action_offers_no_zoom_shortcodes_for_a_plan_without_zoom(browser, wordpress, wp_db, shoot):
    world, owner = _world(wordpress, wp_db, zoom_plan=False)
    workflow_id, action_id = _email_workflow(wordpress, wp_db, world.tenant_id)
    page = browser.page_as(owner, PASSWORD)
    _open_email_action(page, wordpress, workflow_id, action_id)
    assert _keywords_shown(page)["appointment_id"] == "Appointment ID"  # the picker lists Booknetic's own
    shown = _keywords_shown(page, "zoom")
    shoot(page, "keywords")
    assert shown == {}


def test_booknetic_finds_our_version_migrated_before_it_would_ask_booknetic_com(wordpress):
    """Booknetic's updateAddonsDB, first on init (priority 10), asks booknetic.com for an add-on's migrations
    while bkntc_addon_<slug>_version is older than the add-on; ours are the sidecar's, so the shim stores its
    version on plugins_loaded. Read at init priority 0, after a fresh install and after an upgrade."""
    shim_version = re.search(r"define\( 'BKZ_VERSION', '([^']+)' \);",
                             (SHIM_PLUGIN / "booknetic-zoom.php").read_text()).group(1)
    at_init = ('$GLOBALS["wp_filter"] = ["init" => [0 => [["function" => function () {'
               ' $GLOBALS["bkz_at_init"] = get_option("bkntc_addon_booknetic-zoom_version"); },'
               ' "accepted_args" => 0]]]];')
    for stored in ("", "0.0.1"):  # never stored; an older version's
        wordpress.php(f'update_option("bkntc_addon_booknetic-zoom_version", "{stored}");')
        assert wordpress.php('echo $GLOBALS["bkz_at_init"];', before_load=at_init) == shim_version


_WORKFLOW_EVENTS = ('$events = \\BookneticApp\\Config::getWorkflowEventsManager()->getAll();'
                    ' echo json_encode(array_map(function ($e) { return [$e->getTitle(), $e->getAvailableParams()]; },'
                    ' array_filter($events, function ($k) { return strpos($k, "zoom_") === 0; }, ARRAY_FILTER_USE_KEY)));')


def test_the_workflow_events_offer_the_zoom_failure_alerts_for_a_plan_with_zoom(wordpress, tenant, wp_db):
    _, owner = tenant
    listed = json.loads(_as_user(wordpress, owner, _WORKFLOW_EVENTS))
    assert listed == {
        "zoom_connection_needs_reconnect": ["Zoom connection needs reconnecting", ["tenant_id", "zoom_alert_message"]],
        "zoom_meeting_failed": ["Zoom meeting could not be made", ["tenant_id", "zoom_alert_message"]]}
    _, other = _world(wordpress, wp_db, zoom_plan=False)
    assert json.loads(_as_user(wordpress, other, _WORKFLOW_EVENTS)) == []
