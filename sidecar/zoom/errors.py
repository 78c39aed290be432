"""Zoom errors, named for what the caller should do next, and the mapping from an HTTP answer to one."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

# Zoom says a per-user daily limit either with X-RateLimit-Type or only in the message text
# (429 "daily rate limit", or the older code 300 "... in one day") (zoom-api.md section 3).
_DAILY_TEXT = re.compile(r"daily|one day|per day", re.IGNORECASE)
# Zoom's "does not contain scopes" codes: a new consent is needed, not a retry.
_SCOPE_CODES = {4700, 4711}
# DELETE /meetings/{id} refused because the meeting is in progress (3002) or has ended (3007): Zoom keeps
# a meeting that was held, whatever is asked.
HELD_MEETING_CODES = frozenset({3002, 3007})
# Per-second 429s without Retry-After: the limit counts requests per second, so the next second is
# the soonest a retry can pass (waiting a full second from now would idle half a second on average).
def _next_second(now: datetime) -> datetime:
    return now.replace(microsecond=0) + timedelta(seconds=1)


class ZoomError(Exception):
    """A failed Zoom call: HTTP status, Zoom's code (or OAuth "error"), message and tracking id."""

    def __init__(self, message: str, *, status: int | None = None, code: int | str | None = None,
                 request_id: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.request_id, self.field = request_id, field

    def __str__(self) -> str:
        parts = [f"HTTP {self.status}" if self.status is not None else "no HTTP answer"]
        if self.code is not None:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"tracking id {self.request_id}")
        return f"Zoom {', '.join(parts)}: {self.message}"


class ZoomBadRequest(ZoomError):
    """Zoom refused the request itself (validation, not host, ...); sending it again will not help."""


class ZoomAuthError(ZoomError):
    """Zoom rejected the access token even after one refresh, or it lacks a needed scope."""


class ZoomInvalidGrant(ZoomError):
    """The refresh token or authorization code is dead: the connection must be made again."""


class ZoomInvalidClient(ZoomError):
    """The client id or secret is wrong."""


class ZoomInvalidAccount(ZoomError):
    """Server-to-Server credentials were refused for this account id."""


class ZoomNotFound(ZoomError):
    """The user (1001) or meeting (3001) does not exist."""


class ZoomRateLimited(ZoomError):
    """Zoom's per-second limit refused the call (nothing was done); try again at `retry_at`."""

    def __init__(self, message: str, *, retry_at: datetime, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_at = retry_at


class ZoomDailyLimit(ZoomRateLimited):
    """The host user's daily create/update limit is used up until `retry_at` (next 00:00 UTC)."""


class ZoomUnavailable(ZoomError):
    """Zoom did not answer usefully (5xx, timeout, connection error); try again later.

    `sent` is False only when the request provably never reached Zoom.
    """

    def __init__(self, message: str, *, sent: bool = True, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.sent = sent


class ZoomOutcomeUnknown(ZoomUnavailable):
    """A meeting create was sent but its result is unknown; look it up by marker before creating again."""


def parse_retry_after(value: str, now: datetime) -> datetime | None:
    """Read a Retry-After value (seconds, ISO-8601 or HTTP date) as an aware UTC time, or None."""
    value = (value or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return now + timedelta(seconds=float(value))
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def next_utc_midnight(now: datetime) -> datetime:
    """The next 00:00 UTC after `now`, when Zoom's daily limits reset."""
    day = now.astimezone(timezone.utc).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def response_json(resp: requests.Response) -> dict | None:
    """The response body as a JSON object, or None when it is empty, XML, HTML or otherwise not one."""
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def api_error(resp: requests.Response, now: datetime) -> ZoomError:
    """The typed error for a failed REST (/v2) response."""
    body = response_json(resp)
    kw = _common(resp, body, code=body.get("code") if body else None)
    status, code, message = resp.status_code, kw["code"], kw["message"]
    if status == 429 or (code == 300 and _DAILY_TEXT.search(message)):
        return _rate_limit(resp, now, message, kw)
    if status == 401 or code == 124 or code in _SCOPE_CODES:
        return ZoomAuthError(**kw)
    if status == 404:
        return ZoomNotFound(**kw)
    if status >= 500:
        return ZoomUnavailable(**kw)
    errors = body.get("errors") if body else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        kw["field"] = errors[0].get("field")
    return ZoomBadRequest(**kw)


def token_error(resp: requests.Response, now: datetime, grant_type: str | None) -> ZoomError:
    """The typed error for a failed /oauth/token or /oauth/revoke response."""
    body = response_json(resp)
    kw = _common(resp, body, code=body.get("error") if body else None)
    status, error = resp.status_code, kw["code"]
    if status == 429:
        return _rate_limit(resp, now, kw["message"], kw)
    if status >= 500:
        return ZoomUnavailable(**kw)
    if error == "invalid_client" or (status == 401 and error is None):
        return ZoomInvalidClient(**kw, field="client_secret")
    if grant_type == "account_credentials" and error != "unsupported_grant_type":
        # Past the client check, this grant's only input is account_id, whatever error name Zoom picks.
        return ZoomInvalidAccount(**kw, field="account_id")
    if error == "invalid_grant":
        return ZoomInvalidGrant(**kw)
    return ZoomBadRequest(**kw)


def _common(resp: requests.Response, body: dict | None, code: Any) -> dict:
    """The keyword arguments every error shares: status, code, message, tracking id."""
    if body is None:
        # Unparseable bodies are not echoed: they could carry anything, tokens included.
        kind = resp.headers.get("Content-Type", "unknown type").split(";")[0]
        message = f"non-JSON error body ({kind}, {len(resp.content)} bytes)"
    else:
        message = str(body.get("message") or body.get("reason") or body.get("error") or "no message")
    return {"message": message, "status": resp.status_code, "code": code,
            "request_id": resp.headers.get("x-zm-trackingid")}


def _rate_limit(resp: requests.Response, now: datetime, message: str, kw: dict) -> ZoomRateLimited:
    """A daily-limit or per-second error with the time Zoom will accept the call again."""
    retry_at = parse_retry_after(resp.headers.get("Retry-After", ""), now)
    limit_type = resp.headers.get("X-RateLimit-Type", "").lower()
    if limit_type == "daily-limit" or (limit_type != "qps" and _DAILY_TEXT.search(message)):
        return ZoomDailyLimit(**kw, retry_at=retry_at or next_utc_midnight(now))
    return ZoomRateLimited(**kw, retry_at=retry_at or _next_second(now))
