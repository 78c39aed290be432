"""The Zoom client: retry rules, Retry-After parsing, markers, and every fault against the emulator."""
from __future__ import annotations

import base64
import hashlib
import logging
import socket
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sidecar.zoom import (ZoomAuthError, ZoomBadRequest, ZoomClient, ZoomDailyLimit, ZoomError, ZoomInvalidAccount,
                          ZoomInvalidClient, ZoomInvalidGrant, ZoomNotFound, ZoomOutcomeUnknown, ZoomRateLimited,
                          ZoomUnavailable, parse_retry_after, pkce_pair)
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


# --- against the emulator, over real sockets ----------------------------------------------------------

TIMEOUT = 0.5


class S2STokens:
    """A TokenProvider over the S2S grant that counts renewals (the store-backed one is services/tokens.py)."""

    def __init__(self, client: ZoomClient, app: dict, account_id: str):
        self.client, self.app, self.account_id = client, app, account_id
        self.token: str | None = None
        self.expired: list[str] = []

    def access_token(self) -> str:
        if self.token is None:
            self.token = self.client.oauth.account_credentials(
                self.app["client_id"], self.app["client_secret"], self.account_id).access_token
        return self.token

    def mark_expired(self, token: str) -> None:
        self.expired.append(token)
        if token == self.token:
            self.token = None


class FixedToken:
    """A TokenProvider that always hands out the same token."""

    def __init__(self, token: str):
        self.token, self.expired = token, []

    def access_token(self) -> str:
        return self.token

    def mark_expired(self, token: str) -> None:
        self.expired.append(token)


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the client asked for (recorded instead of slept)."""
    return []


@pytest.fixture
def zoom(emulator, sleeps) -> ZoomClient:
    client = ZoomClient(emulator.oauth_base_url, emulator.api_base_url, TIMEOUT, sleep=sleeps.append,
                        rand=lambda: 0.5)
    yield client
    client.close()


@pytest.fixture
def tokens(zoom, emulator_account) -> S2STokens:
    return S2STokens(zoom, emulator_account.s2s_app, emulator_account.account_id)


@pytest.fixture
def host(emulator_account) -> dict:
    return emulator_account.users[0]


def meeting_body(**fields) -> dict:
    return {"topic": "Intro call", "type": 2, "start_time": "2030-05-01T10:00:00Z", "duration": 30,
            "timezone": "Europe/Berlin", "agenda": "Bring questions.", **fields}


def calls(emulator, endpoint: str) -> list[dict]:
    return emulator.calls(endpoint=endpoint)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# tokens

def test_s2s_token_has_no_refresh_token_and_lasts_an_hour(zoom, emulator_account):
    app = emulator_account.s2s_app
    before = datetime.now(timezone.utc)
    granted = zoom.oauth.account_credentials(app["client_id"], app["client_secret"], emulator_account.account_id)
    assert granted.refresh_token is None
    assert before + timedelta(seconds=3590) < granted.expires_at <= before + timedelta(seconds=3601)
    assert granted.access_token not in repr(granted)
    assert zoom.api.me(FixedToken(granted.access_token))["email"] == emulator_account.admin["email"]


def test_wrong_client_secret_is_invalid_client_naming_the_secret(zoom, emulator, emulator_account):
    app = emulator_account.s2s_app
    with pytest.raises(ZoomInvalidClient) as caught:
        zoom.oauth.account_credentials(app["client_id"], "wrong-secret", emulator_account.account_id)
    assert (caught.value.status, caught.value.code, caught.value.field) == (400, "invalid_client", "client_secret")
    assert len(calls(emulator, "token")) == 1


def test_wrong_account_id_is_invalid_account(zoom, emulator_account):
    app = emulator_account.s2s_app
    with pytest.raises(ZoomInvalidAccount) as caught:
        zoom.oauth.account_credentials(app["client_id"], app["client_secret"], "someOtherAccount")
    assert caught.value.field == "account_id"


def test_authorization_code_with_pkce_then_refresh_rotates(zoom, emulator, emulator_account):
    app, user = emulator_account.oauth_app, emulator_account.users[1]
    verifier, challenge = pkce_pair()
    url = zoom.oauth.authorize_url(app["client_id"], app["redirect_uri"], "st/ate=1&x", challenge)
    answer = requests.get(url, params={"auto_approve": user["email"]}, allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["st/ate=1&x"]

    first = zoom.oauth.exchange_code(app["client_id"], app["client_secret"], query["code"][0],
                                     app["redirect_uri"], verifier)
    assert zoom.api.me(FixedToken(first.access_token))["id"] == user["id"]
    second = zoom.oauth.refresh(app["client_id"], app["client_secret"], first.refresh_token)
    assert second.refresh_token and second.refresh_token != first.refresh_token

    with pytest.raises(ZoomInvalidGrant):
        zoom.oauth.refresh(app["client_id"], app["client_secret"], first.refresh_token)
    assert emulator.counters()["token_requests"]["refresh_token"] == 2


def test_code_is_single_use(zoom, emulator_account):
    app, user = emulator_account.oauth_app, emulator_account.users[1]
    verifier, challenge = pkce_pair()
    url = zoom.oauth.authorize_url(app["client_id"], app["redirect_uri"], "s", challenge)
    answer = requests.get(url, params={"auto_approve": user["email"]}, allow_redirects=False, timeout=5)
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    zoom.oauth.exchange_code(app["client_id"], app["client_secret"], code, app["redirect_uri"], verifier)
    with pytest.raises(ZoomInvalidGrant):
        zoom.oauth.exchange_code(app["client_id"], app["client_secret"], code, app["redirect_uri"], verifier)


def test_invalid_grant_is_never_retried(zoom, emulator, emulator_account):
    app = emulator_account.oauth_app
    granted = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    emulator.token_error_next("invalid_grant")
    with pytest.raises(ZoomInvalidGrant):
        zoom.oauth.refresh(app["client_id"], app["client_secret"], granted["refresh_token"])
    assert len(calls(emulator, "token")) == 1


def test_refresh_is_not_resent_after_a_5xx(zoom, emulator, emulator_account, sleeps):
    app = emulator_account.oauth_app
    granted = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    emulator.token_error_next("error", status=503)
    with pytest.raises(ZoomUnavailable):
        zoom.oauth.refresh(app["client_id"], app["client_secret"], granted["refresh_token"])
    assert len(calls(emulator, "token")) == 1 and sleeps == []


def test_s2s_token_is_retried_after_a_5xx(zoom, emulator, emulator_account, sleeps):
    app = emulator_account.s2s_app
    emulator.token_error_next("error", status=502)
    zoom.oauth.account_credentials(app["client_id"], app["client_secret"], emulator_account.account_id)
    assert [c["status"] for c in calls(emulator, "token")] == [502, 200]
    assert len(sleeps) == 1


def test_xml_from_the_token_endpoint_is_a_typed_error(zoom, emulator, emulator_account):
    app = emulator_account.oauth_app
    granted = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    emulator.token_error_next("xml")
    with pytest.raises(ZoomBadRequest) as caught:
        zoom.oauth.refresh(app["client_id"], app["client_secret"], granted["refresh_token"])
    assert "non-JSON" in str(caught.value)


def test_revoked_token_is_refused_after_one_renewal_attempt(zoom, emulator, emulator_account):
    app = emulator_account.oauth_app
    granted = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    zoom.oauth.revoke(app["client_id"], app["client_secret"], granted["access_token"])
    provider = FixedToken(granted["access_token"])
    with pytest.raises(ZoomAuthError) as caught:
        zoom.api.me(provider)
    assert (caught.value.status, caught.value.code) == (401, 124)
    assert provider.expired == [granted["access_token"]]
    assert [c["status"] for c in calls(emulator, "get_user")] == [401, 401]
    with pytest.raises(ZoomInvalidGrant):
        zoom.oauth.refresh(app["client_id"], app["client_secret"], granted["refresh_token"])


# REST: 401 / 124

def test_expired_token_is_renewed_once_and_the_call_retried(zoom, emulator, tokens, emulator_account):
    stale = tokens.access_token()
    emulator.expire_tokens(account_id=emulator_account.account_id)
    assert zoom.api.me(tokens)["id"] == emulator_account.admin["id"]
    assert tokens.expired == [stale] and tokens.token != stale
    assert [c["status"] for c in calls(emulator, "get_user")] == [401, 200]


def test_expired_token_on_create_makes_exactly_one_meeting(zoom, emulator, tokens, host, emulator_account):
    tokens.access_token()
    emulator.expire_tokens(account_id=emulator_account.account_id)
    zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:1")
    assert [c["status"] for c in calls(emulator, "create_meeting")] == [401, 201]
    assert len(emulator.meetings(host_id=host["id"])) == 1


# REST: 5xx, timeouts, connection errors

def test_5xx_then_recovery_is_retried_with_growing_backoff(zoom, emulator, tokens, host, sleeps):
    meeting = zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:2")
    emulator.fail_next(2, status=503, endpoint="get_meeting")
    assert zoom.api.get_meeting(tokens, meeting["id"])["id"] == meeting["id"]
    assert [c["status"] for c in calls(emulator, "get_meeting")] == [503, 503, 200]
    assert len(sleeps) == 2 and sleeps[0] < sleeps[1]


def test_persistent_5xx_raises_unavailable_after_the_retries(zoom, emulator, tokens):
    emulator.fail_next(5, status=500, endpoint="get_user")
    with pytest.raises(ZoomUnavailable) as caught:
        zoom.api.me(tokens)
    assert caught.value.status == 500
    assert len(calls(emulator, "get_user")) == 3


def test_hang_past_the_timeout_is_retried_for_reads(zoom, emulator, tokens, host):
    meeting = zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:3")
    emulator.hang_next(TIMEOUT * 3, endpoint="get_meeting")
    started = time.monotonic()
    assert zoom.api.get_meeting(tokens, meeting["id"])["id"] == meeting["id"]
    assert time.monotonic() - started < TIMEOUT * 3


def test_create_that_times_out_is_not_resent_and_is_found_by_marker(zoom, emulator, tokens, host):
    zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:7:41")
    emulator.hang_next(TIMEOUT * 2, endpoint="create_meeting")
    with pytest.raises(ZoomOutcomeUnknown):
        zoom.api.create_meeting(tokens, host["id"], meeting_body(topic="Second"), "bkz:7:42")
    deadline = time.monotonic() + 5
    while len(emulator.meetings(host_id=host["id"])) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)

    found = zoom.api.find_meeting_by_marker(tokens, host["id"], "bkz:7:42")
    assert found["topic"] == "Second" and found["agenda"].splitlines()[-1] == "bkz:7:42"
    assert "start_url" in found
    assert len(calls(emulator, "create_meeting")) == 2  # the first create, and the timed-out one once
    assert [m["id"] for m in emulator.meetings(host_id=host["id"]) if m["topic"] == "Second"] == [found["id"]]
    assert zoom.api.find_meeting_by_marker(tokens, host["id"], "bkz:7:43") is None


def test_create_answered_with_5xx_is_outcome_unknown_and_not_resent(zoom, emulator, tokens, host, sleeps):
    emulator.fail_next(1, status=500, endpoint="create_meeting")
    with pytest.raises(ZoomOutcomeUnknown) as caught:
        zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:4")
    assert caught.value.status == 500
    assert len(calls(emulator, "create_meeting")) == 1 and sleeps == []


def test_create_that_cannot_connect_is_retried_and_not_outcome_unknown(sleeps):
    client = ZoomClient(closed_port_url(), closed_port_url() + "/v2", TIMEOUT, sleep=sleeps.append, rand=lambda: 0.5)
    with pytest.raises(ZoomUnavailable) as caught:
        client.api.create_meeting(FixedToken("t"), "me", meeting_body(), "bkz:1:5")
    assert not isinstance(caught.value, ZoomOutcomeUnknown) and caught.value.sent is False
    assert len(sleeps) == 2


# REST: rate limits

def test_per_second_429_on_create_is_retried_in_the_next_second(zoom, emulator, tokens, host, sleeps):
    emulator.rate_limit_next(1, "QPS", endpoint="create_meeting")
    zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:6")
    assert [c["status"] for c in calls(emulator, "create_meeting")] == [429, 201]
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.0
    refused = calls(emulator, "create_meeting")[0]
    assert int(refused["started"]) + 1 - refused["started"] <= sleeps[0] + 0.2  # not before the next second
    assert len(emulator.meetings(host_id=host["id"])) == 1


def test_per_second_429_beyond_the_retries_raises_rate_limited(zoom, emulator, tokens):
    emulator.rate_limit_next(3, "QPS", endpoint="get_user")
    with pytest.raises(ZoomRateLimited) as caught:
        zoom.api.me(tokens)
    assert not isinstance(caught.value, ZoomDailyLimit)
    assert caught.value.retry_at > datetime.now(timezone.utc)


def test_user_daily_limit_raises_daily_limit_until_next_utc_midnight(zoom, emulator, tokens, host, sleeps):
    emulator.set_options(user_daily_meeting_limit=1)
    zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:7")
    with pytest.raises(ZoomDailyLimit) as caught:
        zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:8")
    now = datetime.now(timezone.utc)
    assert caught.value.retry_at == datetime.combine(now.date() + timedelta(days=1), datetime.min.time(),
                                                     tzinfo=timezone.utc)
    assert caught.value.status == 429 and sleeps == []
    assert len(calls(emulator, "create_meeting")) == 2


def test_daily_limit_on_update_is_not_retried(zoom, emulator, tokens, host, sleeps):
    meeting = zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:1:9")
    emulator.rate_limit_next(1, "Daily-limit", endpoint="update_meeting")
    with pytest.raises(ZoomDailyLimit):
        zoom.api.update_meeting(tokens, meeting["id"], {"duration": 45})
    assert sleeps == []


# REST: meetings, users, bad requests

def test_update_then_delete_then_delete_again(zoom, emulator, tokens, host):
    meeting = zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:2:1")
    assert meeting["agenda"] == "Bring questions.\nbkz:2:1"
    assert zoom.api.update_meeting(tokens, meeting["id"], {"start_time": "2030-05-02T09:00:00Z"}) is None
    assert zoom.api.get_meeting(tokens, meeting["id"])["start_time"] == "2030-05-02T09:00:00Z"
    assert zoom.api.delete_meeting(tokens, meeting["id"]) is True
    assert zoom.api.delete_meeting(tokens, meeting["id"]) is False
    with pytest.raises(ZoomNotFound) as caught:
        zoom.api.get_meeting(tokens, meeting["id"])
    assert caught.value.code == 3001


def test_validation_error_names_the_field(zoom, tokens, host):
    with pytest.raises(ZoomBadRequest) as caught:
        zoom.api.create_meeting(tokens, host["id"], meeting_body(password="far-too-long-passcode"), "bkz:2:2")
    assert (caught.value.status, caught.value.code, caught.value.field) == (400, 300, "password")


def test_unknown_host_is_not_found(zoom, tokens):
    with pytest.raises(ZoomNotFound) as caught:
        zoom.api.create_meeting(tokens, "nobody@nowhere.example", meeting_body(), "bkz:2:3")
    assert caught.value.code == 1001
    assert caught.value.request_id and caught.value.request_id in str(caught.value)  # Zoom's tracking id


def test_xml_error_body_does_not_crash(zoom, emulator, tokens, host):
    meeting = zoom.api.create_meeting(tokens, host["id"], meeting_body(), "bkz:2:4")
    emulator.add_fault("xml", endpoint="get_meeting")
    with pytest.raises(ZoomBadRequest) as caught:
        zoom.api.get_meeting(tokens, meeting["id"])
    assert caught.value.status == 400 and "application/xml" in caught.value.message


def test_every_user_page_is_read(zoom, emulator, tokens, emulator_account):
    for n in range(7):
        emulator.seed_user(emulator_account.account_id, f"extra{n}@acme.example", "Extra", str(n))
    emulator.seed_user(emulator_account.account_id, "waiting@acme.example", status="pending")
    users = zoom.api.list_users(tokens, page_size=3)
    assert len(users) == 11 and len({u["id"] for u in users}) == 11
    assert len(calls(emulator, "list_users")) == 4
    assert [u["email"] for u in zoom.api.list_users(tokens, "pending")] == ["waiting@acme.example"]


def test_logs_carry_endpoint_and_status_but_never_the_token(zoom, emulator, tokens, caplog):
    token = tokens.access_token()
    emulator.expire_tokens(account_id=tokens.account_id)
    emulator.fail_next(1, status=503, endpoint="get_user")
    with caplog.at_level(logging.DEBUG, logger="sidecar.zoom"):
        zoom.api.me(tokens)
    failed = [r for r in caplog.records if r.getMessage() == "zoom_call_failed"]
    assert [(r.endpoint, r.status) for r in failed] == [("/users/me", 503), ("/users/me", 401)]
    for record in caplog.records:
        assert token not in str(record.__dict__) and tokens.token not in str(record.__dict__)
