"""Shortcode expansion throughput per worker: a realistic confirmation email with the three Zoom shortcodes
for an appointment whose meeting exists, in process and as the shim's signed POST (Flask's test client:
no sockets, so what it adds is ours). Goals: the signed rate >= 0.6 x the in-process rate, measured in the
same run; >= 2,000 texts per second per worker. It also times the pieces the signed call adds: the
signature check, the nonce's insert and the JSON of request and answer, and the same signed POST sent
over HTTP to `booknetic-zoom serve` (gunicorn, one worker, one thread) on a new connection per call, as
the shim's wp_remote_post sends it. Needs MariaDB at 127.0.0.1:3306 (as the tests do); uses a throwaway
database.

    .venv/bin/python bench/shortcodes.py [--seconds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import free_port, serve  # noqa: E402
from sidecar import context  # noqa: E402
from sidecar.app import create_app  # noqa: E402
from sidecar import signing  # noqa: E402
from sidecar.database import Database  # noqa: E402
from sidecar.services import shortcodes  # noqa: E402
from sidecar.store import nonces  # noqa: E402
from sidecar.store import meetings, migrations  # noqa: E402
from tests.fixtures.app import Shim, signed_headers  # noqa: E402
from tests.fixtures.booknetic import Booknetic  # noqa: E402
from tests.fixtures.database import create_database, drop_database, make_config  # noqa: E402
from tests.fixtures.meetings import write_ini  # noqa: E402

BODY = """<p>Hello {customer_full_name},</p>
<p>Thank you for booking <strong>{service_name}</strong> with {staff_name} on {appointment_date} at
{appointment_start_time} ({appointment_timezone}).</p>
<p>Join the video call at the time of your appointment:<br>
<a href="{zoom_meeting_url}">{zoom_meeting_url}</a><br>
Passcode: {zoom_meeting_password}</p>
<p>Staff: start the meeting with {zoom_meeting_host_url}</p>
<p>Need to change something? Reply to this email or call us at {company_phone}.</p>
<p>See you soon,<br>{company_name}</p>"""


GOAL = 2000
RATIO_GOAL = 0.6


def interleaved(seconds: float, *steps) -> list[float]:
    """Run the steps in turn for about `seconds` (so the machine's noise falls on each alike); the median
    milliseconds per call of each."""
    times: list[list[float]] = [[] for _ in steps]
    for step in steps:
        step()  # warm up connections and caches
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for spent, step in zip(times, steps):
            began = time.perf_counter()
            step()
            spent.append((time.perf_counter() - began) * 1000)
    return [sorted(t)[len(t) // 2] for t in times]


def _through_gunicorn(config, tmp: Path, tenant_id: int, request: dict, seconds: float) -> list[float]:
    """Median ms per signed POST, and per unsigned POST to no route (404), to a `booknetic-zoom serve` of
    this config (1 worker, 1 thread), each on a new connection."""
    port = free_port()
    ini = write_ini(config, tmp / "serve.ini", sidecar={"bind": f"127.0.0.1:{port}", "workers": "1", "threads": "1"})
    master = serve(ini, f"http://127.0.0.1:{port}")
    path, raw = "/v1/tenant/shortcodes/expand", json.dumps(request).encode()

    def post(to: str, headers: dict) -> int:
        # http.client, lighter than requests: the shim's client is PHP's curl, whose own cost is small
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("POST", to, body=raw, headers={**headers, "Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    def call():
        assert post(path, signed_headers("POST", path, raw, tenant=str(tenant_id))) == 200

    def unsigned_404():
        assert post("/v1/none", {}) == 404

    try:
        return interleaved(seconds, call, unsigned_404)
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    name = create_database()
    try:
        config = make_config(name, logging={"level": "WARNING"})
        db = Database(config.database)
        migrations.migrate(db)
        booknetic = Booknetic(db)
        world = booknetic.world()
        appointment = booknetic.appointment(world)
        meetings.save(db, meetings.Meeting(world.tenant_id, appointment, 81234567890, "zoom-user-1",
                                           "https://us05web.zoom.us/j/81234567890?pwd=Ab12Cd34Ef56", "482913",
                                           None, None, meetings.ACTIVE, None))
        ctx = context.build(config, db)

        def service_call():
            shortcodes.expand(ctx, world.tenant_id, appointment, "email", "staff", [BODY])

        client = create_app(config).test_client()
        shim = Shim(client, world.tenant_id)
        # the shim's replacer sends one text per call, and only texts holding a Zoom shortcode
        request = {"appointment_id": appointment, "channel": "email", "audience": "unknown", "texts": [BODY]}

        def http_call():
            resp = shim.post("/v1/tenant/shortcodes/expand", json=request)
            assert resp.status_code == 200, resp.get_data(as_text=True)

        print(f"cores: {os.cpu_count()}  (one worker process, one thread)")
        inproc_ms, signed_ms = interleaved(2 * args.seconds, service_call, http_call)
        inproc, signed = 1000 / inproc_ms, 1000 / signed_ms
        print(f"services.shortcodes.expand, one email body per call: {inproc:,.0f} texts/s "
              f"({inproc_ms:.2f} ms per text, median)")
        print(f"signed POST /v1/tenant/shortcodes/expand, one email body per call: {signed:,.0f} texts/s "
              f"({signed_ms:.2f} ms per call, median)")
        raw = json.dumps(request).encode()
        answer = {"texts": [BODY], "appointment_id": appointment}
        pieces = {
            "signature (sign + check)": lambda: signing.signature_matches(
                signing.signature("s", "1767225600", "POST", "/v1/tenant/shortcodes/expand", "3", "12", raw),
                signing.signature("s", "1767225600", "POST", "/v1/tenant/shortcodes/expand", "3", "12", raw)),
            "nonce insert (MEMORY table)": lambda: nonces.remember(db, secrets.token_urlsafe(16), 600,
                                                                   int(time.time())),
            "JSON (request and answer)": lambda: (json.loads(raw), json.dumps(answer)),
            "Flask + test client (an unsigned 404: no SQL)": lambda: client.post("/v1/none", data=raw),
        }
        print(f"  of the {signed_ms:.2f} ms per signed call: in-process expand {inproc_ms:.2f} ms", end="")
        rest = signed_ms - inproc_ms
        for name, spent in zip(pieces, interleaved(args.seconds, *pieces.values())):
            print(f", {name} {spent:.3f} ms", end="")
            rest -= spent
        print(f", the rest {rest:.2f} ms (the route, the SQL round trips' wake-ups under load)")
        with TemporaryDirectory() as tmp:
            over_http_ms, refused_ms = _through_gunicorn(config, Path(tmp), world.tenant_id, request, args.seconds)
        print(f"signed POST over HTTP to gunicorn (1 worker, 1 thread, a new connection per call):"
              f" {1000 / over_http_ms:,.0f} texts/s ({over_http_ms:.2f} ms per call, median; the HTTP client, the new"
              f" connection and gunicorn add {over_http_ms - signed_ms:.2f} ms to the test client's call;"
              f" an unsigned POST to no route (404, no SQL) takes {refused_ms:.2f} ms the same way)")
        ratio = signed / inproc
        print(f"GOAL signed / in-process >= {RATIO_GOAL}: measured {ratio:.2f} -> "
              f"{'MET' if ratio >= RATIO_GOAL else 'NOT MET'}")
        print(f"GOAL signed texts/s per worker >= {GOAL:,}: measured {signed:,.0f} -> "
              f"{'MET' if signed >= GOAL else 'NOT MET'}")
        db.close()
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
