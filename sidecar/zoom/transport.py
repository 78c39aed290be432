"""One HTTP session for every Zoom call: timeouts, typed errors, safe retries and request logs."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Callable

import requests
from urllib3.exceptions import NewConnectionError

from sidecar.zoom.errors import ZoomError, ZoomRateLimited, ZoomUnavailable
from sidecar.zoom.retry import backoff_seconds, should_retry

log = logging.getLogger("sidecar.zoom")

# Connecting should be quick even when a slow answer is tolerated.
MAX_CONNECT_TIMEOUT = 5.0

ErrorMapper = Callable[[requests.Response, datetime], ZoomError]
# Told of every try: method, endpoint template, HTTP status (None: no answer), seconds, the error or None.
CallObserver = Callable[[str, str, "int | None", float, "ZoomError | None"], None]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class Transport:
    """Sends Zoom calls over one `requests.Session`, retrying only where it is safe."""

    def __init__(self, timeout: float, *, max_retries: int, sleep: Callable[[float], None],
                 rand: Callable[[], float], now: Callable[[], datetime] = utc_now,
                 observe: CallObserver | None = None):
        self.session = requests.Session()
        # One session serves every tenant: no cookie from one call may ride along on another.
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.timeout = (min(timeout, MAX_CONNECT_TIMEOUT), timeout)
        self.max_retries, self.sleep, self.rand, self.now = max_retries, sleep, rand, now
        self.observe: CallObserver = observe or (lambda *_: None)

    def send(self, method: str, url: str, *, endpoint: str, idempotent: bool, to_error: ErrorMapper,
             **kwargs: Any) -> requests.Response:
        """Send one call (retrying where safe) and return its 2xx response.

        `endpoint` is the path template used in logs (no ids, no emails); kwargs go to requests.
        Raises: ZoomError subclasses, as made by `to_error` or for timeouts and connection errors.
        """
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                resp = self.session.request(method, url, timeout=self.timeout, allow_redirects=False, **kwargs)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                error: ZoomError = transport_error(exc)
            else:
                if resp.status_code < 300:
                    self.observe(method, endpoint, resp.status_code, time.perf_counter() - started, None)
                    if log.isEnabledFor(logging.DEBUG):
                        log.debug("zoom_call", extra=_fields(method, endpoint, resp.status_code,
                                                              resp.headers.get("x-zm-trackingid"), attempt, started))
                    return resp
                error = to_error(resp, self.now())
            self.observe(method, endpoint, error.status, time.perf_counter() - started, error)
            # Zoom being down or limiting us is worth a warning; a refused request is the caller's news.
            level = logging.WARNING if isinstance(error, (ZoomUnavailable, ZoomRateLimited)) else logging.INFO
            log.log(level, "zoom_call_failed", extra={
                **_fields(method, endpoint, error.status, error.request_id, attempt, started),
                "zoom_code": error.code, "error": type(error).__name__})
            retry_after = None
            if isinstance(error, ZoomRateLimited):
                retry_after = max(0.0, (error.retry_at - self.now()).total_seconds())
            if not should_retry(error, attempt=attempt, max_retries=self.max_retries,
                                idempotent=idempotent, retry_after=retry_after):
                raise error
            attempt += 1
            delay = backoff_seconds(attempt, retry_after, self.rand)
            log.info("zoom_retry_scheduled", extra={"method": method, "endpoint": endpoint,
                                                    "attempt": attempt, "delay_s": round(delay, 3)})
            self.sleep(delay)


def transport_error(exc: requests.RequestException) -> ZoomUnavailable:
    """The error for a call that got no HTTP answer, saying whether the request may have reached Zoom."""
    if isinstance(exc, requests.ConnectTimeout):
        return ZoomUnavailable("could not connect within the timeout", sent=False)
    if isinstance(exc, requests.Timeout):
        return ZoomUnavailable("no answer within the timeout after sending", sent=True)
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NewConnectionError):
        # Refused or unresolvable before any byte was sent (NameResolutionError is a subclass).
        return ZoomUnavailable("could not connect", sent=False)
    return ZoomUnavailable("connection broken after sending", sent=True)


def _fields(method: str, endpoint: str, status: int | None, tracking_id: str | None,
            attempt: int, started: float) -> dict:
    """The ids every request log line carries."""
    return {"method": method, "endpoint": endpoint, "status": status, "tracking_id": tracking_id,
            "attempt": attempt, "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)}
