"""Running one leased sync job and turning what happened into a job outcome (STYLE "How errors flow").

Retry with backoff while Zoom is down, wait for Zoom's limits and for a reconnect without spending
attempts, and record a clear error on the meeting row when retrying cannot help.
"""
from __future__ import annotations

import logging
import os
import random
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

import pymysql

from sidecar import cross_table, db_errors
from sidecar.config import JobsConfig
from sidecar.context import Context
from sidecar.database import Database
from sidecar.errors import NeedsReconnect, NotConnected, NotFound
from sidecar.metrics import events as metrics
from sidecar.services import sync
from sidecar.services.sync import SyncResult, result_of
from sidecar.store import events, jobs, meetings
from sidecar.store.jobs import Job
from sidecar.zoom import (ZoomAuthError, ZoomBadRequest, ZoomDailyLimit, ZoomNotFound, ZoomRateLimited,
                          ZoomUnavailable)

log = logging.getLogger("sidecar.jobs")

DONE, RETRY, DEFERRED, FAILED = "done", "retry", "deferred", "failed"
# Someone else holds the slot, or a lost create may still land: look again soon, attempts untouched.
BUSY_DELAY = 1.0
# Errors a later try may fix; each try spends an attempt.
TRANSIENT = (ZoomUnavailable, ZoomAuthError, pymysql.err.OperationalError, pymysql.err.InterfaceError)
# Errors no retry fixes: a nonsense Booknetic row, a request Zoom refuses, a host user that is gone.
PERMANENT = (sync.InvalidAppointment, ZoomBadRequest, ZoomNotFound)


@dataclass(frozen=True)
class JobOutcome:
    kind: str  # done | retry | deferred | failed
    result: SyncResult | None = None
    error: str | None = None


def worker_id(role: str = "worker") -> str:
    """A name for this process in job leases: role, host, pid and a random suffix."""
    return f"{role}:{socket.gethostname()}:{os.getpid()}:{random.randrange(16**6):06x}"


def job_backoff_seconds(cfg: JobsConfig, attempts: int, rand: Callable[[], float] = random.random) -> float:
    """About backoff_base * 2^attempts with jitter (half to full), never more than backoff_max."""
    exponential = cfg.backoff_base * 2 ** min(attempts, 32)
    return min(cfg.backoff_max, exponential) * (0.5 + rand() / 2)


def run_job(ctx: Context, job: Job, rand: Callable[[], float] = random.random) -> JobOutcome:
    """Sync the job's appointment and settle the job: finish, retry later, defer or fail."""
    outcome = _settle(ctx, job, rand)
    metrics.sync_settled(outcome.kind, outcome.result.state if outcome.result else None)
    return outcome


def _settle(ctx: Context, job: Job, rand: Callable[[], float]) -> JobOutcome:
    db, cfg = ctx.db, ctx.config.jobs
    ids = {"tenant_id": job.tenant_id, "appointment_id": job.appointment_id, "attempt": job.attempts}
    try:  # the job is finished in the transaction of the sync's last rows: one commit for both
        result = sync.sync_appointment(ctx, job.tenant_id, job.appointment_id, finish=lambda: jobs.finish(db, job))
    except ZoomRateLimited as exc:  # daily limits too: Zoom will take it at retry_at, not before
        jobs.defer_until(db, job, exc.retry_at, str(exc))
        log.info("job_deferred", extra={**ids, "until": exc.retry_at.isoformat(), "error_type": type(exc).__name__,
                                        "daily": isinstance(exc, ZoomDailyLimit)})
        return JobOutcome(DEFERRED, error=str(exc))
    except NeedsReconnect as exc:
        jobs.defer_until(db, job, _in(cfg.backoff_max), exc.message)
        log.info("job_deferred", extra={**ids, "error_type": "NeedsReconnect"})
        return JobOutcome(DEFERRED, error=exc.message)
    except (sync.SlotBusy, sync.CreateInFlight) as exc:
        jobs.defer_until(db, job, _in(BUSY_DELAY * (0.5 + rand())), str(exc))
        log.info("job_deferred", extra={**ids, "error_type": type(exc).__name__})
        return JobOutcome(DEFERRED, error=str(exc))
    except NotConnected:  # disconnected meanwhile: like any disconnected tenant, nothing to do
        jobs.finish(db, job)
        log.info("job_done", extra={**ids, "state": sync.NO_MEETING, "reason": "not_connected"})
        return JobOutcome(DONE, SyncResult(sync.NO_MEETING))
    except PERMANENT as exc:
        return _fail(ctx, job, ids, str(exc), exc)
    except sync.OldMeetingNotDeleted as exc:  # the appointment's meeting is right: only the delete is retried
        return _retry_or_fail(ctx, job, ids, str(exc), exc, rand)
    except TRANSIENT as exc:
        return _retry_or_fail(ctx, job, ids, _describe(exc), exc, rand)
    except Exception as exc:  # a bug or an unexpected answer: keep the job, retry it like any other failure
        if db_errors.is_missing_table(exc):  # a set-up problem, not a bug: say which table, no traceback
            log.error("job_table_missing", extra={**ids, "error": db_errors.explain(exc, ctx.config.database)})
        else:
            log.exception("job_crashed", extra=ids)
        return _retry_or_fail(ctx, job, ids, _describe(exc), exc, rand)
    log.info("job_done", extra={**ids, "state": result.state, "zoom_meeting_id": result.meeting_id})
    return JobOutcome(DONE, result)


def require_known(db: Database, tenant_id: int, appointment_id: int) -> None:
    """Refuse to queue anything for an appointment that is not the tenant's.

    Raises:
        NotFound: the tenant has no such appointment, and no job or meeting row for it (a deleted
            appointment's sync still runs: the shim wrote its job row before the ping).
    """
    if not cross_table.knows_appointment(db, tenant_id, appointment_id):
        raise NotFound(f"appointment {appointment_id} is not one of this tenant's", code="unknown_appointment")


def run_now(ctx: Context, tenant_id: int, appointment_id: int, owner: str) -> JobOutcome | None:
    """Queue the appointment's sync and run it here; None when another process holds the job."""
    job = jobs.enqueue_and_claim(ctx.db, tenant_id, appointment_id, owner, ctx.config.jobs.lease_seconds)
    return run_job(ctx, job) if job is not None else None


def _retry_or_fail(ctx: Context, job: Job, ids: dict, error: str, exc: Exception,
                   rand: Callable[[], float]) -> JobOutcome:
    cfg = ctx.config.jobs
    if job.attempts >= cfg.max_attempts:
        return _fail(ctx, job, ids, f"gave up after {job.attempts} attempts: {error}", exc)
    delay = job_backoff_seconds(cfg, job.attempts, rand)
    jobs.retry_later(ctx.db, job, delay, error)
    log.warning("job_retry", extra={**ids, "delay_s": round(delay, 3), "error_type": type(exc).__name__})
    return JobOutcome(RETRY, error=error)


def _fail(ctx: Context, job: Job, ids: dict, error: str, exc: Exception) -> JobOutcome:
    jobs.give_up(ctx.db, job, error)
    log.error("job_failed", extra={**ids, "error_type": type(exc).__name__, "error": error})
    if isinstance(exc, sync.OldMeetingNotDeleted):
        # The booking has its meeting; the old one stays recorded, and `reconcile --repair` deletes it.
        return JobOutcome(FAILED, result_of(meetings.get(ctx.db, job.tenant_id, job.appointment_id)), error)
    meetings.record_failure(ctx.db, job.tenant_id, job.appointment_id, error)
    events.raise_alert(ctx.db, job.tenant_id, events.MEETING_FAILED,
                       f"The Zoom meeting of appointment #{job.appointment_id} could not be made: {error}",
                       job.appointment_id)
    return JobOutcome(FAILED, SyncResult(meetings.FAILED), error)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _in(seconds: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)
