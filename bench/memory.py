"""Memory over many bookings: resident memory of each gunicorn worker and each `booknetic-zoom worker`
process while they make N meetings (a leak shows as growth).

Each booking gets its job row, as the shim writes it; every other booking is also pinged (signed POST
.../sync to gunicorn, 2 workers), the rest are left to 2 worker processes, so both kinds serve N/2
syncs. RSS is read after a warm-up (the first 10% of the bookings) and at the end; goal: the end within
10% of the warm figure, per process.

Run from the repository root (MariaDB at 127.0.0.1:3306, root, no password):
  python bench/memory.py [--bookings N]     (default 10,000: a few minutes)
"""
from __future__ import annotations

import argparse
import signal
import subprocess
from pathlib import Path
from tempfile import TemporaryDirectory

import requests

from harness import children, free_port, goal, machine, rss_mb, serve, setup, wait_until
from sidecar.store import jobs
from tests.fixtures.app import signed_headers
from tests.fixtures.meetings import worker_command

GROWTH_GOAL = 0.10
WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookings", type=int, default=10_000)
    args = parser.parse_args()
    print(machine())
    n = args.bookings
    b = setup()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    try:
        appts = b.bookings(n)
        with TemporaryDirectory() as tmp:
            ini = b.ini(Path(tmp) / "bench.ini", sidecar={"bind": f"127.0.0.1:{port}", "workers": "2"})
            procs.append(serve(ini, url))
            procs += [subprocess.Popen(worker_command(ini), stdout=subprocess.DEVNULL,
                                       stderr=(Path(tmp) / f"w{i}.log").open("w")) for i in range(WORKERS)]
            watched = {f"gunicorn worker {pid}": pid for pid in children(procs[0].pid)}
            watched.update({f"worker process {p.pid}": p.pid for p in procs[1:]})
            session = requests.Session()
            warm_at, samples = max(1, n // 10), {}
            for i, appt in enumerate(appts, 1):
                jobs.enqueue_sync(b.ctx.db, b.world.tenant_id, appt)  # the shim's row
                if i % 2:
                    path = f"/v1/tenant/appointments/{appt}/sync"
                    headers = signed_headers("POST", path, b"{}", tenant=str(b.world.tenant_id))
                    session.post(url + path, data=b"{}", headers=headers, timeout=30)
                if i in (warm_at, n):
                    wait_until(lambda: jobs.stats(b.ctx.db).queued == 0, 120)
                    samples[i] = {name: rss_mb(pid) for name, pid in watched.items()}
                    print(f"  after {i} bookings: " + ", ".join(f"{k} {v:.1f} MB" for k, v in samples[i].items()),
                          flush=True)
            made = len(b.control.meetings())
        print(f"memory: {n} bookings, {made} meetings on Zoom")
        worst = max(samples[n][k] / samples[warm_at][k] - 1 for k in watched)
        for name in watched:
            growth = samples[n][name] / samples[warm_at][name] - 1
            print(f"  {name}: {samples[warm_at][name]:.1f} MB after {warm_at} -> {samples[n][name]:.1f} MB after {n}"
                  f" ({growth * 100:+.1f}%)")
        print(goal(f"RSS of every process flat within {GROWTH_GOAL * 100:.0f}% from booking {warm_at} to {n}",
                   f"worst {worst * 100:+.1f}%", worst <= GROWTH_GOAL))
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        b.close()


if __name__ == "__main__":
    main()
