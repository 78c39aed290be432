"""A sysadmin runs the sidecar: migrate, serve under gunicorn, check, /healthz."""
import configparser
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from sidecar import context
from sidecar.app import create_app
from sidecar.database import Database
from sidecar.services import sync_jobs
from sidecar.store import jobs, migrations
from tests.fixtures.database import MYSQL, SHIM_SECRET, create_database, drop_database, make_config

BIN = Path(sys.executable).with_name("booknetic-zoom")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(path: Path, db_name: str, key: str, **database) -> Path:
    parser = configparser.ConfigParser()
    parser.read_dict({
        "database": {"host": MYSQL["host"], "port": str(MYSQL["port"]), "user": MYSQL["user"],
                     "password": MYSQL["password"], "name": db_name, **database},
        "sidecar": {"public_base_url": "http://wordpress.test", "shim_shared_secret": SHIM_SECRET, "workers": "2"},
        "security": {"encryption_keys": key},
        "zoom": {"oauth_base_url": "http://127.0.0.1:9", "api_base_url": "http://127.0.0.1:9/v2", "timeout": "1"},
    })
    with path.open("w") as fh:
        parser.write(fh)
    return path


def run(*args, config: Path):
    return subprocess.run([str(BIN), "--config", str(config), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def empty_db():
    name = create_database()
    yield name
    drop_database(name)


def test_migrate_command_is_idempotent(tmp_path, empty_db, encryption_key):
    cfg = write_config(tmp_path / "c.ini", empty_db, encryption_key)
    first = run("migrate", config=cfg)
    assert first.returncode == 0 and "applying 1" in first.stdout
    second = run("migrate", config=cfg)
    assert second.returncode == 0 and "nothing to do" in second.stdout


def test_check_names_the_database_password_when_it_is_wrong(tmp_path, db_name, encryption_key):
    cfg = write_config(tmp_path / "c.ini", db_name, encryption_key, password="wrong-password")
    result = run("check", config=cfg)
    assert result.returncode == 1
    assert "[database] password" in result.stdout


def test_check_reports_each_item(tmp_path, db_name, encryption_key):
    result = run("check", config=write_config(tmp_path / "c.ini", db_name, encryption_key))
    lines = result.stdout.splitlines()
    for item in ("config", "encryption keys", "database", "SKIP LOCKED", "booknetic tables", "schema", "zoom"):
        assert any(item in line for line in lines), item
    assert any(line.startswith("ok") and "schema" in line for line in lines)
    assert any(line.startswith("FAIL") and "[zoom] api_base_url" in line for line in lines)


def test_config_error_names_the_key(tmp_path, db_name, encryption_key):
    cfg = write_config(tmp_path / "c.ini", db_name, encryption_key, port="three")
    result = run("migrate", config=cfg)
    assert result.returncode != 0 and "[database] port" in result.stderr


def test_serve_answers_healthz_over_a_socket(tmp_path, db, db_name, encryption_key):
    jobs.enqueue_sync(db, 1, 42)
    port = free_port()
    cfg = write_config(tmp_path / "c.ini", db_name, encryption_key)
    server = subprocess.Popen([str(BIN), "--config", str(cfg), "serve", "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(tmp_path)})
    try:
        body = None
        for _ in range(100):
            try:
                # /healthz reads information_schema, which takes seconds on a server busy with DDL
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=(1, 15))
                body = answer.json()
                break
            except (requests.ConnectionError, requests.Timeout):  # still booting (slow on a loaded machine)
                time.sleep(0.1)
        assert body is not None, "gunicorn never answered"
        assert answer.status_code == 200
        assert body["database"] == "ok" and body["migrations_current"] is True
        assert body["schema_version"] == migrations.LATEST
        assert body["jobs_queued"] == 1 and body["oldest_job_age_seconds"] >= 0
        unsigned = requests.put(f"http://127.0.0.1:{port}/v1/tenant/services/1/zoom", timeout=2)
        assert unsigned.status_code == 401 and unsigned.json()["error"] == "unsigned"
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert not (tmp_path / ".gunicorn").exists()  # no shared control socket left behind


# ---- routine failures: one or two lines naming the key, table or server and the fix ----------------

def assert_one_line(result, expected: str):
    """The command failed with exactly one `Error: ...` line holding `expected`, and no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], result.stderr


@pytest.mark.parametrize("command", [["migrate"], ["reconcile"], ["rotate-keys"], ["import-addon", "--dry-run"]])
@pytest.mark.parametrize("database, says", [
    ({"password": "wrong-password"}, "access denied: check [database] user and [database] password"),
    ({"port": str(free_port())}, "connection refused: is MariaDB running? check [database] host, [database] port"),
    ({"name": "bkz_no_such_database"}, "unknown database: check [database] name"),
])
def test_database_failures_are_one_line_naming_the_server_and_keys(tmp_path, db_name, encryption_key, command,
                                                                    database, says):
    result = run(*command, config=write_config(tmp_path / "c.ini", db_name, encryption_key, **database))
    assert_one_line(result, says)
    assert f"database {MYSQL['user']}@{MYSQL['host']}:" in result.stderr


def test_missing_booknetic_table_is_named_with_the_fix(tmp_path, empty_db, encryption_key):
    cfg = write_config(tmp_path / "c.ini", empty_db, encryption_key, table_prefix="nope_")
    assert run("migrate", config=cfg).returncode == 0
    assert_one_line(run("reconcile", config=cfg),
                    "table nope_bkntc_appointments does not exist: is Booknetic SaaS installed, and "
                    "[database] table_prefix right?")


def test_a_job_without_booknetic_tables_names_the_table_not_a_traceback(empty_db, encryption_key, caplog):
    config = make_config(empty_db, keys=(encryption_key,), prefix="nope_")
    ctx = context.build(config)
    migrations.migrate(ctx.db)
    jobs.enqueue_sync(ctx.db, 1, 42)
    outcome = sync_jobs.run_job(ctx, jobs.claim_next(ctx.db, "w", 60))
    assert outcome.kind == sync_jobs.RETRY
    [record] = [r for r in caplog.records if r.msg == "job_table_missing"]
    assert record.exc_info is None and "table nope_bkntc_" in record.error
    assert "is Booknetic SaaS installed, and [database] table_prefix right?" in record.error
    assert not [r for r in caplog.records if r.msg == "job_crashed"]


def test_migrate_waiting_for_another_migrate_says_so_in_one_line(tmp_path, empty_db, encryption_key):
    cfg = write_config(tmp_path / "c.ini", empty_db, encryption_key)
    holder = Database(make_config(empty_db, keys=(encryption_key,)).database)
    with holder.named_locks(["migrate"], timeout=1) as locked:
        assert locked
        result = run("migrate", "--wait", "1", config=cfg)
    assert_one_line(result, "another migrate has held the named lock 'migrate' for 1 s")


def test_check_flags_the_examples_placeholders_and_a_missing_migration(tmp_path, empty_db, encryption_key):
    cfg = write_config(tmp_path / "c.ini", empty_db, encryption_key)
    text = cfg.read_text().replace("http://wordpress.test", "https://booking.example.com").replace(
        SHIM_SECRET, "change-me-to-a-long-random-string")
    cfg.write_text(text)
    lines = run("check", config=cfg).stdout.splitlines()
    assert ("FAIL placeholders: [sidecar] public_base_url, [sidecar] shim_shared_secret still hold "
            "config.example.ini's example value: set the real ones") in lines
    assert "FAIL schema: not migrated: run booknetic-zoom migrate" in lines


def test_check_reports_an_ini_syntax_error_in_one_line(tmp_path):
    bad = tmp_path / "c.ini"
    bad.write_text("this is not ini\n")
    result = run("check", config=bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert result.stdout.splitlines() == [f"FAIL config: config file {bad}, line 1: not ini syntax "
                                          "(MissingSectionHeaderError): expected [section] headers and key = value lines"]


def test_no_config_file_says_how_to_give_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BKZ_CONFIG"}
    result = subprocess.run([str(BIN), "migrate"], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert_one_line(result, "No config file: pass --config or set BKZ_CONFIG")


def test_serve_on_a_port_in_use_names_the_bind_key(tmp_path, db_name, encryption_key):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cfg = write_config(tmp_path / "c.ini", db_name, encryption_key)
        cfg.write_text(cfg.read_text().replace("workers = 2", f"workers = 2\nbind = 127.0.0.1:{port}"))
        assert_one_line(run("serve", config=cfg),
                        f"[sidecar] bind: 127.0.0.1:{port} is already in use (another sidecar running?)")


def test_serve_refuses_zero_workers_at_load(tmp_path, db_name, encryption_key):
    cfg = write_config(tmp_path / "c.ini", db_name, encryption_key)
    cfg.write_text(cfg.read_text().replace("workers = 2", "workers = 0"))
    assert_one_line(run("serve", config=cfg), "[sidecar] workers: malformed")


def test_version_and_short_help():
    version = subprocess.run([str(BIN), "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and version.stdout.startswith("booknetic-zoom, version ")
    short = subprocess.run([str(BIN), "check", "-h"], capture_output=True, text=True, timeout=30)
    assert short.returncode == 0 and "Check config, database" in short.stdout


# ---- /healthz says when nothing can work ------------------------------------------------------------

def healthz(config):
    return create_app(config).test_client().get("/healthz")


def test_healthz_is_503_when_booknetic_tables_are_missing(empty_db, encryption_key):
    config = make_config(empty_db, keys=(encryption_key,), prefix="nope_")
    migrations.migrate(Database(config.database))
    answer = healthz(config)
    assert answer.status_code == 503 and answer.json["booknetic_tables"] is False
    assert answer.json["problems"][0].startswith("Booknetic tables missing: nope_bkntc_appointments")


def test_healthz_is_503_when_not_migrated(empty_db, encryption_key):
    answer = healthz(make_config(empty_db, keys=(encryption_key,)))
    assert answer.status_code == 503 and answer.json["migrations_current"] is False
    assert answer.json["problems"] == ["schema not migrated: run booknetic-zoom migrate"]


def test_healthz_is_503_when_jobs_fail(db, config):
    jobs.enqueue_sync(db, 1, 42)
    jobs.retry_later(db, jobs.claim_next(db, "w", 60), 60, "ZoomUnavailable: Zoom answered 503")
    answer = healthz(config)
    assert answer.status_code == 503 and answer.json["jobs_failing"] == 1
    assert answer.json["problems"] == ["1 jobs failing: see the worker's job_retry and job_failed log lines"]


def test_healthz_is_503_when_the_oldest_job_waits_too_long(db, db_name, encryption_key):
    client = create_app(make_config(db_name, keys=(encryption_key,), jobs={"alert_age": "60"})).test_client()
    jobs.enqueue_sync(db, 1, 42)
    assert client.get("/healthz").status_code == 200
    # The job waited 61 s (its row aged, rather than the test sleeping: a loaded machine cannot blur it).
    db.execute("UPDATE {jobs} SET created_at = created_at - INTERVAL 61 SECOND")
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert "more than [jobs] alert_age (60 s): is a worker running?" in answer.json["problems"][0]


def test_healthz_names_the_database_failure(db_name, encryption_key):
    answer = healthz(make_config(db_name, keys=(encryption_key,), database={"port": str(free_port())}))
    assert answer.status_code == 503 and answer.json["error"] == "connection refused"
    assert "check [database] host, [database] port" in answer.json["problems"][0]
