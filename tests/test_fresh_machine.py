"""A fresh machine: `make test` and `make demo` install the Debian packages they need as root, and otherwise
stop at once with the one apt-get line to run."""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.fixtures.database import MYSQL

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-packages"


@pytest.fixture
def bare_path():
    """A PATH holding only what the script needs to run, so PHP looks uninstalled (readable by nobody)."""
    with tempfile.TemporaryDirectory() as folder:
        bin_dir = Path(folder)
        bin_dir.chmod(0o755)
        for tool in ("bash", "python3", "id", "grep"):
            # the system's own tools: nobody may not enter a per-user Python install such as /root/.pyenv
            (bin_dir / tool).symlink_to(shutil.which(tool, path="/usr/bin:/bin"))
        yield folder


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become nobody")
def test_not_root_stops_at_once_with_the_apt_get_line(bare_path):
    started = time.monotonic()
    result = subprocess.run(
        [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups", str(SCRIPT), "test",
         MYSQL["host"], str(MYSQL["port"])],
        capture_output=True, text=True, timeout=30, env={"PATH": bare_path})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("make test needs Debian packages that are missing; as root, run: "
                             "apt-get install -y php-cli php-mysql php-curl\n")
    assert time.monotonic() - started < 5  # no apt-get ran


def test_nothing_to_install_when_everything_is_there():
    result = subprocess.run([str(SCRIPT), "demo", MYSQL["host"], str(MYSQL["port"])],
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
