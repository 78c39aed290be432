"""Benchmark the Zoom client against the emulator: meeting creates per second and the client's own
overhead per call (time spent in sidecar.zoom around requests, and client vs. a bare requests.post).

Run from the repository root:  python bench/zoom_client.py [--calls 1000] [--threads 4]
The emulator runs in a child process so its CPU time does not mix with the client's.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from sidecar.emulator import EmulatorControl  # noqa: E402
from sidecar.zoom import ZoomClient  # noqa: E402
from sidecar.zoom.api import agenda_with_marker  # noqa: E402

# The child prints its URL, then serves until its stdin closes. Limits are lifted: we measure speed.
EMULATOR = """
import sys
from sidecar.emulator import EmulatorServer
big = 10**9
server = EmulatorServer({"qps": {"Light": big, "Medium": big}, "account_daily": {"Light": big, "Medium": big},
                         "user_daily_meeting_limit": big}).start()
print(server.url, flush=True)
sys.stdin.read()
server.stop()
"""

BODY = {"topic": "Bench call", "type": 2, "start_time": "2030-05-01T10:00:00Z", "duration": 30,
        "timezone": "Europe/Berlin", "agenda": "Benchmark meeting.",
        "settings": {"host_video": True, "participant_video": True, "join_before_host": False,
                     "waiting_room": True, "approval_type": 2, "audio": "both", "auto_recording": "none"}}


class FixedToken:
    """A TokenProvider with one long-lived S2S token (token renewal is not what we measure)."""

    def __init__(self, token: str):
        self.token = token

    def access_token(self) -> str:
        return self.token

    def mark_expired(self, token: str) -> None:
        raise RuntimeError("the benchmark token was rejected")


def start_emulator() -> tuple[subprocess.Popen, str]:
    """Start the emulator in a child process and return it with its URL."""
    child = subprocess.Popen([sys.executable, "-c", EMULATOR], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    return child, child.stdout.readline().strip()


def seed(url: str) -> tuple[dict, str, str]:
    """Seed an account with one host and an S2S app; return (app, account_id, host_id)."""
    control = EmulatorControl(url)
    account_id = control.seed_account()
    control.seed_user(account_id, "owner@bench.example", "Owner", "Bench", role_name="Owner")
    host = control.seed_user(account_id, "host@bench.example", "Host", "Bench")
    return control.seed_s2s_app(account_id), account_id, host["id"]


def instrument(client: ZoomClient) -> list[int]:
    """Record the nanoseconds each call spends inside requests (the rest of a call is our code)."""
    inside: list[int] = []
    request = client.transport.session.request

    def timed(*args, **kwargs):
        started = time.perf_counter_ns()
        try:
            return request(*args, **kwargs)
        finally:
            inside.append(time.perf_counter_ns() - started)

    client.transport.session.request = timed
    return inside


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if q < 100 else max(values)


def compare(url: str, token: str, host_id: str, calls: int) -> dict:
    """Interleave client creates and bare requests.post creates of the same body; return per-call ms lists."""
    client = ZoomClient(url, url + "/v2", 10.0)
    inside = instrument(client)
    tokens = FixedToken(token)
    bare = requests.Session()
    create_url = f"{url}/v2/users/{host_id}/meetings"
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(50):  # warm up connections and caches
        client.api.create_meeting(tokens, host_id, BODY, f"bkz:warm:{i}")
        bare.post(create_url, json=BODY, headers=headers, timeout=10).json()
    inside.clear()
    total_ms, ours_ms, bare_ms = [], [], []
    for i in range(calls):
        marker = f"bkz:bench:{i}"
        started = time.perf_counter_ns()
        client.api.create_meeting(tokens, host_id, BODY, marker)
        elapsed = time.perf_counter_ns() - started
        total_ms.append(elapsed / 1e6)
        ours_ms.append((elapsed - inside[-1]) / 1e6)
        payload = {**BODY, "agenda": agenda_with_marker(BODY["agenda"], marker)}
        started = time.perf_counter_ns()
        resp = bare.post(create_url, json=payload, headers=headers, timeout=(5.0, 10.0))
        resp.json()
        bare_ms.append((time.perf_counter_ns() - started) / 1e6)
        assert resp.status_code == 201
    client.close()
    return {"client": total_ms, "ours": ours_ms, "bare": bare_ms}


def throughput(url: str, token: str, host_id: str, calls: int, threads: int) -> float:
    """Meeting creates per second with `threads` threads, one ZoomClient each."""
    def work(n: int) -> None:
        client = ZoomClient(url, url + "/v2", 10.0)
        for i in range(calls):
            client.api.create_meeting(FixedToken(token), host_id, BODY, f"bkz:t{n}:{i}")
        client.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return threads * calls / (time.perf_counter() - started)


def server_ms(url: str) -> list[float]:
    """The emulator's own handling time of each logged create (its request log timestamps)."""
    calls = EmulatorControl(url).calls(endpoint="create_meeting")
    return [(c["ended"] - c["started"]) * 1000 for c in calls]


def main() -> None:
    """Start the emulator, seed it, measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed creates per measurement")
    parser.add_argument("--threads", type=int, default=4, help="threads for the concurrent throughput run")
    args = parser.parse_args()

    child, url = start_emulator()
    try:
        app, account_id, host_id = seed(url)
        token = ZoomClient(url, url + "/v2", 10.0).oauth.account_credentials(
            app["client_id"], app["client_secret"], account_id).access_token
        EmulatorControl(url).clear_calls()
        figures = compare(url, token, host_id, args.calls)
        server = server_ms(url)
        sequential = args.calls / (sum(figures["client"]) / 1000)
        concurrent = throughput(url, token, host_id, max(args.calls // args.threads, 1), args.threads)
    finally:
        child.stdin.close()
        child.wait(timeout=10)

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {os.cpu_count()} cores ({affinity} usable), Python {sys.version.split()[0]}, "
          f"requests {requests.__version__}; emulator in a separate process")
    print(f"meeting creates, {args.calls} timed calls each (after 50 warm-up):")
    for name, label in (("client", "ZoomClient.api.create_meeting"), ("bare", "bare requests.post + .json()"),
                        ("ours", "time in sidecar.zoom (call minus requests)")):
        print(f"  {label:46s} p50 {pct(figures[name], 50):7.3f} ms   p95 {pct(figures[name], 95):7.3f} ms")
    print(f"  {'emulator handling time (server side)':46s} p50 {pct(server, 50):7.3f} ms   p95 {pct(server, 95):7.3f} ms")
    print(f"  client minus bare, p50: {pct(figures['client'], 50) - pct(figures['bare'], 50):+.3f} ms "
          f"(target: client overhead < 1 ms p50)")
    print(f"throughput: {sequential:.0f} creates/s sequential, {concurrent:.0f} creates/s with {args.threads} threads")


if __name__ == "__main__":
    main()
