"""The product page, step by step, against the Zoom emulator, a throwaway database and the real sidecar
over HTTP. Booknetic's side (rows, hooks) is played the way Booknetic and the shim play it: every
booking change writes Booknetic's row and then the shim's job row, and a worker, as `booknetic-zoom
worker` does, takes the job and moves Zoom.

Over 200 lines: it follows the product page step by step, and reads best as one script."""
from __future__ import annotations

import html
import threading
import time
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from sidecar import config as config_mod
from sidecar.app import create_app
from sidecar.database import Database
from sidecar.demo import database
from sidecar.demo.booknetic_rows import Booknetic, World
from sidecar.emulator import EmulatorServer
from sidecar.services.sync import SyncResult
from sidecar.services.sync_jobs import DONE, JobOutcome
from sidecar.shim_client import SidecarClient
from sidecar.store import jobs, migrations
from sidecar.store.crypto import generate_key
from sidecar.worker import Worker

SITE = "https://booking.example.test"
SECRET = "demo-shim-secret-0123456789abcdef"
START = int(time.time()) // 3600 * 3600 + 7 * 86400  # a week ahead, on the hour


class DemoFailed(Exception):
    """A step of the product page did not do what the page says."""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(what)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:  # the demo prints the steps, not an access log
        pass


@contextmanager
def serving(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def book(booknetic: Booknetic, world: World, starts_at: int) -> int:
    """A booking: Booknetic's appointment row, then (the shim, on after_mutation) its job row."""
    appointment = booknetic.appointment(world, starts_at=starts_at)
    jobs.enqueue_sync(booknetic.db, world.tenant_id, appointment)
    return appointment


class Queue:
    """The shim's side of the job table and a worker draining it, narrated."""

    def __init__(self, cfg: config_mod.Config, db: Database, echo):
        self.cfg, self.db, self.echo = cfg, db, echo

    def work(self) -> SyncResult:
        """Show the queued job, let a worker run it as `booknetic-zoom worker` would; the last outcome."""
        queued = jobs.stats(self.db)
        self.echo(f"  the shim's job row waits in {self.db.table_name('jobs')} ({queued.queued} queued); "
                  "the worker takes it:")
        outcomes: list[JobOutcome] = []
        Worker(self.cfg, name="demo-worker").run(until_idle=True, on_outcome=outcomes.append)
        check(len(outcomes) == queued.queued and all(o.kind == DONE for o in outcomes),
              f"the worker ran every queued job ({outcomes})")
        check(jobs.stats(self.db).queued == 0, "the queue is empty afterwards")
        return outcomes[-1].result


def run(server: dict, echo=print) -> None:
    """Walk the product page; raise DemoFailed at the first step that does not hold."""
    db_name = database.create(server)
    emulator = EmulatorServer().start()
    zoom = emulator.control
    try:
        cfg = config_mod.from_mapping({
            "database": {**{k: str(v) for k, v in server.items()}, "name": db_name},
            "sidecar": {"public_base_url": SITE, "shim_shared_secret": SECRET},
            "security": {"encryption_keys": generate_key()},
            "zoom": {"oauth_base_url": emulator.oauth_base_url, "api_base_url": emulator.api_base_url,
                     "timeout": "5"},
            "logging": {"level": "WARNING"},
        })
        db = Database(cfg.database)
        migrations.migrate(db)
        with serving(create_app(cfg)) as sidecar_url:
            echo(f"Zoom emulator {emulator.url} | sidecar {sidecar_url} | database {db_name}\n")
            _walk(echo, db, zoom, SidecarClient(sidecar_url, SECRET), Queue(cfg, db, echo))
        db.close()
    finally:
        database.drop(server, db_name)
        emulator.stop()


def _walk(echo, db: Database, zoom, platform: SidecarClient, queue: Queue) -> None:
    booknetic = Booknetic(db)
    account = zoom.seed_account(timezone="Europe/Berlin")
    anna = zoom.seed_user(account, "anna@clinic.example", "Anna", "Host", role_name="Owner")
    zoom.seed_user(account, "ben@clinic.example", "Ben", "Host")
    app = zoom.seed_oauth_app(f"{SITE}/?booknetic_action=zoom_oauth_callback")
    s2s = zoom.seed_s2s_app(account)

    echo("Zoom on Booknetic SaaS is set up in two layers")
    saved = platform.request("PUT", "/v1/platform/zoom", {
        "enabled": True, "method": "oauth", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "webhook_secret_token": app["secret_token"]})
    check(saved.status_code == 200, f"platform settings saved ({saved.status_code} {saved.text})")
    shown = platform.request("GET", "/v1/platform/zoom").json()
    check(shown["client_secret_set"] and "client_secret" not in shown, "the client secret is write-only")
    echo("  1. platform admin: Zoom on, method OAuth; paste into the Zoom Marketplace app:")
    echo(f"     OAuth redirect URI: {shown['redirect_uri']}")
    echo(f"     event notification (webhook) endpoint URL: {shown['webhook_url']}")
    basic = platform.as_tenant(booknetic.world(zoom_plan=False, domain="basic").tenant_id, 7)
    check(basic.request("GET", "/v1/tenant/zoom").json()["available"] is False, "plan without zoom hides Zoom")
    echo("     a tenant whose plan lacks the zoom capability sees no Settings -> Integrations -> Zoom menu")
    acme = booknetic.world(domain="acme")
    tenant_id, staff, service = acme.tenant_id, acme.staff_id, acme.service_id
    tenant = platform.as_tenant(tenant_id, 5)

    echo("\nConnect Zoom — OAuth method")
    status = tenant.request("GET", "/v1/tenant/zoom").json()
    check(status["available"] and status["method"] == "oauth" and not status["connected"], "OAuth screen shown")
    echo("  1-2. Settings -> Integration with Zoom shows CLICK TO CONNECT ZOOM ACCOUNT; clicked")
    authorize_url = tenant.request("POST", "/v1/tenant/zoom/connect",
                                   {"return_url": f"{SITE}/acme/settings/zoom"}).json()["authorize_url"]
    consent = requests.get(authorize_url + "&" + urlencode({"auto_approve": anna["email"]}), allow_redirects=False,
                           timeout=10)
    back = urlparse(consent.headers["Location"])
    check(back.query.startswith("booknetic_action=zoom_oauth_callback"), "Zoom redirects to the WordPress URI")
    echo(f"  3. signed in at Zoom as {anna['email']} and allowed the app")
    query = parse_qs(back.query)
    # the redirect URI is a public WordPress URL; the same logged-in WordPress user comes back through it
    done = platform.as_tenant("platform", 5).request("POST", "/v1/oauth/callback", {"code": query["code"][0], "state": query["state"][0]})
    check(done.status_code == 200, f"callback accepted ({done.status_code} {done.text})")
    echo(f"  4. back at {done.json()['return_url']}: \"{done.json()['message']}\"")

    echo("\nLink Zoom to your staff")
    users = tenant.request("GET", "/v1/tenant/zoom/users").json()["users"]
    check(any(u["id"] == anna["id"] for u in users), "the dropdown lists the account's users")
    linked = tenant.request("PUT", f"/v1/tenant/staff/{staff}/zoom-user", {"zoom_user_id": anna["id"]})
    check(linked.status_code == 200, f"staff linked ({linked.status_code} {linked.text})")
    echo(f"  dropdown: {', '.join(u['email'] for u in users)}; Jane Doe -> {anna['email']}")

    echo("\nActivate Zoom on the services")
    check(tenant.request("PUT", f"/v1/tenant/services/{service}/zoom", {"enabled": True}).status_code == 200,
          "service toggle saved")
    echo("  Online consultation: Activate Zoom ON")

    echo("\nBooknetic auto-creates a Zoom meeting when an appointment is booked")
    appointment = book(booknetic, acme, START)
    echo(f"  John Smith books Online consultation with Jane Doe: appointment #{appointment}")
    synced = queue.work()
    check(synced.state == "active" and synced.meeting_id, f"meeting made ({synced})")
    meeting_id = synced.meeting_id
    check(len(zoom.meetings(host_id=anna["id"])) == 1, "exactly one meeting on Zoom")
    echo(f"  appointment #{appointment} -> Zoom meeting {meeting_id}, join {synced.join_url}")

    echo("\nSend the Zoom link to your customer")
    body = "<p>See you online: {zoom_meeting_url} (passcode {zoom_meeting_password})</p>"
    expanded = tenant.request("POST", "/v1/tenant/shortcodes/expand", {
        "appointment_id": appointment, "channel": "email", "audience": "customer",
        "texts": [body, "Host: {zoom_meeting_host_url}"]}).json()["texts"]
    check("{zoom_meeting_url}" not in expanded[0] and expanded[1] == "Host: ", "customer email expanded")
    # the email's HTML carries &amp; in the link; a person reading the email sees &
    echo(f"  the customer reads: {html.unescape(expanded[0].removeprefix('<p>').removesuffix('</p>'))}")
    echo("  {zoom_meeting_host_url} is withheld from customer emails")
    host_text = tenant.request("POST", "/v1/tenant/shortcodes/expand", {
        "appointment_id": appointment, "channel": "email", "audience": "staff",
        "texts": ["{zoom_meeting_host_url}"]}).json()["texts"][0]
    host_link = html.unescape(host_text)
    token = parse_qs(urlparse(host_link).query)["t"][0]
    host = platform.request("GET", f"/v1/host/{token}")
    check(host.status_code == 302, f"host link redirects ({host.status_code})")
    check(requests.get(host.headers["Location"], timeout=10).status_code == 200, "Zoom accepts the start URL")
    echo(f"  staff email host link {host_link} -> a fresh start URL that Zoom accepts")

    echo("\nThe meeting follows the booking")
    moved_to = START + 86400
    booknetic.update_appointment(appointment, starts_at=moved_to, busy_from=moved_to, busy_to=moved_to + 2400)
    jobs.enqueue_sync(db, tenant_id, appointment)
    echo(f"  appointment #{appointment} rescheduled one day later")
    moved = queue.work()
    on_zoom = {m["id"]: m for m in zoom.meetings(host_id=anna["id"])}
    check(moved.meeting_id == meeting_id and meeting_id in on_zoom, f"the same meeting is kept ({moved})")
    check(on_zoom[meeting_id]["start_time"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moved_to)),
          f"Zoom meeting moved ({on_zoom[meeting_id]['start_time']})")
    echo(f"  -> Zoom meeting {meeting_id} moved to {on_zoom[meeting_id]['start_time']}; the links sent stay valid")
    canceled = book(booknetic, acme, START + 10800)
    echo(f"  appointment #{canceled} booked")
    made = queue.work()
    check(made.state == "active", f"meeting made for #{canceled} ({made})")
    echo(f"  -> Zoom meeting {made.meeting_id}")
    booknetic.update_appointment(canceled, status="canceled")
    jobs.enqueue_sync(db, tenant_id, canceled)
    echo(f"  appointment #{canceled} canceled")
    gone = queue.work()
    deleted = [m for m in zoom.meetings(host_id=anna["id"], include_deleted=True) if m["id"] == made.meeting_id]
    check(gone.state == "deleted" and deleted and deleted[0]["deleted"], f"the meeting is deleted ({gone})")
    echo(f"  -> Zoom meeting {made.meeting_id} deleted")

    echo("\nDisconnect or change Zoom account")
    check(tenant.request("DELETE", "/v1/tenant/zoom").status_code in (200, 204), "disconnected")
    later = book(booknetic, acme, START + 3600)
    after = queue.work()
    check(after.state == "none", f"no meeting for #{later} after disconnect ({after})")
    check(len(zoom.meetings(host_id=anna["id"])) == 1, "the existing meeting stays on Zoom")
    echo("  Disconnect: the meeting already made stays on Zoom; the next booking gets none")

    echo("\nConnect Zoom — Server-to-Server method")
    platform.request("PUT", "/v1/platform/zoom", {"enabled": True, "method": "s2s", "client_id": app["client_id"]})
    check(tenant.request("GET", "/v1/tenant/zoom").json()["method"] == "s2s", "S2S screen shown")
    wrong = tenant.request("PUT", "/v1/tenant/zoom/credentials", {
        "account_id": account, "client_id": s2s["client_id"], "client_secret": "not-the-secret"})
    check(wrong.status_code == 422 and wrong.json()["field"] == "client_secret", "a wrong secret is refused")
    echo(f"  a mistyped Client Secret is refused: {wrong.json()['message']}")
    right = tenant.request("PUT", "/v1/tenant/zoom/credentials", {
        "account_id": account, "client_id": s2s["client_id"], "client_secret": s2s["client_secret"]})
    check(right.status_code == 200, f"S2S credentials saved ({right.status_code} {right.text})")
    echo("  Account ID, Client ID, Client Secret pasted and saved")
    third = book(booknetic, acme, START + 7200)
    s2s_sync = queue.work()
    check(s2s_sync.state == "active", f"meeting made over S2S ({s2s_sync})")
    echo(f"  appointment #{third} -> Zoom meeting {s2s_sync.meeting_id} over Server-to-Server")
    echo("\nEvery step of the product page worked.")
