"""Syncs a request waits for only up to its budget: a small per-process pool runs them.

The shortcode expansion (a meeting not made yet) and the booking ping both run the sync here, so the
request stops waiting when its caller would, while the sync carries on (or fails) on its own; the job
row stays queued for the worker either way. When every slot is busy the sync is left to the worker.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from sidecar import context
from sidecar.config import Config
from sidecar.context import Context
from sidecar.metrics import events as metrics
from sidecar.services import sync_jobs
from sidecar.store import jobs

log = logging.getLogger("sidecar.inline_sync")

_POOL_SIZE = 4
# A ping's sync gets this share of what its caller waits: the rest covers the queueing, the checks before
# it and the way back on a busy host (a Zoom that answers at all answers a create well within it).
PING_SHARE = 0.5
_slots = threading.BoundedSemaphore(_POOL_SIZE)
_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def ping(ctx: Context, tenant_id: int, appointment_id: int, caller_gives_up: float) -> sync_jobs.JobOutcome | None:
    """The shim's ping after a booking hook: run the sync while the caller still waits, then leave it.

    `caller_gives_up` is a time.monotonic() instant; the sync gets PING_SHARE of the time left until then.

    None when it did not end in time (it carries on here, and the job row keeps it for the worker).
    Raises:
        NotFound: see sync_jobs.require_known.
    """
    sync_jobs.require_known(ctx.db, tenant_id, appointment_id)
    return sync_within(ctx, tenant_id, appointment_id, max(0.0, caller_gives_up - time.monotonic()) * PING_SHARE)


def sync_within(ctx: Context, tenant_id: int, appointment_id: int, budget: float) -> sync_jobs.JobOutcome | None:
    """Run the appointment's sync job now, waiting at most budget seconds; None if it did not end in time."""
    ids = {"tenant_id": tenant_id, "appointment_id": appointment_id}
    if not _slots.acquire(blocking=False):
        log.info("inline_sync_skipped", extra=ids)  # every inline slot is busy: the worker will do it
        metrics.inline_sync("skipped")
        if jobs.get(ctx.db, tenant_id, appointment_id) is None:
            jobs.enqueue_sync(ctx.db, tenant_id, appointment_id)
        return None
    future = _executor().submit(_sync_in_thread, ctx.config, tenant_id, appointment_id)
    future.add_done_callback(lambda _: _slots.release())
    try:
        outcome = future.result(timeout=budget)
    except FutureTimeout:
        log.info("inline_sync_timed_out", extra={**ids, "budget_seconds": budget})
        metrics.inline_sync("timed_out")
    except Exception as exc:  # the job stays queued; the worker retries it with backoff
        log.warning("inline_sync_failed", extra={**ids, "error_type": exc.__class__.__name__})
        metrics.inline_sync("failed")
    else:
        metrics.inline_sync("finished")
        return outcome
    return None


def drain(timeout: float) -> bool:
    """Wait until no inline sync is running (shutdown, tests); False if some still ran after timeout."""
    deadline = time.monotonic() + timeout
    taken = 0
    try:
        while taken < _POOL_SIZE and _slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            taken += 1
    finally:
        for _ in range(taken):
            _slots.release()
    return taken == _POOL_SIZE


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_POOL_SIZE, thread_name_prefix="inline-sync")
        return _pool


def _sync_in_thread(config: Config, tenant_id: int, appointment_id: int) -> sync_jobs.JobOutcome | None:
    """The sync job on a pool thread, through that thread's own Context (connections are not shared)."""
    return sync_jobs.run_now(context.for_thread(config), tenant_id, appointment_id, sync_jobs.worker_id("inline"))
