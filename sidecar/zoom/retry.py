"""The one place that decides whether a failed Zoom call is sent again, and after how long."""
from __future__ import annotations

from typing import Callable

from sidecar.zoom.errors import ZoomDailyLimit, ZoomError, ZoomRateLimited, ZoomUnavailable

INITIAL_DELAY = 0.25
MAX_DELAY = 4.0
# A longer Retry-After is not waited out in-process: the error goes to the caller (the worker defers).
MAX_RETRY_AFTER = 10.0


def should_retry(error: ZoomError, *, attempt: int, max_retries: int, idempotent: bool,
                 retry_after: float | None = None) -> bool:
    """Whether the call that failed with `error` on try number `attempt` (0-based) may be sent again.

    Idempotent calls retry on 5xx, timeouts and connection errors; other calls only when the request
    provably never reached Zoom. Per-second 429s (Zoom did nothing) retry if the wait is short;
    daily limits and every other error never do.
    """
    if attempt >= max_retries or isinstance(error, ZoomDailyLimit):
        return False
    if isinstance(error, ZoomRateLimited):
        return retry_after is None or retry_after <= MAX_RETRY_AFTER
    if isinstance(error, ZoomUnavailable):
        return idempotent or not error.sent
    return False


def backoff_seconds(attempt: int, retry_after: float | None, rand: Callable[[], float]) -> float:
    """Seconds to wait before retry number `attempt` (1-based): exponential with jitter, at least Retry-After."""
    base = min(INITIAL_DELAY * 2 ** (attempt - 1), MAX_DELAY)
    # Jitter in [base/2, base] so that workers failing together do not retry together.
    delay = max(INITIAL_DELAY, base * (0.5 + rand() / 2))
    if retry_after is not None and retry_after <= MAX_RETRY_AFTER:
        delay = max(delay, retry_after)
    return delay
