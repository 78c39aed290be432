"""A sysadmin's Prometheus scrapes GET /metrics (and each worker's metrics port) and sees what the sidecar did."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from sidecar import signing
from sidecar.app import create_app
from sidecar.services import inline_sync
from sidecar.store import connections, jobs, meetings
from sidecar.worker import Worker
from tests.fixtures.database import SHIM_SECRET, make_config
from tests.fixtures.meetings import write_ini
from tests.test_operations import free_port


def scrape(text: str) -> dict[tuple, float]:
    """{(sample name, ((label, value), ...)): value} of a /metrics answer."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def get_metrics(client) -> dict:
    resp = client.get("/metrics")
    assert resp.status_code == 200 and resp.content_type.startswith("text/plain; version=")
    return scrape(resp.get_data(as_text=True))


def wait_for(url: str, *, timeout: float = 15.0) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=(1, 15))  # a busy test server may take seconds to answer
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


MEETINGS = "/users/{userId}/meetings"


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    """The test config with a short inline sync budget, so a hanging Zoom runs it out quickly."""
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url,
                       shortcodes={"inline_sync_budget": "0.5"})


def test_a_booking_shows_in_the_queue_gauges_the_sync_outcome_and_the_zoom_calls(zoom_ready, booknetic, emulator,
                                                                                 client, config, ctx):
    before = get_metrics(client)
    appointment = booknetic.appointment(zoom_ready.world)
    jobs.enqueue_sync(booknetic.db, zoom_ready.tenant_id, appointment)
    time.sleep(0.05)
    queued = get_metrics(client)
    assert value(queued, "bkz_database_up") == 1
    assert value(queued, "bkz_jobs_queued") == 1 and value(queued, "bkz_jobs_oldest_age_seconds") > 0
    emulator.rate_limit_next(1, endpoint="create_meeting")  # one per-second 429, retried at once

    assert Worker(config).run(until_idle=True) == 1

    after = get_metrics(client)
    assert value(after, "bkz_jobs_queued") == 0 and value(after, "bkz_jobs_oldest_age_seconds") == 0
    delta = lambda name, **labels: value(after, name, **labels) - value(before, name, **labels)  # noqa: E731
    assert delta("bkz_syncs_total", outcome="done", state="active") == 1
    assert delta("bkz_zoom_requests_total", method="POST", endpoint=MEETINGS, status="429") == 1
    assert delta("bkz_zoom_requests_total", method="POST", endpoint=MEETINGS, status="201") == 1
    assert delta("bkz_zoom_rate_limited_total", endpoint=MEETINGS, limit="per_second") == 1
    assert delta("bkz_zoom_request_duration_seconds_count", method="POST", endpoint=MEETINGS) == 2
    assert delta("bkz_zoom_request_duration_seconds_bucket", method="POST", endpoint=MEETINGS, le="+Inf") == 2


def test_token_refreshes_and_tenants_needing_reconnect(zoom_ready, booknetic, emulator, client, ctx):
    before = get_metrics(client)
    connections.expire_access_token(ctx.db, zoom_ready.tenant_id)
    zoom_ready.sync(booknetic.appointment(zoom_ready.world))  # renews the token first
    connections.set_status(ctx.db, zoom_ready.tenant_id, connections.NEEDS_RECONNECT)

    after = get_metrics(client)
    assert (value(after, "bkz_token_refreshes_total", method="oauth", outcome="ok")
            - value(before, "bkz_token_refreshes_total", method="oauth", outcome="ok")) == 1
    assert value(after, "bkz_tenants_needing_reconnect") == 1


def test_a_message_whose_inline_sync_ran_out_of_time_is_counted(zoom_ready, booknetic, emulator, client, shim):
    before = get_metrics(client)
    appointment = booknetic.appointment(zoom_ready.world)
    emulator.hang_next(3, endpoint="create_meeting")
    try:
        resp = shim.as_tenant(zoom_ready.tenant_id).post("/v1/tenant/shortcodes/expand", json={
            "appointment_id": appointment, "channel": "whatsapp", "audience": "customer",
            "texts": ["{zoom_meeting_url}"]})
        # the stable join link on WordPress, not Zoom's (which is not made yet)
        assert resp.status_code == 200 and resp.get_json()["texts"][0].startswith("http://wordpress.test/")
    finally:
        assert inline_sync.drain(15)  # the hung sync ends before the test's tables go
    after = get_metrics(client)
    delta = lambda name, **labels: value(after, name, **labels) - value(before, name, **labels)  # noqa: E731
    assert delta("bkz_inline_syncs_total", result="timed_out") == 1
    assert delta("bkz_shortcode_expansions_total", channel="whatsapp") == 1


def test_no_label_carries_an_id_a_secret_or_a_persons_data(zoom_ready, booknetic, emulator, client, ctx):
    appointment = booknetic.appointment(zoom_ready.world)
    zoom_ready.sync(appointment)
    row = meetings.get(ctx.db, zoom_ready.tenant_id, appointment)
    stored = connections.get(ctx.db, ctx.crypto, zoom_ready.tenant_id)
    text = client.get("/metrics").get_data(as_text=True)

    for private in (str(row.zoom_meeting_id), zoom_ready.host["id"], zoom_ready.host["email"], stored.access_token,
                    stored.refresh_token, stored.zoom_user_email, row.join_url, row.password):
        assert private not in text
    endpoints = {s.labels["endpoint"] for f in text_string_to_metric_families(text) for s in f.samples
                 if "endpoint" in s.labels}
    assert MEETINGS in endpoints
    assert all(not re.search(r"\d", e) for e in endpoints), endpoints


def test_metrics_still_answer_when_the_database_is_down(db_name, encryption_key):
    down = create_app(make_config(db_name, keys=(encryption_key,), database={"port": str(free_port())}))
    resp = down.test_client().get("/metrics")
    assert resp.status_code == 200
    assert value(scrape(resp.get_data(as_text=True)), "bkz_database_up") == 0


def _expand(base: str, tenant_id: int, appointment_id: int) -> int:
    path = "/v1/tenant/shortcodes/expand"
    body = json.dumps({"appointment_id": appointment_id, "channel": "sms", "audience": "staff",
                       "texts": ["{zoom_meeting_url}"]}).encode()
    headers = signing.signed_headers(SHIM_SECRET, "POST", path, body, tenant=str(tenant_id))
    return requests.post(base + path, data=body, headers=headers, timeout=10).status_code


def test_serve_adds_up_the_counters_of_every_gunicorn_worker(tmp_path, config, booknetic, world, ctx):
    appointment = booknetic.appointment(world)
    meetings.save(ctx.db, meetings.Meeting(world.tenant_id, appointment, 81234567890, "zoom-user-1",
                                           "https://zoom.test/j/81234567890", "123456", None, None, meetings.ACTIVE,
                                           None))
    port = free_port()
    ini = write_ini(config, tmp_path / "c.ini")
    server = subprocess.Popen([sys.executable, "-c", "from sidecar.cli import main; main()", "--config", str(ini),
                               "serve", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/metrics")
        # Many at once on fresh connections, so every worker answers some of them.
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda _: _expand(base, world.tenant_id, appointment), range(60)))
        assert statuses == [200] * 60
        for _ in range(5):  # whichever worker answers the scrape, it reports all of them
            samples = scrape(requests.get(base + "/metrics", timeout=5).text)
            assert value(samples, "bkz_shortcode_expansions_total", channel="sms") == 60
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_each_worker_serves_its_own_counters_on_its_metrics_port(tmp_path, config, booknetic, world):
    appointment = booknetic.appointment(world)  # the tenant never connected Zoom: the sync has nothing to do
    jobs.enqueue_sync(booknetic.db, world.tenant_id, appointment)
    port = free_port()
    ini = write_ini(config, tmp_path / "c.ini")
    worker = subprocess.Popen([sys.executable, "-c", "from sidecar.cli import main; main()", "--config", str(ini),
                               "worker", "--metrics-bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            samples = scrape(wait_for(f"http://127.0.0.1:{port}/metrics").text)
            if value(samples, "bkz_syncs_total", outcome="done", state="none") == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert value(samples, "bkz_syncs_total", outcome="done", state="none") == 1
        assert ("bkz_jobs_queued", ()) not in samples  # the queue is read once, by serve's /metrics
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.parametrize("bind", ["nonsense", "127.0.0.1:0"])
def test_a_bad_worker_metrics_bind_is_one_line(tmp_path, config, bind):
    ini = write_ini(config, tmp_path / "c.ini")
    result = subprocess.run([sys.executable, "-c", "from sidecar.cli import main; main()", "--config", str(ini),
                             "worker", "--metrics-bind", bind], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and result.stderr.startswith("Error: --metrics-bind: ")
    assert len(result.stderr.strip().splitlines()) == 1
