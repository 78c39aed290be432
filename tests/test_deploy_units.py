"""A sysadmin installs deploy/'s systemd units: systemd accepts them, they are hardened, and every command
line they run is one the booknetic-zoom CLI really has."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import click
import pytest

from sidecar.cli import cli

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
INSTALLED_BIN = "/opt/booknetic-zoom/bin/booknetic-zoom"
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
             "PrivateDevices": "yes", "RestrictSUIDSGID": "yes", "CapabilityBoundingSet": ""}


def directives(unit: Path) -> dict[str, list[str]]:
    """Key -> every value it is given in the unit file."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, _, val = line.partition("=")
            found.setdefault(key.strip(), []).append(val.strip())
    return found


def cli_problem(command_line: str) -> str | None:
    """Why `command_line` is not a booknetic-zoom command the CLI accepts, or None when it is."""
    argv = shlex.split(command_line.replace("%i", "9101"))
    if not argv or not argv[0].endswith("/booknetic-zoom"):
        return f"{argv[:1]} is not the booknetic-zoom command"
    try:
        group_ctx = cli.make_context("booknetic-zoom", argv[1:], resilient_parsing=False)
        with warnings.catch_warnings():  # click 8.2 deprecates protected_args; 9.0 folds it into args
            warnings.simplefilter("ignore", DeprecationWarning)
            rest = [*group_ctx.protected_args, *group_ctx.args]
        if not rest:
            return "no subcommand"
        command = cli.get_command(group_ctx, rest[0])
        if command is None:
            return f"no such command: {rest[0]}"
        command.make_context(rest[0], rest[1:], parent=group_ctx)
    except click.ClickException as exc:
        return exc.format_message()
    return None


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_units_run_only_commands_and_flags_the_cli_has(unit):
    starts = directives(unit)["ExecStart"]
    assert starts and all(line.startswith(INSTALLED_BIN + " ") for line in starts)
    assert [cli_problem(line) for line in starts] == [None] * len(starts)


@pytest.mark.parametrize("command_line, problem", [
    (f"{INSTALLED_BIN} worker --metrics-port 9101", "--metrics-port"),
    (f"{INSTALLED_BIN} serve --threads 4", "--threads"),
    (f"{INSTALLED_BIN} serve --workers many", "many"),
    (f"{INSTALLED_BIN} sever", "no such command: sever"),
    ("/usr/bin/gunicorn sidecar.app:app", "is not the booknetic-zoom command"),
])
def test_the_unit_check_catches_a_wrong_command_line(command_line, problem):
    assert problem in (cli_problem(command_line) or "")


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_units_are_hardened_restart_on_failure_and_read_the_config_from_etc(unit):
    found = directives(unit)
    for key, wanted in HARDENING.items():
        assert found.get(key) == [wanted], key
    assert found["Restart"] == ["on-failure"] and found["KillMode"] == ["mixed"]
    assert found["Environment"][0] == "BKZ_CONFIG=/etc/booknetic-zoom/config.ini"


def test_serve_and_worker_run_as_users_of_their_own_and_the_worker_as_many_instances():
    serve, worker = DEPLOY / "booknetic-zoom-serve.service", DEPLOY / "booknetic-zoom-worker@.service"
    assert directives(serve)["User"] != directives(worker)["User"]
    assert "%i" in directives(worker)["ExecStart"][0]  # each instance serves its metrics on its own port
    sysusers = (DEPLOY / "booknetic-zoom.sysusers").read_text()
    for unit in (serve, worker):
        assert re.search(rf"^u {directives(unit)['User'][0]} -:{directives(unit)['Group'][0]} ", sysusers, re.M)


def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd; scripts/system-packages installs it)")
    installed = Path(sys.executable).with_name("booknetic-zoom")  # verify wants ExecStart to exist
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace(INSTALLED_BIN, str(installed)))
        copies.append(str(copy))
    result = subprocess.run([analyze, "verify", *copies], capture_output=True, text=True, timeout=60)
    print(f"systemd-analyze verify {' '.join(u.name for u in UNITS)}: exit {result.returncode}, "
          f"{len(result.stderr.splitlines())} warnings")
    assert result.returncode == 0 and result.stderr == "", result.stderr  # warnings too (unknown keys, bad values)
    for copy in copies:
        security = subprocess.run([analyze, "security", "--offline=yes", copy], capture_output=True, text=True,
                                  timeout=60)
        exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
        if security.returncode != 0 and exposure is None:
            continue  # an older systemd without offline security analysis
        print(exposure.group(0))
        assert float(exposure.group(1)) <= 2.0


def test_systemd_sysusers_creates_the_units_users(tmp_path):
    sysusers = shutil.which("systemd-sysusers")
    if sysusers is None:
        pytest.skip("systemd-sysusers is not installed (Debian package systemd)")
    (tmp_path / "etc").mkdir()
    result = subprocess.run([sysusers, f"--root={tmp_path}", str(DEPLOY / "booknetic-zoom.sysusers")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    group = (tmp_path / "etc" / "group").read_text().split(":")[2]
    users = {line.split(":")[0]: line.split(":") for line in (tmp_path / "etc" / "passwd").read_text().splitlines()}
    for unit in UNITS:
        user = users[directives(unit)["User"][0]]
        assert user[3] == group and user[6].endswith("nologin")
