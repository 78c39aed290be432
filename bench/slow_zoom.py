"""A slow Zoom against `booknetic-zoom serve` (2 gunicorn workers): Zoom answers every call after 12 s
(our timeout: 10 s) while ten booking pings arrive at once; meanwhile shortcode expansions (no Zoom call
needed), a stable join link and /healthz are timed. Run once per [sidecar] threads value, to show why the
sidecar runs gthread workers with threads > 1 (threads = 1 is one request at a time per process, as sync
workers are).

Run from the repository root (MariaDB at 127.0.0.1:3306, root, no password):
  python bench/slow_zoom.py [--threads 1,8]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory

import requests

from harness import ROOT, Bench, machine, percentile, setup
from sidecar.services import links
from sidecar.shim_client import SidecarClient
from sidecar.store import jobs
from tests.fixtures.booknetic import DEFAULT_START
from tests.fixtures.database import SHIM_SECRET
from tests.fixtures.meetings import drain
from tests.fixtures.wordpress import free_port

PING_TIMEOUT = 2  # the shim's BKZ_Jobs::PING_TIMEOUT
EXPAND_TIMEOUT = 8  # the shim's BKZ_Shortcodes::EXPAND_TIMEOUT


def _serve(b: Bench, tmp: Path, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    ini = b.ini(tmp / f"serve{threads}.ini", sidecar={"workers": 2, "threads": threads},
                 logging={"level": "INFO"})
    proc = subprocess.Popen([sys.executable, "-c", "from sidecar.cli import main; main()", "--config", str(ini),
                             "serve", "--bind", f"127.0.0.1:{port}"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=(tmp / f"serve{threads}.log").open("w"), env={**os.environ, "HOME": str(tmp)})
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(url + "/healthz", timeout=5)
            return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("the sidecar did not start")


def _timed(call, timeout: float) -> float:
    """Seconds until the answer, or `timeout` when the caller gave up."""
    started = time.monotonic()
    try:
        call(timeout)
    except requests.Timeout:
        return timeout
    return time.monotonic() - started


def run(threads: int) -> None:
    b = setup(zoom_timeout=10)
    try:
        made = b.bookings(1, start=DEFAULT_START - 86400)[0]
        jobs.enqueue_sync(b.ctx.db, b.world.tenant_id, made)
        drain(b.config, timeout=60)
        pending = b.bookings(10)
        with TemporaryDirectory() as tmp:
            proc, url = _serve(b, Path(tmp), threads)
            try:
                b.control.hang_next(seconds=12, count=200)
                tenant = SidecarClient(url, SHIM_SECRET, b.world.tenant_id)
                join = links.token(b.ctx, links.JOIN, b.world.tenant_id, made)
                expand = {"appointment_id": made, "channel": "email", "audience": "customer",
                          "texts": ["Join: {zoom_meeting_url}"]}

                for appt in pending:  # the shim's rows, written before the pings
                    jobs.enqueue_sync(b.ctx.db, b.world.tenant_id, appt)
                with ThreadPoolExecutor(max_workers=10) as pool:
                    pings = [pool.submit(ping_only, url, b.world.tenant_id, appt) for appt in pending]
                    time.sleep(0.3)
                    expansions = [_timed(lambda t: tenant.request("POST", "/v1/tenant/shortcodes/expand", json=expand,
                                                                  timeout=t), EXPAND_TIMEOUT) for _ in range(20)]
                    link = _timed(lambda t: tenant.as_tenant("platform").request("GET", f"/v1/join/{join}",
                                                                                 timeout=t), EXPAND_TIMEOUT)
                    health = _timed(lambda t: requests.get(url + "/healthz", timeout=t), 30)
                    answered = [p.result() for p in pings]
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        late = sum(1 for s in answered if s >= PING_TIMEOUT)
        print(f"threads = {threads}: pings max {max(answered):.2f} s, {late}/10 past the shim's {PING_TIMEOUT} s; "
              f"expansions p50 {percentile(expansions, 50):.3f} s, p95 {percentile(expansions, 95):.3f} s, "
              f"max {max(expansions):.3f} s (shim gives up at {EXPAND_TIMEOUT} s); join link {link:.3f} s; "
              f"/healthz {health:.3f} s", flush=True)
    finally:
        b.close()


def ping_only(url: str, tenant_id: int, appt: int) -> float:
    """One booking ping as the shim sends it: seconds until the answer, or the ping timeout if it gave up."""
    client = SidecarClient(url, SHIM_SECRET, tenant_id)
    return _timed(lambda t: client.request("POST", f"/v1/tenant/appointments/{appt}/sync",
                                           json={"timeout": PING_TIMEOUT}, timeout=t), PING_TIMEOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,8", help="comma-separated [sidecar] threads values to try")
    print(machine())
    for threads in parser.parse_args().threads.split(","):
        run(int(threads))


if __name__ == "__main__":
    main()
