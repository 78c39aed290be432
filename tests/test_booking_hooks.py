"""The PHP shim inside a real WordPress: signing, the booking hooks' job rows and pings, the public URLs
and the workflow shortcodes (SPEC sections 1, 2, 4, 6 and 7). The screens: test_booknetic_screens.py."""
from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sidecar import context
from sidecar.http.auth import signature
from sidecar.services import links
from sidecar.store import events, jobs
from tests.fixtures.booknetic import Booknetic
from tests.fixtures.database import SHIM_SECRET
from tests.fixtures.wordpress import REPO, _php_string

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
                         str(world.tenant_id), ping["headers"]["x-bkz-actor"], b'{"timeout":2}')
    assert ping["headers"]["x-bkz-signature"] == expected  # the shim's ping timeout, so the sidecar answers in time
    assert ping["status"] in (200, 202)


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


def test_a_forged_oauth_state_is_refused_on_the_redirect_uri_and_connects_nothing(wordpress, wp_db, wp_sidecar):
    answer = requests.get(f"{wordpress.url}/?booknetic_action=zoom_oauth_callback&code=abc&state=forged",
                          allow_redirects=False, timeout=30)
    (seen,) = [r for r in wp_sidecar.requests if r["path"] == "/v1/oauth/callback"]
    assert seen["status"] == 400
    assert answer.status_code == 400
    assert json.loads(seen["answer"])["message"] in answer.text
    assert wp_db.query("SELECT tenant_id FROM {connections}") == []


def test_a_workflow_message_never_carries_a_raw_shortcode_when_the_sidecar_is_down(wordpress, tenant_world,
                                                                                   wp_sidecar_config):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    text = "Join here: {zoom_meeting_url} (password {zoom_meeting_password}) {customer_full_name}"

    sent = wordpress.workflow(appointment_id, "email", text)

    # The join link the shim signs itself: the sidecar accepts it, and it opens the meeting once made.
    found = re.fullmatch(r"Join here: (\S+) \(password \) \{customer_full_name\}", sent)
    assert found, sent
    link = html.unescape(found[1])
    assert link.startswith(f"{wordpress.url}/?booknetic_action=zoom_join&t=")
    token = parse_qs(urlsplit(link).query)["t"][0]
    assert links.parse(context.build(wp_sidecar_config), token) == links.LinkToken(links.JOIN, world.tenant_id,
                                                                                   appointment_id)


def test_an_sms_workflow_asks_the_sidecar_to_expand_for_sms(wordpress, tenant_world, wp_sidecar):
    world, _ = tenant_world
    appointment_id = _book(wordpress, world)["id"]
    expanded = wordpress.workflow(appointment_id, "sms", "Join: {zoom_meeting_url}")
    (seen,) = [r for r in wp_sidecar.requests if r["path"] == "/v1/tenant/shortcodes/expand"]
    assert seen["headers"]["x-bkz-tenant"] == str(world.tenant_id)
    assert json.loads(seen["body"]) == {"appointment_id": appointment_id, "channel": "sms", "audience": "unknown",
                                        "texts": ["Join: {zoom_meeting_url}"]}
    assert expanded == "Join: "  # the service has Zoom off: no meeting, so the shortcode expands to nothing


def test_a_booking_made_in_wordpress_gets_its_zoom_meeting_and_a_working_join_link(wordpress, tenant_world, wp_db,
                                                                                   wp_sidecar, emulator):
    world, _ = tenant_world
    account_id = emulator.seed_account()
    emulator.seed_user(account_id, "bob@acme.example", "Bob", "Staff")
    app = emulator.seed_s2s_app(account_id)
    wordpress.sidecar("PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s"})
    wordpress.sidecar("PUT", "/v1/tenant/zoom/credentials", {"account_id": account_id, "client_id": app["client_id"],
                                                               "client_secret": app["client_secret"]},
             tenant=world.tenant_id)
    users = wordpress.sidecar("GET", "/v1/tenant/zoom/users", tenant=world.tenant_id)["users"]
    bob = next(u for u in users if u["email"] == "bob@acme.example")
    wordpress.sidecar("PUT", f"/v1/tenant/staff/{world.staff_id}/zoom-user", {"zoom_user_id": bob["id"]},
             tenant=world.tenant_id)
    wordpress.sidecar("PUT", f"/v1/tenant/services/{world.service_id}/zoom", {"enabled": True},
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




def test_the_shims_job_insert_is_the_sidecars_own_statement():
    php = (REPO / "wp-plugin-shim" / "includes" / "class-bkz-jobs.php").read_text()
    (statement,) = re.findall(r'"(INSERT INTO \{\$wpdb->base_prefix\}bkntc_zoom_jobs.*?)",', php, re.S)
    as_php = " ".join(statement.replace("{$wpdb->base_prefix}bkntc_zoom_jobs", "{jobs}").split())
    as_sidecar = " ".join(jobs.ENQUEUE_SYNC.replace("%(t)s", "%d").replace("%(a)s", "%d").split())
    assert as_php == as_sidecar


def test_without_booknetic_the_shim_shows_one_notice_and_touches_no_table(wordpress):
    # WordPress loaded with every plugin but Booknetic (the stand-in), as on a site where it is inactive.
    without_booknetic = (
        'define("SAVEQUERIES", true); $GLOBALS["wp_filter"] = ["option_active_plugins" => [10 => [["function" =>'
        ' function ($plugins) { return array_values(array_filter((array) $plugins, function ($p) {'
        ' return strpos($p, "booknetic-standin") === false; })); }, "accepted_args" => 1]]]];')
    seen = json.loads(wordpress.php(
        'wp_set_current_user(1); ob_start(); do_action("admin_notices");'
        ' $notices = ob_get_clean(); global $wpdb;'
        ' echo json_encode(["notices" => $notices, "addon" => class_exists("BKZ_Addon"),'
        ' "queries" => array_values(array_filter(array_column($wpdb->queries, 0),'
        ' function ($q) { return stripos($q, "bkntc") !== false; }))]);',
        before_load=without_booknetic))
    assert seen["notices"].count("notice-error") == 1
    assert "activate Booknetic" in seen["notices"]
    assert seen["addon"] is False
    assert seen["queries"] == []


def test_without_our_tables_a_booking_still_pings_the_sidecar_and_admins_are_told_to_migrate(wordpress, tenant_world,
                                                                                           wp_db, wp_sidecar):
    world, _ = tenant_world
    wp_db.execute("RENAME TABLE {jobs} TO wp_bkntc_zoom_jobs_away")  # as if `booknetic-zoom migrate` never ran
    try:
        answer = _book(wordpress, world)
        notices = wordpress.php('wp_set_current_user(1); do_action("admin_notices");')
    finally:
        wp_db.execute("RENAME TABLE wp_bkntc_zoom_jobs_away TO {jobs}")
    assert answer["id"] > 0
    assert [r["path"] for r in wp_sidecar.requests] == [f"/v1/tenant/appointments/{answer['id']}/sync"]
    assert "booknetic-zoom migrate" in notices
    _book(wordpress, world)  # the table is back: the next booking's row clears the notice
    assert "booknetic-zoom migrate" not in wordpress.php('wp_set_current_user(1); do_action("admin_notices");')



_CAPTURE_MAIL = ("$mails = []; add_filter('pre_wp_mail', function ($r, $m) use (&$mails) { $mails[] = $m; return true; },"
                 " 10, 2);")


def _php_json(value) -> str:
    """A PHP expression decoding `value` from JSON."""
    return f"json_decode({_php_string(json.dumps(value))}, true)"


def _deliver_alerts(wordpress, workflows: list[dict]) -> dict:
    """Run the shim's alert cron with these stand-in workflows; what it sent by workflow and by wp_mail."""
    manager = "\\BookneticApp\\Providers\\Common\\WorkflowEventsManager"
    code = (f"{manager}::$workflows = {_php_json(workflows)}; {_CAPTURE_MAIL} $n = BKZ_Alerts::deliver();"
            " echo wp_json_encode(['delivered' => $n, 'mails' => $mails,"
            " 'sent' => \\BookneticAddon\\EmailWorkflow\\EmailWorkflowDriver::$sent,"
            " 'scheduled' => (bool) wp_next_scheduled(BKZ_Alerts::CRON_HOOK)]);")
    return json.loads(wordpress.php(code))


def test_alerts_fire_as_the_tenants_own_booknetic_workflow_event(wordpress, tenant_world, wp_db, wp_sidecar):
    world, _ = tenant_world
    events.raise_alert(wp_db, world.tenant_id, events.NEEDS_RECONNECT, "Connect your Zoom account again")
    action = {"to": "owner@acme.test", "subject": "Zoom", "body": "Alert: {zoom_alert_message}", "attachments": ""}
    other = {**action, "to": "someone@else.test"}
    workflows = [
        {"when": "zoom_connection_needs_reconnect", "tenant_id": world.tenant_id, "driver": "email",
         "data": json.dumps(action)},
        {"when": "zoom_connection_needs_reconnect", "tenant_id": world.tenant_id + 1, "driver": "email",
         "data": json.dumps(other)},
    ]

    out = _deliver_alerts(wordpress, workflows)

    assert out["delivered"] == 1 and out["scheduled"] is True and out["mails"] == []
    assert [(m["to"], m["body"]) for m in out["sent"]] == [("owner@acme.test",
                                                           "Alert: Connect your Zoom account again")]
    assert _deliver_alerts(wordpress, workflows)["delivered"] == 0  # each alert once


def test_without_a_workflow_events_manager_the_tenant_owner_gets_an_email(wordpress):
    alert = {"tenant_id": 7, "kind": "meeting_failed", "title": "Zoom: a booking's meeting could not be made",
             "message": "The Zoom meeting of appointment #3 could not be made", "owner_email": "owner@acme.test",
             "appointment_id": 3}
    [mail] = json.loads(wordpress.php(f"{_CAPTURE_MAIL} BKZ_Alerts::send({_php_json(alert)}, null);"
                                      " echo wp_json_encode($mails);"))
    assert (mail["to"], mail["subject"], mail["message"]) == ("owner@acme.test", alert["title"], alert["message"])
