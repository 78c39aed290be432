"""A sysadmin reads one log stream: the app's, gunicorn's (error and access) and the worker's lines, in the
configured format with UTC timestamps, at the configured level, to stderr or [logging] file."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import requests

from sidecar.store import jobs
from tests.fixtures.meetings import write_ini
from tests.test_operations import free_port

CLI = [sys.executable, "-c", "from sidecar.cli import main; main()"]
UTC_ISO = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$"


def run_serve(ini, port: int, requests_to_send) -> None:
    server = subprocess.Popen([*CLI, "--config", str(ini), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=(1, 15))
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "serve never answered"
                time.sleep(0.1)
        for path in requests_to_send:
            requests.get(f"http://127.0.0.1:{port}{path}", timeout=(1, 15))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def json_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_serve_writes_app_gunicorn_and_access_lines_as_json_to_the_file(tmp_path, config):
    log_file = tmp_path / "sidecar.log"
    ini = write_ini(config, tmp_path / "c.ini", logging={"format": "json", "file": log_file, "level": "INFO"})

    run_serve(ini, free_port(), ["/metrics", "/v1/join/SECRET-LINK-TOKEN"])

    lines = json_lines(log_file)  # every line is one JSON object
    assert all(re.match(UTC_ISO, line["ts"]) for line in lines), lines[0]
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "gunicorn.access"} <= loggers
    assert any(line["event"].startswith("Booting worker") for line in lines)
    access = [line for line in lines if line["event"] == "http_request"]
    by_path = {line["path"]: line for line in access}
    assert by_path["/healthz"]["status"] == 200 and by_path["/metrics"]["method"] == "GET"
    assert by_path["/v1/join/***"]["status"] == 401  # unsigned; its token never written down
    assert "SECRET-LINK-TOKEN" not in log_file.read_text()
    assert all(isinstance(line["duration_ms"], float) for line in access)


def test_level_and_the_access_switch_reach_gunicorn(tmp_path, config):
    log_file = tmp_path / "sidecar.log"
    ini = write_ini(config, tmp_path / "c.ini", logging={"format": "json", "file": log_file, "level": "WARNING",
                                                          "access_log": "false"})

    run_serve(ini, free_port(), ["/healthz"])

    lines = json_lines(log_file) if log_file.exists() else []
    assert [line for line in lines if line["level"] in ("DEBUG", "INFO")] == []


def test_access_switch_off_at_info_leaves_gunicorn_lines_but_no_requests(tmp_path, config):
    log_file = tmp_path / "sidecar.log"
    ini = write_ini(config, tmp_path / "c.ini", logging={"format": "text", "file": log_file, "level": "INFO",
                                                          "access_log": "false"})

    run_serve(ini, free_port(), ["/healthz"])

    text = log_file.read_text()
    assert " INFO gunicorn.error Booting worker" in text and "http_request" not in text
    assert all(re.match(UTC_ISO, line.split(" ", 1)[0]) for line in text.splitlines())


def test_the_worker_logs_in_the_same_format_and_file(tmp_path, config, booknetic, world):
    log_file = tmp_path / "worker.log"
    ini = write_ini(config, tmp_path / "c.ini", logging={"format": "json", "file": log_file, "level": "INFO"})
    jobs.enqueue_sync(booknetic.db, world.tenant_id, booknetic.appointment(world))
    worker = subprocess.Popen([*CLI, "--config", str(ini), "worker"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while jobs.stats(booknetic.db).queued and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=20)

    events = [line["event"] for line in json_lines(log_file)]
    assert events[0] == "worker_started" and "job_done" in events and events[-1] == "worker_stopped"


def test_a_log_file_that_cannot_be_opened_is_one_line(tmp_path, config):
    ini = write_ini(config, tmp_path / "c.ini", logging={"file": tmp_path / "no-such-dir" / "x.log"})
    for command in (["serve", "--bind", f"127.0.0.1:{free_port()}"], ["worker"]):
        result = subprocess.run([*CLI, "--config", str(ini), *command], capture_output=True, text=True, timeout=30)
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip().splitlines() == [
            f"Error: [logging] file: cannot append to {tmp_path}/no-such-dir/x.log (No such file or directory) "
            "(set it in the config file or BKZ_LOGGING__FILE)"]
