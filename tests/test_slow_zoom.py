"""A slow Zoom never stalls the sidecar: booking pings answer before the shim hangs up (the job row keeps
the rest for the worker), and shortcode expansions, stable links and /healthz, which need no Zoom call,
answer at once meanwhile. Precise figures: bench/slow_zoom.py."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from sidecar import context
from sidecar.services import links
from sidecar.shim_client import SidecarClient
from sidecar.store import jobs
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.database import SHIM_SECRET, make_config
from tests.fixtures.meetings import write_ini
from tests.fixtures.wordpress import free_port

PING_TIMEOUT = 2  # the shim's BKZ_Jobs::PING_TIMEOUT, sent along as the ping's `timeout`
SLACK = 1  # for a loaded test host; Zoom's stall (8 s) and our Zoom timeout (3 s) are far beyond it


@pytest.fixture
def config(db_name, encryption_key, zoom_base_url):
    return make_config(db_name, keys=(encryption_key,), zoom_url=zoom_base_url, zoom={"timeout": "3"})


@pytest.fixture
def served(config, tmp_path):
    """`booknetic-zoom serve` with the shipped defaults (2 workers), over a real socket."""
    port = free_port()
    ini = write_ini(config, tmp_path / "sidecar.ini", logging={"level": "INFO"}, sidecar={"workers": 2})
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen([sys.executable, "-c", "from sidecar.cli import main; main()", "--config",
                                   str(ini), "serve", "--bind", f"127.0.0.1:{port}"], stdout=log,
                                  stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(tmp_path)})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(url + "/healthz", timeout=5)
                break
            except requests.RequestException:  # workers still booting
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _timed(call) -> float:
    started = time.monotonic()
    answer = call()
    assert answer.status_code < 400, answer.text
    return time.monotonic() - started


def test_pings_answer_in_time_and_nothing_else_waits_while_zoom_hangs(zoom_ready, booknetic, emulator, served,
                                                                      config):
    tid, world = zoom_ready.tenant_id, zoom_ready.world
    made = booknetic.appointment(world, starts_at=DEFAULT_START - 86400)
    zoom_ready.sync(made)
    pending = [booknetic.appointment(world, starts_at=DEFAULT_START + i * 3600) for i in range(10)]
    emulator.hang_next(seconds=8, count=100)  # every Zoom call now stalls past our 3 s timeout
    for appt in pending:
        jobs.enqueue_sync(booknetic.db, tid, appt)  # as the shim's hook does before it pings

    def ping(appt: int) -> int | str:
        client = SidecarClient(served, SHIM_SECRET, tid)
        try:
            return client.request("POST", f"/v1/tenant/appointments/{appt}/sync", json={"timeout": PING_TIMEOUT},
                                  timeout=PING_TIMEOUT + SLACK).status_code
        except requests.Timeout:
            return "the shim hung up"

    tenant = SidecarClient(served, SHIM_SECRET, tid)
    expand = {"appointment_id": made, "channel": "email", "audience": "customer", "texts": ["{zoom_meeting_url}"]}
    join = links.token(context.build(config), links.JOIN, tid, made)
    with ThreadPoolExecutor(max_workers=10) as pool:
        pings = [pool.submit(ping, appt) for appt in pending]
        time.sleep(0.3)  # the pings are in, waiting on Zoom
        expansions = [_timed(lambda: tenant.request("POST", "/v1/tenant/shortcodes/expand", json=expand))
                      for _ in range(20)]
        link = _timed(lambda: tenant.as_tenant("platform").request("GET", f"/v1/join/{join}"))
        health = _timed(lambda: requests.get(served + "/healthz", timeout=10))
        answered = [p.result() for p in pings]

    assert answered == [202] * 10  # queued, answered before the shim gave up
    assert sorted(expansions)[18] < 1.0  # p95 of 20
    assert link < 1.0 and health < 1.0
    assert jobs.stats(booknetic.db, tid).queued == 10  # every booking stays recorded for the worker
