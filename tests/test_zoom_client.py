"""The Zoom client: retry rules, Retry-After parsing, markers, and every fault against the emulator."""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from sidecar.zoom import (ZoomDailyLimit, ZoomError, ZoomNotFound, ZoomRateLimited, ZoomUnavailable, parse_retry_after,
                          pkce_pair)
from sidecar.zoom.api import agenda_with_marker, carries_marker
from sidecar.zoom.retry import INITIAL_DELAY, MAX_DELAY, MAX_RETRY_AFTER, backoff_seconds, should_retry

NOW = datetime(2026, 3, 14, 15, 9, 26, tzinfo=timezone.utc)


# --- Retry-After --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("7", NOW + timedelta(seconds=7)),
    ("0", NOW),
    ("2026-03-15T00:00:00Z", datetime(2026, 3, 15, tzinfo=timezone.utc)),
    ("2026-03-15T01:00:00+01:00", datetime(2026, 3, 15, tzinfo=timezone.utc)),
    ("2026-03-15T00:00:00", datetime(2026, 3, 15, tzinfo=timezone.utc)),
    ("Sun, 15 Mar 2026 00:00:00 GMT", datetime(2026, 3, 15, tzinfo=timezone.utc)),
])
def test_retry_after_accepts_seconds_iso_and_http_dates(value, expected):
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize("value", ["", "   ", "soon", "-3", "2026-13-45T00:00:00Z"])
def test_unreadable_retry_after_is_none(value):
    assert parse_retry_after(value, NOW) is None


# --- backoff and retry decision --------------------------------------------------------------------

def test_backoff_grows_exponentially_and_is_capped():
    top = [backoff_seconds(n, None, lambda: 1.0) for n in range(1, 8)]
    assert top[:3] == [INITIAL_DELAY, INITIAL_DELAY * 2, INITIAL_DELAY * 4]
    assert top[-1] == MAX_DELAY


def test_backoff_jitter_stays_between_half_and_full_delay():
    low, high = backoff_seconds(4, None, lambda: 0.0), backoff_seconds(4, None, lambda: 1.0)
    assert low == pytest.approx(high / 2)
    assert low < backoff_seconds(4, None, lambda: 0.5) < high


def test_backoff_honours_retry_after_up_to_the_cap():
    assert backoff_seconds(1, 3.0, lambda: 0.0) == 3.0
    assert backoff_seconds(1, MAX_RETRY_AFTER + 1, lambda: 1.0) == INITIAL_DELAY


def _unavailable(sent: bool) -> ZoomUnavailable:
    return ZoomUnavailable("x", sent=sent, status=503 if sent else None)


@pytest.mark.parametrize("error, idempotent, expected", [
    (_unavailable(sent=True), True, True),
    (_unavailable(sent=True), False, False),
    (_unavailable(sent=False), False, True),
    (ZoomRateLimited("x", status=429, retry_at=NOW), False, True),
    (ZoomDailyLimit("x", status=429, retry_at=NOW), True, False),
    (ZoomNotFound("x", status=404), True, False),
    (ZoomError("x", status=400), True, False),
])
def test_retry_only_where_safe(error, idempotent, expected):
    assert should_retry(error, attempt=0, max_retries=2, idempotent=idempotent) is expected


def test_no_retry_once_retries_are_used_up():
    assert not should_retry(_unavailable(sent=True), attempt=2, max_retries=2, idempotent=True)


def test_per_second_limit_with_a_long_wait_is_not_waited_out():
    error = ZoomRateLimited("x", status=429, retry_at=NOW)
    assert not should_retry(error, attempt=0, max_retries=2, idempotent=True, retry_after=MAX_RETRY_AFTER + 1)


# --- errors, markers, PKCE -------------------------------------------------------------------------

def test_error_text_names_status_code_and_tracking_id():
    error = ZoomNotFound("Meeting does not exist: 1.", status=404, code=3001, request_id="trk-1")
    assert str(error) == "Zoom HTTP 404, code 3001, tracking id trk-1: Meeting does not exist: 1."


def test_marker_becomes_the_agenda_last_line():
    assert agenda_with_marker("Intro call\n", "bkz:7:42") == "Intro call\nbkz:7:42"
    assert agenda_with_marker(None, "bkz:7:42") == "bkz:7:42"


def test_long_agenda_is_cut_to_keep_the_marker_within_2000_chars():
    agenda = agenda_with_marker("x" * 5000, "bkz:7:42")
    assert len(agenda) <= 2000
    assert agenda.endswith("...\nbkz:7:42")
    assert carries_marker(agenda, "bkz:7:42")


def test_marker_must_be_one_line():
    with pytest.raises(ValueError):
        agenda_with_marker("a", "bkz\n42")


def test_marker_match_is_exact_per_line():
    assert not carries_marker("bkz:7:421", "bkz:7:42")
    assert carries_marker("hello\r\nbkz:7:42\r\n", "bkz:7:42")


def test_pkce_challenge_is_s256_of_the_verifier():
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == expected
    assert pkce_pair()[0] != verifier
