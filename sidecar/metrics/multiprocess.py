"""Prometheus multiprocess mode for `serve`: gunicorn's workers write their counters to one directory.

`prepare` runs in gunicorn's master before anything imports prometheus_client (the library picks its
storage when first imported), `child_exit` is gunicorn's hook for a worker that ended.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ENV = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def prepared() -> Iterator[str]:
    """The directory named by $PROMETHEUS_MULTIPROC_DIR, emptied of an earlier run's files, or a private one
    made (and removed afterwards) when it is unset; the variable is set for the workers gunicorn forks."""
    given = os.environ.get(ENV)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):  # counters of processes from before this start
            stale.unlink()
        yield given
        return
    made = tempfile.mkdtemp(prefix="booknetic-zoom-metrics-")
    os.environ[ENV] = made
    try:
        yield made
    finally:
        del os.environ[ENV]
        shutil.rmtree(made, ignore_errors=True)


def child_exit(_server, worker) -> None:
    """gunicorn's child_exit hook: the dead worker's live gauges stop counting (its counters stay summed)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
