"""Shortcode expansion throughput per worker: a realistic confirmation email with the three Zoom shortcodes
for an appointment whose meeting exists. Needs MariaDB at 127.0.0.1:3306 (as the tests do); uses a
throwaway database. Goal: >= 2,000 texts per second per worker.

    .venv/bin/python bench/shortcodes.py [--seconds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sidecar import context  # noqa: E402
from sidecar.app import create_app  # noqa: E402
from sidecar.services import shortcodes  # noqa: E402
from sidecar.store import meetings, migrations  # noqa: E402
from sidecar.store.db import Database  # noqa: E402
from tests.fixtures.app import Shim  # noqa: E402
from tests.fixtures.booknetic import Booknetic  # noqa: E402
from tests.fixtures.database import create_database, drop_database, make_config  # noqa: E402

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


def rate(seconds: float, step) -> tuple[int, float]:
    """Run step() for about `seconds`; return how many calls ran and how long they took."""
    step()  # warm up connections and caches
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        calls += 1
    return calls, time.perf_counter() - start


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

        shim = Shim(create_app(config).test_client(), world.tenant_id)
        # the shim's replacer sends one text per call, and only texts holding a Zoom shortcode
        request = {"appointment_id": appointment, "channel": "email", "audience": "unknown", "texts": [BODY]}

        def http_call():
            resp = shim.post("/v1/tenant/shortcodes/expand", json=request)
            assert resp.status_code == 200, resp.get_data(as_text=True)

        print(f"cores: {os.cpu_count()}  (one worker process, one thread; goal {GOAL:,} texts/s per worker)")
        calls, took = rate(args.seconds, service_call)
        print(f"services.shortcodes.expand, one email body per call: {calls / took:,.0f} texts/s "
              f"({took / calls * 1000:.2f} ms per text)")
        calls, took = rate(args.seconds, http_call)
        print(f"signed POST /v1/tenant/shortcodes/expand, one email body per call: {calls / took:,.0f} texts/s "
              f"({took / calls * 1000:.2f} ms per call)")
        db.close()
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
