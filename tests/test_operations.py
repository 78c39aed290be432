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

from sidecar.store import jobs, migrations
from tests.fixtures.database import MYSQL, SHIM_SECRET, create_database, drop_database

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
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                body = answer.json()
                break
            except requests.ConnectionError:
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


def test_healthz_says_when_migrations_are_missing(tmp_path, empty_db, encryption_key):
    from sidecar.app import create_app
    from tests.fixtures.database import make_config

    app = create_app(make_config(empty_db, keys=(encryption_key,)))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.json["migrations_current"] is False
