"""The grants config.example.ini documents are the real ones: a MariaDB user holding exactly those runs
migrate, check, the routes, the worker, reconcile and import-addon --purge-plaintext."""
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pymysql
import pytest

from sidecar.app import create_app
from sidecar.database import Database
from sidecar.demo.booknetic_rows import Booknetic
from sidecar.store import jobs
from sidecar.worker import Worker
from tests.fixtures.app import Shim
from tests.fixtures.connect import WEBHOOK_SECRET, configure_platform, connect_oauth
from tests.fixtures.database import MYSQL, create_database, drop_database, make_config
from tests.fixtures.meetings import write_ini

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).with_name("booknetic-zoom")


def documented_grants(database: str, user: str) -> list[str]:
    """config.example.ini's GRANT lines for our database and user."""
    lines = re.findall(r"^#\s+(GRANT .+);$", (ROOT / "config.example.ini").read_text(), re.M)
    assert len(lines) >= 10
    return [line.replace(" ON wordpress.", f" ON `{database}`.").replace("'bkz'@'localhost'", f"'{user}'@'%'")
            for line in lines]


@pytest.fixture
def limited(encryption_key, emulator):
    """A fresh database with Booknetic's tables, and a config for a user with exactly the documented grants."""
    name = create_database()
    user, password = f"bkz_{secrets.token_hex(4)}", secrets.token_hex(12)
    root = pymysql.connect(**MYSQL, autocommit=True)
    try:
        with root.cursor() as cur:
            cur.execute(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (password,))
            for grant in documented_grants(name, user):
                cur.execute(grant)
        yield make_config(name, keys=(encryption_key,), zoom_url=emulator.url,
                          database={"user": user, "password": password})
    finally:  # nothing left behind, even when a grant is refused
        with root.cursor() as cur:
            cur.execute(f"DROP USER IF EXISTS '{user}'@'%'")
        root.close()
        drop_database(name)


def cli(ini: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "--config", str(ini), *args], capture_output=True, text=True, timeout=60)


def test_the_documented_grants_are_enough_for_every_path(limited, emulator, emulator_account, tmp_path):
    ini = write_ini(limited, tmp_path / "config.ini")
    migrated = cli(ini, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    checked = cli(ini, "check")
    assert checked.returncode == 0, checked.stdout

    # Booknetic's rows are Booknetic's (written as root); everything else runs as the limited user
    owner = Database(make_config(limited.database.name).database)
    booknetic = Booknetic(owner)
    world = booknetic.world()
    shim = Shim(create_app(limited).test_client())
    app = emulator.seed_oauth_app("http://wordpress.test/?booknetic_action=zoom_oauth_callback",
                                  secret_token=WEBHOOK_SECRET)
    configure_platform(shim, app=app)
    connect_oauth(shim, world.tenant_id, emulator_account.admin["email"])
    tenant = shim.as_tenant(world.tenant_id)
    host = emulator_account.users[0]
    assert tenant.put(f"/v1/tenant/staff/{world.staff_id}/zoom-user", json={"zoom_user_id": host["id"]}).status_code == 200
    assert tenant.put(f"/v1/tenant/services/{world.service_id}/zoom", json={"enabled": True}).status_code == 200

    appointment = booknetic.appointment(world)
    jobs.enqueue_sync(owner, world.tenant_id, appointment)  # the shim's job row
    outcomes = []
    Worker(limited).run(until_idle=True, on_outcome=outcomes.append)
    assert [(o.kind, o.result.state) for o in outcomes] == [("done", "active")]
    assert booknetic.data_rows("appointments", appointment, "zoom_meeting_data")  # written to {prefix}bkntc_data
    expanded = tenant.post("/v1/tenant/shortcodes/expand", json={
        "appointment_id": appointment, "channel": "sms", "audience": "customer", "texts": ["{zoom_meeting_url}"]})
    assert expanded.status_code == 200 and expanded.get_json()["texts"][0].startswith(emulator.url)
    assert shim.client.get("/healthz").status_code == 200

    reconciled = cli(ini, "reconcile")
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr

    booknetic.update_appointment(appointment, status="canceled")
    jobs.enqueue_sync(owner, world.tenant_id, appointment)
    Worker(limited).run(until_idle=True, on_outcome=outcomes.append)
    assert outcomes[-1].result.state == "deleted"
    assert not booknetic.data_rows("appointments", appointment, "zoom_meeting_data")

    booknetic.option("bkntc_zoom_api_secret", "plain-text-secret")
    imported = cli(ini, "import-addon", "--purge-plaintext")
    assert imported.returncode == 0, imported.stderr
    assert "plain-text secret options deleted: 1" in imported.stdout
    assert owner.query_one("SELECT 1 AS x FROM {options} WHERE option_name = 'bkntc_zoom_api_secret'") is None
    owner.close()
