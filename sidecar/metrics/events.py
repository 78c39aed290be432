"""What the sidecar and the worker count, as Prometheus instruments, and the one function per event.

Labels are closed sets (endpoint templates, states, methods) and never carry an id, a secret or a
person's data. The instruments live in our own registry: `exposition` decides how they are read.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from sidecar.zoom import ZoomDailyLimit, ZoomError, ZoomRateLimited

REGISTRY = CollectorRegistry(auto_describe=True)

SYNCS = Counter("bkz_syncs", "Appointment syncs run (worker and inline), by job outcome and meeting state",
                ["outcome", "state"], registry=REGISTRY)
JOBS_FAILED = Counter("bkz_jobs_failed", "Sync jobs given up (the meeting row is marked failed)",
                      registry=REGISTRY)
ZOOM_REQUESTS = Counter("bkz_zoom_requests", "Zoom API and OAuth calls, each try counted, by endpoint template "
                        "and HTTP status (no_answer: timeout or connection error)",
                        ["method", "endpoint", "status"], registry=REGISTRY)
ZOOM_LATENCY = Histogram("bkz_zoom_request_duration_seconds", "Time from sending a Zoom call to its answer or "
                         "failure", ["method", "endpoint"], registry=REGISTRY,
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
ZOOM_RATE_LIMITED = Counter("bkz_zoom_rate_limited", "Zoom 429 answers, by endpoint template and limit "
                            "(per_second: retried soon; daily: the job waits for Zoom's reset)",
                            ["endpoint", "limit"], registry=REGISTRY)
TOKEN_REFRESHES = Counter("bkz_token_refreshes", "Access-token renewals at Zoom by connection method "
                          "(oauth: refresh_token; s2s: account_credentials) and outcome (ok; refused: the "
                          "tenant must reconnect)", ["method", "outcome"], registry=REGISTRY)
SHORTCODE_EXPANSIONS = Counter("bkz_shortcode_expansions", "Workflow messages whose Zoom shortcodes were filled "
                               "in, by channel", ["channel"], registry=REGISTRY)
INLINE_SYNCS = Counter("bkz_inline_syncs", "Syncs a request ran itself (a booking ping, a shortcode expansion), "
                       "by result (finished; timed_out: ran past the request's budget and was left to finish "
                       "on its own and to the worker; skipped: every inline slot busy; failed)", ["result"],
                       registry=REGISTRY)

_CHANNELS = ("email", "sms", "whatsapp", "telegram")


def sync_settled(outcome: str, state: str | None) -> None:
    """A sync job ended in outcome (done, retry, deferred, failed) leaving the meeting in state."""
    SYNCS.labels(outcome=outcome, state=state or "unknown").inc()
    if outcome == "failed":
        JOBS_FAILED.inc()


def zoom_call(method: str, endpoint: str, status: int | None, seconds: float, error: ZoomError | None) -> None:
    """One try of a Zoom call (the zoom client's observer): endpoint is a template such as /meetings/{meetingId}."""
    ZOOM_REQUESTS.labels(method=method, endpoint=endpoint, status=str(status) if status else "no_answer").inc()
    ZOOM_LATENCY.labels(method=method, endpoint=endpoint).observe(seconds)
    if isinstance(error, ZoomRateLimited):
        limit = "daily" if isinstance(error, ZoomDailyLimit) else "per_second"
        ZOOM_RATE_LIMITED.labels(endpoint=endpoint, limit=limit).inc()


def token_refreshed(method: str, outcome: str) -> None:
    """A tenant's token was renewed (outcome ok) or Zoom refused the grant (outcome refused)."""
    TOKEN_REFRESHES.labels(method=method, outcome=outcome).inc()


def shortcodes_expanded(channel: str) -> None:
    """A message's Zoom shortcodes were filled in for channel."""
    SHORTCODE_EXPANSIONS.labels(channel=channel if channel in _CHANNELS else "other").inc()


def inline_sync(result: str) -> None:
    """An inline sync finished, timed_out, was skipped or failed."""
    INLINE_SYNCS.labels(result=result).inc()
