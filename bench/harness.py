"""What the sync benchmarks share: a throwaway database with Booknetic's tables and ours, the Zoom
emulator in a child process, one tenant connected (OAuth) with a linked staff member and a Zoom
service, bookings written the way Booknetic writes them, and ini files for child processes.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sidecar import context  # noqa: E402
from sidecar.booknetic import addon_data  # noqa: E402
from sidecar.context import Context  # noqa: E402
from sidecar.emulator import EmulatorControl  # noqa: E402
from sidecar.store import connections, migrations, settings  # noqa: E402
from sidecar.store.connections import StoredConnection  # noqa: E402
from tests.fixtures.booknetic import DEFAULT_START, Booknetic, World  # noqa: E402
from tests.fixtures.database import create_database, drop_database, make_config  # noqa: E402
from tests.fixtures.meetings import write_ini  # noqa: E402

BIG = 10**9
# The child prints its URL, then serves until its stdin closes.
EMULATOR = """
import json, sys
from sidecar.emulator import EmulatorServer
server = EmulatorServer(json.loads(sys.argv[1])).start()
print(server.url, flush=True)
sys.stdin.read()
server.stop()
"""


def machine() -> str:
    """One line naming the machine the figures come from."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"machine: {os.cpu_count()} cores ({usable} usable), Python {sys.version.split()[0]}"


def start_emulator(**options) -> tuple[subprocess.Popen, EmulatorControl]:
    """The emulator in a child process (its CPU time stays out of ours), limits lifted unless given."""
    import json

    opts = {"qps": {"Light": BIG, "Medium": BIG}, "account_daily": {"Light": BIG, "Medium": BIG},
            "user_daily_meeting_limit": BIG, **options}
    child = subprocess.Popen([sys.executable, "-c", EMULATOR, json.dumps(opts)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    return child, EmulatorControl(child.stdout.readline().strip())


@dataclass
class Bench:
    """A tenant ready for meetings in a throwaway database, and the emulator behind it."""

    db_name: str
    config: object
    ctx: Context
    control: EmulatorControl
    emulator: subprocess.Popen
    world: World
    booknetic: Booknetic
    host_id: str

    def bookings(self, n: int, *, start: int = DEFAULT_START) -> list[int]:
        """n single bookings, each its own session (an hour apart)."""
        return [self.booknetic.appointment(self.world, starts_at=start + i * 3600) for i in range(n)]

    def ini(self, path: Path, **overrides) -> Path:
        """This bench's config as an ini file for child processes."""
        return write_ini(self.config, path, **overrides)

    def close(self) -> None:
        self.ctx.db.close()
        self.emulator.stdin.close()
        self.emulator.wait(timeout=10)
        drop_database(self.db_name)


def setup(*, emulator_options: dict | None = None, jobs: dict | None = None, zoom_timeout: float = 10) -> Bench:
    """Database, emulator and one connected tenant whose staff hosts as a Zoom user of the account."""
    child, control = start_emulator(**(emulator_options or {}))
    db_name = create_database()
    config = make_config(db_name, zoom_url=control.url, zoom={"timeout": str(zoom_timeout)},
                         logging={"level": "WARNING"},
                         jobs={"poll_interval": "0.02", "lease_seconds": "60", **(jobs or {})})
    ctx = context.build(config)
    migrations.migrate(ctx.db)
    booknetic = Booknetic(ctx.db)
    world = booknetic.world(domain="bench")
    host = connect_tenant(ctx, control, world)
    return Bench(db_name, config, ctx, control, child, world, booknetic, host["id"])


def connect_tenant(ctx: Context, control: EmulatorControl, world: World) -> dict:
    """Zoom on for the platform (OAuth) and the world's tenant connected, its staff hosting as a Zoom user
    of the account and its service with Activate Zoom on; the host user."""
    account_id = control.seed_account(timezone="Europe/Berlin")
    control.seed_user(account_id, "owner@bench.example", "Olivia", "Owner", role_name="Owner")
    host = control.seed_user(account_id, "host@bench.example", "Hank", "Host")
    app = control.seed_oauth_app("http://wordpress.test/?booknetic_action=zoom_oauth_callback")
    settings.save_platform(ctx.db, ctx.crypto, enabled=True, method="oauth", client_id=app["client_id"],
                           client_secret=app["client_secret"], webhook_secret_token="bench-webhook-secret")
    token = control.issue_tokens(app["client_id"], "owner@bench.example")
    connections.save(ctx.db, ctx.crypto, StoredConnection(
        tenant_id=world.tenant_id, method="oauth", status="connected", zoom_account_id=account_id,
        zoom_user_id=None, zoom_user_email="owner@bench.example", client_id=app["client_id"],
        access_token=token["access_token"], refresh_token=token["refresh_token"],
        access_expires_at=datetime.now(timezone.utc) + timedelta(seconds=token["expires_in"])))
    addon_data.set_staff_zoom_user(ctx.db, world.tenant_id, world.staff_id,
                                   {"id": host["id"], "name": "Hank Host ( host@bench.example )"})
    addon_data.set_service_zoom_enabled(ctx.db, world.tenant_id, world.service_id, True)
    return {**host, "account_id": account_id}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """A process's resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """The pids whose parent is pid (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def serve(ini: Path, url: str) -> subprocess.Popen:
    """`booknetic-zoom serve` (gunicorn) with this ini, once /healthz answers at url."""
    cmd = [sys.executable, "-c", "from sidecar.cli import main; main()", "--config", str(ini), "serve"]
    master = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_until(lambda: _up(url), 30, every=0.1):
        master.terminate()
        raise RuntimeError(f"the sidecar did not answer on {url}")
    return master


def _up(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=2).status_code < 500
    except requests.RequestException:  # not listening yet, or too busy starting to answer
        return False


def goal(text: str, measured: str, met: bool) -> str:
    """One goal line: the goal, what was measured, met or not."""
    return f"GOAL {text}: measured {measured} -> {'MET' if met else 'NOT MET'}"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def wait_until(check, timeout: float, every: float = 0.2) -> bool:
    """Poll check() until it is true or timeout passes; return its last answer."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


__all__ = ["Bench", "setup", "connect_tenant", "start_emulator", "free_port", "rss_mb", "children", "serve", "goal", "machine", "percentile", "wait_until", "ROOT"]
