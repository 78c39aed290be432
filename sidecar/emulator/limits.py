"""Rate limits (zoom-api.md section 3): per-second and daily per account and category, and the
per-host-user daily limit on meeting creates + updates; 429 bodies and X-RateLimit-* headers."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from .clock import iso_z
from .state import EmulatorState

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = ("You have reached the maximum daily rate limit for this API. "
                 "Refer to the response header for details on when you can make another request.")
USER_DAILY_MESSAGE = ("You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests "
                      "permitted for this particular user. You may resume these requests at GMT 00:00:00.")


class RateLimited(Exception):
    """A request refused with HTTP 429; carries Zoom's body and headers."""

    def __init__(self, message: str, headers: dict) -> None:
        super().__init__(message)
        self.headers = headers

    def body(self) -> dict:
        """Return `{"code": 429, "message": ...}`."""
        return {"code": 429, "message": str(self)}


def next_utc_midnight(state: EmulatorState) -> str:
    """Return the next 00:00 UTC after the emulated now, as ISO-8601 `...Z`."""
    today = state.clock.utcnow().date()
    return iso_z(datetime.combine(today + timedelta(days=1), time(0), tzinfo=timezone.utc))


def qps_limited(category: str, limit: int) -> RateLimited:
    """Return the per-second 429."""
    return RateLimited(QPS_MESSAGE, {"X-RateLimit-Type": "QPS", "X-RateLimit-Category": category,
                                     "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0"})


def daily_limited(state: EmulatorState, category: str, limit: int, message: str = DAILY_MESSAGE) -> RateLimited:
    """Return a daily-limit 429 with Retry-After at the next UTC midnight."""
    return RateLimited(message, {"X-RateLimit-Type": "Daily-limit", "X-RateLimit-Category": category,
                                 "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0",
                                 "Retry-After": next_utc_midnight(state)})


def charge_account(state: EmulatorState, account_id: str, category: str) -> dict:
    """Count one request against the account's per-second and daily limits; return the 2xx headers.

    Raises:
        RateLimited: the per-second or daily limit of the category is used up.
    """
    with state.lock:
        now = state.clock.now()
        qps = int(state.options.qps.get(category, 10**9))
        daily = int(state.options.account_daily.get(category, 10**9))
        second_key = ("qps", account_id, category, int(now))
        day_key = ("day", account_id, category, state.clock.utcnow().date().isoformat())
        if state.usage[second_key] >= qps:
            raise qps_limited(category, qps)
        if state.usage[day_key] >= daily:
            raise daily_limited(state, category, daily)
        state.usage[second_key] += 1
        state.usage[day_key] += 1
        return {"X-RateLimit-Category": category, "X-RateLimit-Limit": str(daily),
                "X-RateLimit-Remaining": str(daily - state.usage[day_key])}


def charge_user_meetings(state: EmulatorState, host_id: str, category: str) -> dict:
    """Count one create/update for the host user (atomically with the check); return the 2xx headers.

    Raises:
        RateLimited: the daily per-user meeting limit is reached.
    """
    with state.lock:
        limit = int(state.options.user_daily_meeting_limit)
        key = _user_day_key(state, host_id)
        if state.usage[key] >= limit:
            raise daily_limited(state, category, limit, USER_DAILY_MESSAGE.format(limit=limit))
        state.usage[key] += 1
        return {"X-RateLimit-Category": category, "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(limit - state.usage[key])}


def _user_day_key(state: EmulatorState, host_id: str) -> tuple:
    return ("user_meetings", host_id, state.clock.utcnow().date().isoformat())
