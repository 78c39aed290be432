"""The job loop (`booknetic-zoom worker`): lease due sync jobs one at a time and settle each.

SIGTERM/SIGINT let the running job finish, then the loop stops. SIGKILL at any moment is safe too:
the job's lease runs out and another worker takes it, and a create whose answer was lost is looked
up by its marker before anything is created again (services/sync/lost_creates.py).
"""
from __future__ import annotations

import logging
import signal
import threading
from typing import Callable

import pymysql

from sidecar import context, db_errors
from sidecar.config import Config
from sidecar.services.sync_jobs import JobOutcome, run_job, worker_id
from sidecar.store import jobs

log = logging.getLogger("sidecar.worker")

# After the database fails, wait DB_PAUSE before leasing again (it may be restarting), doubling while it
# keeps failing up to DB_PAUSE_MAX, so a refused login is not logged every 2 s forever.
DB_PAUSE = 2.0
DB_PAUSE_MAX = 60.0


class Worker:
    """Drains the jobs table until stopped; `run_once` handles at most one job (tests, benchmarks)."""

    def __init__(self, config: Config, *, name: str | None = None):
        self.ctx = context.build(config)
        self.name = name or worker_id()
        self.stopping = threading.Event()

    def run_once(self) -> JobOutcome | None:
        """Lease one due job and settle it; None when nothing is due."""
        job = jobs.claim_next(self.ctx.db, self.name, self.ctx.config.jobs.lease_seconds)
        if job is None:
            return None
        return run_job(self.ctx, job)

    def run(self, *, until_idle: bool = False, on_outcome: Callable[[JobOutcome], None] = lambda _: None) -> int:
        """Work until stop() (or, with until_idle, until no job is due); return how many jobs were handled."""
        handled = 0
        pause = DB_PAUSE
        log.info("worker_started", extra={"worker": self.name})
        while not self.stopping.is_set():
            try:
                outcome = self.run_once()
            except pymysql.err.Error as exc:
                log.warning("worker_database_error", extra={
                    "worker": self.name, "reason": db_errors.reason(exc), "retry_in_s": pause,
                    "detail": db_errors.explain(exc, self.ctx.config.database)})
                self.ctx.db.close()
                self.stopping.wait(pause)
                pause = min(pause * 2, DB_PAUSE_MAX)
                continue
            pause = DB_PAUSE
            if outcome is None:
                if until_idle:
                    break
                self.stopping.wait(self.ctx.config.jobs.poll_interval)
                continue
            handled += 1
            on_outcome(outcome)
        log.info("worker_stopped", extra={"worker": self.name, "handled": handled})
        self.ctx.db.close()
        self.ctx.zoom.close()
        return handled

    def stop(self, *_args) -> None:
        """Finish the current job, then leave the loop."""
        self.stopping.set()


def run_forever(config: Config, on_outcome: Callable[[JobOutcome], None] = lambda _: None) -> int:
    """Run a worker in this process until SIGTERM or SIGINT; return how many jobs it handled."""
    worker = Worker(config)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    return worker.run(on_outcome=on_outcome)
