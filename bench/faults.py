"""Faults injected against outcome: bookings pinged while Zoom misbehaves, then the job workers left to
finish; for each fault, how many bookings were lost, meetings made twice, meetings left behind on Zoom
with no row pointing at them (orphans), pings answered 5xx, and the slowest ping.

Run from the repository root (MariaDB at 127.0.0.1:3306, root, no password):
  python bench/faults.py [--bookings N]
"""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter

from harness import Bench, machine, setup
from sidecar.app import create_app
from sidecar.booknetic import addon_data
from sidecar.store import connections, jobs, meetings, settings
from tests.fixtures.app import signed_headers
from tests.fixtures.meetings import drain

PING_TIMEOUT = 2  # the shim's
MARKER = re.compile(r"^bkz-\d+-(\d+)-[0-9a-f]{12}$", re.M)


def _ping_all(b: Bench, appts: list[int]) -> tuple[int, float]:
    """Ping every booking as the shim does after its hook; (answers >= 500, slowest ping in seconds)."""
    client = create_app(b.config).test_client()
    failed, slowest = 0, 0.0
    for appt in appts:
        jobs.enqueue_sync(b.ctx.db, b.world.tenant_id, appt)  # the shim's row, written before the ping
        path, body = f"/v1/tenant/appointments/{appt}/sync", f'{{"timeout":{PING_TIMEOUT}}}'.encode()
        started = time.monotonic()
        answer = client.post(path, data=body, headers=signed_headers("POST", path, body, tenant=str(b.world.tenant_id)))
        slowest = max(slowest, time.monotonic() - started)
        failed += answer.status_code >= 500
    return failed, slowest


def _tally(b: Bench, appts: list[int]) -> tuple[int, int, int]:
    """(lost, duplicates, orphans): bookings without an active row, extra meetings made for one booking,
    live meetings no row points to."""
    rows = [meetings.get(b.ctx.db, b.world.tenant_id, a) for a in appts]
    lost = sum(1 for r in rows if r is None or r.state != "active")
    live = b.control.meetings()
    per_booking = Counter(m[1] for m in (MARKER.search(z.get("agenda") or "") for z in live) if m)
    duplicates = sum(n - 1 for n in per_booking.values())
    pointed = {r.zoom_meeting_id for r in rows if r is not None and r.live}
    return lost, duplicates, sum(1 for z in live if z["id"] not in pointed)


def _scenario(name: str, n: int, inject, *, zoom_timeout: float = 2, before=None) -> str:
    b = setup(zoom_timeout=zoom_timeout, jobs={"max_attempts": "40", "backoff_base": "0.05", "backoff_max": "0.5"})
    try:
        appts = b.bookings(n)
        if before is not None:
            before(b, appts)
        inject(b)
        failed, slowest = _ping_all(b, appts)
        drain(b.config, workers=2, timeout=180)
        lost, duplicates, orphans = _tally(b, appts)
        return f"| {name} | {n} | {lost} | {duplicates} | {orphans} | {failed} | {slowest:.2f} s |"
    finally:
        b.close()


def _long_agenda(b: Bench, _appts) -> None:
    settings.save_tenant(b.ctx.db, b.world.tenant_id, settings.TenantSettings(
        True, "{service_name}", "Please read before the call: " + "bring your documents. " * 20, True))


def _synced_then_new_host(b: Bench, appts: list[int]) -> None:
    """Every booking has its meeting; then the staff member gets another Zoom user."""
    for appt in appts:
        jobs.enqueue_sync(b.ctx.db, b.world.tenant_id, appt)
    drain(b.config, workers=2, timeout=120)
    account = connections.get(b.ctx.db, b.ctx.crypto, b.world.tenant_id).zoom_account_id
    other = b.control.seed_user(account, "other@bench.example", "Otto", "Other")
    addon_data.set_staff_zoom_user(b.ctx.db, b.world.tenant_id, b.world.staff_id, {"id": other["id"], "name": "Otto"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=20)
    n = parser.parse_args().bookings
    print(machine())
    print("| fault injected | bookings | lost | duplicates | orphans | 5xx | slowest ping |")
    print("|---|---|---|---|---|---|---|")
    print(_scenario("Zoom answers 500 to 12 creates", n,
                    lambda b: b.control.fail_next(count=12, status=500, endpoint="create_meeting")), flush=True)
    print(_scenario("4 creates stall 1.5 s before acting (timeout 1 s), agenda > 250 chars", n,
                    lambda b: b.control.hang_next(seconds=1.5, count=4, endpoint="create_meeting"),
                    zoom_timeout=1, before=_long_agenda), flush=True)
    print(_scenario("Zoom refuses connections for 2 s", n,
                    lambda b: b.control.refuse_connections(2.0)), flush=True)
    print(_scenario("every call stalls 3 s (timeout 2 s) for 30 calls", n,
                    lambda b: b.control.hang_next(seconds=3, count=30)), flush=True)
    print(_scenario("host change, the old meetings' deletes answer 503 nine times", n,
                    lambda b: b.control.fail_next(count=9, status=503, endpoint="delete_meeting"),
                    before=_synced_then_new_host), flush=True)


if __name__ == "__main__":
    main()
