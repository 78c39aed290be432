"""`make demo` walks the whole product page; it must keep working as the pieces change, and run on a
machine where no MariaDB answers (a throwaway one is started and removed)."""
import os
import socket
import subprocess
import sys
from pathlib import Path

from sidecar.demo.run import run
from tests.fixtures.database import MYSQL

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).with_name("booknetic-zoom")


def test_demo_walks_every_step_of_the_product_page():
    lines = []
    run(MYSQL, echo=lines.append)
    text = "\n".join(lines)
    for heading in ("set up in two layers", "Connect Zoom — OAuth method", "Link Zoom to your staff",
                    "Activate Zoom on the services", "auto-creates a Zoom meeting", "Send the Zoom link",
                    "The meeting follows the booking", "Disconnect or change Zoom account",
                    "Connect Zoom — Server-to-Server method"):
        assert heading in text
    assert '"Your Zoom account has been connected"' in text
    assert "webhook) endpoint URL: https://booking.example.test/?booknetic_action=zoom_webhook" in text
    assert text.count("the worker takes it") == 6  # every booking change goes through the job row and worker
    assert "rescheduled" in text and "moved to" in text and "deleted" in text
    assert "&amp;" not in text and "?booknetic_action=zoom_host&t=" in text
    assert lines[-1].endswith("Every step of the product page worked.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mariadbd_on(port: int) -> bool:
    found = subprocess.run(["pgrep", "-f", f"mariadbd.*--port={port}"], capture_output=True)
    return found.returncode == 0


def test_demo_starts_a_throwaway_mariadb_when_none_answers_and_leaves_nothing(tmp_path):
    port = _free_port()  # nothing answers there
    result = subprocess.run(
        [str(ROOT / "scripts" / "with-mariadb"), "127.0.0.1", str(port),
         str(BIN), "demo", "--db-host", "127.0.0.1", "--db-port", str(port)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"no MariaDB answers at 127.0.0.1:{port}: starting a throwaway one" in result.stdout
    assert result.stdout.rstrip().endswith("Every step of the product page worked.")
    assert list(tmp_path.iterdir()) == []  # its data folder is gone
    assert not _mariadbd_on(port)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_demo_without_mariadb_says_so_in_one_line():
    port = _free_port()
    result = subprocess.run([str(BIN), "demo", "--db-port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.splitlines() == [
        f"Error: MariaDB at 127.0.0.1:{port} as root: connection refused: pass --db-host, --db-port, --db-user or "
        "--db-password, or run `make demo`, which starts a throwaway MariaDB"]
