"""The Zoom emulator against zoom-api.md: status codes, bodies, headers, rotation, limits, faults, webhooks.

Plain `requests` over real sockets; no database.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from sidecar.emulator import EmulatorServer
from tests.fixtures.emulator import seed_typical_account

INVALID_TOKEN = {"reason": "Invalid Token!", "error": "invalid_grant"}
INVALID_CLIENT = {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
INVALID_ACCESS = {"code": 124, "message": "Invalid access token."}


# ---- helpers -------------------------------------------------------------------------------------

def basic(app: dict) -> tuple[str, str]:
    return app["client_id"], app["client_secret"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(emu, app: dict, email: str, state: str = "st", challenge: str | None = None) -> str:
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": app["redirect_uri"],
              "state": state, "auto_approve": email}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    response = requests.get(f"{emu.oauth_base_url}/oauth/authorize", params=params, allow_redirects=False)
    assert response.status_code == 302, response.text
    return parse_qs(urlparse(response.headers["Location"]).query)["code"][0]


def exchange(emu, app: dict, code: str, verifier: str | None = None, as_query: bool = False) -> requests.Response:
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": app["redirect_uri"]}
    if verifier:
        params["code_verifier"] = verifier
    if as_query:
        return requests.post(f"{emu.oauth_base_url}/oauth/token", params=params, auth=basic(app))
    return requests.post(f"{emu.oauth_base_url}/oauth/token", data=params, auth=basic(app))


def refresh(emu, app: dict, refresh_token: str) -> requests.Response:
    return requests.post(f"{emu.oauth_base_url}/oauth/token", auth=basic(app),
                         data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def s2s_token(emu, app: dict, account_id: str) -> requests.Response:
    return requests.post(f"{emu.oauth_base_url}/oauth/token", auth=basic(app),
                         params={"grant_type": "account_credentials", "account_id": account_id})


def admin_token(emu, acct) -> str:
    return emu.issue_tokens(acct.oauth_app["client_id"], acct.admin["email"])["access_token"]


def create(emu, token: str, user: str = "me", **body) -> requests.Response:
    payload = {"topic": "Intro call", "type": 2, "start_time": "2030-05-01T10:00:00Z", "duration": 30,
               "timezone": "Europe/Berlin", **body}
    return requests.post(f"{emu.api_base_url}/users/{user}/meetings", json=payload, headers=bearer(token))


def verify_zoom_signature(secret_token: str, headers: dict, raw: bytes) -> bool:
    """zoom-api.md 4.2, written independently of the emulator."""
    message = f"v0:{headers['x-zm-request-timestamp']}:".encode() + raw
    expected = "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-zm-signature"])


class Receiver:
    """A webhook endpoint on a socket that records raw requests and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.delays: list[float] = []  # seconds to stall the next requests, one entry each
        self.crc_secret: str | None = None
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        raw = request.get_data()
        if self.delays:
            time.sleep(self.delays.pop(0))
        self.requests.append({"headers": {k.lower(): v for k, v in request.headers.items()}, "raw": raw})
        body = json.loads(raw)
        if body["event"] == "endpoint.url_validation" and self.crc_secret is not None:
            plain = body["payload"]["plainToken"]
            encrypted = hmac.new(self.crc_secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
            return Response(json.dumps({"plainToken": plain, "encryptedToken": encrypted}),
                            mimetype="application/json")
        return Response("", status=self.status)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    hook = Receiver()
    yield hook
    hook.stop()


# ---- OAuth ---------------------------------------------------------------------------------------

def test_authorize_auto_approve_redirects_with_code_and_verbatim_state(emulator, emulator_account):
    app = emulator_account.oauth_app
    state = "a b/c+d=e&f~ü"
    response = requests.get(f"{emulator.oauth_base_url}/oauth/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": app["redirect_uri"],
        "state": state, "auto_approve": emulator_account.admin["email"]})
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == app["redirect_uri"].split("?")[0]
    query = parse_qs(location.query)
    assert query["state"] == [state]
    assert query["booknetic_action"] == ["zoom_oauth_callback"]  # the redirect URI's own query survives
    assert query["code"][0]


@pytest.mark.parametrize("change, fragment", [
    ({"client_id": "nope"}, "Invalid client_id"),
    ({"redirect_uri": "http://wordpress.test/?booknetic_action=zoom_oauth_callback/"}, "Redirect URI mismatch"),
    ({"response_type": "token"}, "response_type"),
    ({"code_challenge": "abc", "code_challenge_method": "plain"}, "S256"),
])
def test_authorize_refuses_bad_requests_without_redirecting(emulator, emulator_account, change, fragment):
    app = emulator_account.oauth_app
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": app["redirect_uri"],
              "auto_approve": emulator_account.admin["email"], **change}
    response = requests.get(f"{emulator.oauth_base_url}/oauth/authorize", params=params, allow_redirects=False)
    assert response.status_code == 400
    assert fragment in response.text


def test_authorize_page_signs_in_through_the_form(emulator, emulator_account):
    app = emulator_account.oauth_app
    page = requests.get(f"{emulator.oauth_base_url}/oauth/authorize", params={
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": app["redirect_uri"], "state": "xyz"})
    assert page.status_code == 200
    for element in ('id="email"', 'id="password"', 'id="allow"'):
        assert element in page.text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    assert hidden["state"] == "xyz"
    refused = requests.post(page.url, data={**hidden, "email": "ghost@nowhere.example", "password": "x"},
                            allow_redirects=False)
    assert refused.status_code == 200 and 'id="error"' in refused.text
    allowed = requests.post(page.url, data={**hidden, "email": emulator_account.users[0]["email"], "password": "x"},
                            allow_redirects=False)
    assert allowed.status_code == 302
    assert parse_qs(urlparse(allowed.headers["Location"]).query)["state"] == ["xyz"]


@pytest.mark.parametrize("as_query", [True, False], ids=["query-string", "form-body"])
def test_code_exchange_returns_documented_token_json(emulator, emulator_account, as_query):
    app = emulator_account.oauth_app
    response = exchange(emulator, app, authorize(emulator, app, emulator_account.admin["email"]), as_query=as_query)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "refresh_token", "expires_in", "scope", "api_url"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["access_token"].startswith("eyJ") and body["refresh_token"] != body["access_token"]
    assert "meeting:write:meeting:admin" in body["scope"].split(" ")
    me = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(body["access_token"]))
    assert me.json()["email"] == emulator_account.admin["email"]


def test_code_is_single_use_and_expires_after_five_minutes(emulator, emulator_account):
    app, email = emulator_account.oauth_app, emulator_account.admin["email"]
    code = authorize(emulator, app, email)
    assert exchange(emulator, app, code).status_code == 200
    reused = exchange(emulator, app, code)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    late = authorize(emulator, app, email)
    emulator.advance_clock(301)
    expired = exchange(emulator, app, late)
    assert expired.status_code == 400 and expired.json() == {"reason": "Code is expired.", "error": "invalid_grant"}


def test_code_exchange_checks_redirect_uri_and_pkce(emulator, emulator_account):
    app, email = emulator_account.oauth_app, emulator_account.admin["email"]
    verifier, challenge = pkce_pair()
    wrong_redirect = requests.post(f"{emulator.oauth_base_url}/oauth/token", auth=basic(app), data={
        "grant_type": "authorization_code", "code": authorize(emulator, app, email, challenge=challenge),
        "redirect_uri": app["redirect_uri"] + "x", "code_verifier": verifier})
    assert wrong_redirect.status_code == 400 and wrong_redirect.json()["error"] == "invalid_grant"
    missing = exchange(emulator, app, authorize(emulator, app, email, challenge=challenge))
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_grant"
    wrong = exchange(emulator, app, authorize(emulator, app, email, challenge=challenge), verifier="x" * 50)
    assert wrong.status_code == 400
    right = exchange(emulator, app, authorize(emulator, app, email, challenge=challenge), verifier=verifier)
    assert right.status_code == 200


def test_token_endpoint_refuses_missing_or_wrong_basic_auth(emulator, emulator_account):
    app = emulator_account.oauth_app
    code = authorize(emulator, app, emulator_account.admin["email"])
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": app["redirect_uri"]}
    none = requests.post(f"{emulator.oauth_base_url}/oauth/token", data=params)
    wrong = requests.post(f"{emulator.oauth_base_url}/oauth/token", data=params, auth=(app["client_id"], "bad"))
    assert (none.status_code, none.json()) == (400, INVALID_CLIENT)
    assert (wrong.status_code, wrong.json()) == (400, INVALID_CLIENT)


def test_refresh_rotates_and_the_used_refresh_token_is_dead(emulator, emulator_account):
    app = emulator_account.oauth_app
    first = exchange(emulator, app, authorize(emulator, app, emulator_account.admin["email"])).json()
    second = refresh(emulator, app, first["refresh_token"])
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    again = refresh(emulator, app, first["refresh_token"])
    assert (again.status_code, again.json()) == (400, INVALID_TOKEN)
    assert refresh(emulator, app, second.json()["refresh_token"]).status_code == 200
    # earlier access tokens stay valid until they expire (refresh_keeps_access default)
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(first["access_token"])).status_code == 200


def test_refresh_can_be_told_to_kill_earlier_access_tokens(emulator, emulator_account):
    emulator.set_options(refresh_keeps_access=False)
    app = emulator_account.oauth_app
    first = exchange(emulator, app, authorize(emulator, app, emulator_account.admin["email"])).json()
    assert refresh(emulator, app, first["refresh_token"]).status_code == 200
    old = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(first["access_token"]))
    assert (old.status_code, old.json()) == (401, INVALID_ACCESS)


def test_new_authorization_revokes_the_earlier_token_family(emulator, emulator_account):
    app, email = emulator_account.oauth_app, emulator_account.admin["email"]
    first = exchange(emulator, app, authorize(emulator, app, email)).json()
    second = exchange(emulator, app, authorize(emulator, app, email)).json()
    assert refresh(emulator, app, first["refresh_token"]).json() == INVALID_TOKEN
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(first["access_token"])).status_code == 401
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(second["access_token"])).status_code == 200


def test_s2s_tokens_have_no_refresh_token_and_do_not_invalidate_each_other(emulator, emulator_account):
    app, account = emulator_account.s2s_app, emulator_account.account_id
    first, second = s2s_token(emulator, app, account), s2s_token(emulator, app, account)
    assert first.status_code == second.status_code == 200
    assert "refresh_token" not in first.json()
    assert set(first.json()) == {"access_token", "token_type", "expires_in", "scope", "api_url"}
    for token in (first.json()["access_token"], second.json()["access_token"]):
        me = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token))
        assert me.json()["email"] == emulator_account.admin["email"]  # `me` is the account owner


def test_s2s_errors_tell_a_wrong_account_from_wrong_credentials(emulator, emulator_account):
    app = emulator_account.s2s_app
    wrong_account = s2s_token(emulator, app, "notMyAccount")
    assert (wrong_account.status_code, wrong_account.json()) == (
        400, {"reason": "Invalid account_id", "error": "invalid_request"})
    wrong_secret = requests.post(f"{emulator.oauth_base_url}/oauth/token", auth=(app["client_id"], "nope"),
                                 params={"grant_type": "account_credentials", "account_id": app["account_id"]})
    assert (wrong_secret.status_code, wrong_secret.json()) == (400, INVALID_CLIENT)
    oauth_app_as_s2s = s2s_token(emulator, emulator_account.oauth_app, emulator_account.account_id)
    assert oauth_app_as_s2s.json()["error"] == "unsupported_grant_type"


def test_revoke_can_send_app_deauthorized_when_configured(emulator, emulator_account, receiver):
    emulator.set_options(revoke_sends_deauthorized=True)
    app = emulator_account.oauth_app
    emulator.update_app(app["client_id"], webhook_url=receiver.url)
    tokens = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    requests.post(f"{emulator.oauth_base_url}/oauth/revoke", auth=basic(app), data={"token": tokens["access_token"]})
    delivery = emulator.wait_for_webhooks(1)[0]
    assert delivery["event"] == "app_deauthorized" and delivery["delivered"]
    assert delivery["body"]["payload"]["user_id"] == emulator_account.users[0]["id"]


def test_revoke_answers_success_and_kills_the_token_family(emulator, emulator_account):
    app = emulator_account.oauth_app
    tokens = emulator.issue_tokens(app["client_id"], emulator_account.admin["email"])
    response = requests.post(f"{emulator.oauth_base_url}/oauth/revoke", auth=basic(app),
                             params={"token": tokens["access_token"]})
    assert (response.status_code, response.json()) == (200, {"status": "success"})
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert refresh(emulator, app, tokens["refresh_token"]).json() == INVALID_TOKEN


def test_access_tokens_expire_after_the_configured_lifetime(emulator, emulator_account):
    emulator.set_options(access_token_ttl=60)
    app = emulator_account.oauth_app
    tokens = exchange(emulator, app, authorize(emulator, app, emulator_account.admin["email"])).json()
    assert tokens["expires_in"] == 60
    emulator.advance_clock(61)
    expired = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(tokens["access_token"]))
    assert (expired.status_code, expired.json()) == (401, INVALID_ACCESS)
    assert refresh(emulator, app, tokens["refresh_token"]).status_code == 200


# ---- REST: users ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_v2_calls_without_a_live_bearer_token_answer_401_code_124(emulator, emulator_account, headers):
    for method, path in [("GET", "/users/me"), ("GET", "/users"), ("POST", "/users/me/meetings"),
                         ("GET", "/meetings/12345678901"), ("DELETE", "/meetings/12345678901")]:
        response = requests.request(method, emulator.api_base_url + path, headers=headers)
        assert (response.status_code, response.json()) == (401, INVALID_ACCESS)


def test_get_user_by_me_id_and_email(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    bob = emulator_account.users[0]
    for ref in (bob["id"], bob["email"]):
        body = requests.get(f"{emulator.api_base_url}/users/{ref}", headers=bearer(token)).json()
        assert (body["id"], body["email"], body["status"]) == (bob["id"], bob["email"], "active")
        assert body["account_id"] == emulator_account.account_id and isinstance(body["pmi"], int)
    missing = requests.get(f"{emulator.api_base_url}/users/ghost@acme.example", headers=bearer(token))
    assert (missing.status_code, missing.json()) == (404, {"code": 1001, "message": "User does not exist: ghost@acme.example."})


def test_list_users_filters_by_status_and_pages_with_a_cursor(emulator, emulator_account):
    account = emulator_account.account_id
    for n in range(4):
        emulator.seed_user(account, f"extra{n}@acme.example", "Extra", str(n))
    emulator.seed_user(account, "off@acme.example", status="inactive")
    emulator.seed_user(account, "invited@acme.example", status="pending")
    token = admin_token(emulator, emulator_account)
    url = f"{emulator.api_base_url}/users"
    first = requests.get(url, params={"page_size": 3}, headers=bearer(token)).json()
    assert (first["page_size"], first["total_records"], first["page_count"], first["page_number"]) == (3, 8, 3, 1)
    seen, cursor = [u["email"] for u in first["users"]], first["next_page_token"]
    while cursor:
        page = requests.get(url, params={"page_size": 3, "next_page_token": cursor}, headers=bearer(token)).json()
        seen += [u["email"] for u in page["users"]]
        cursor = page["next_page_token"]
    assert page["page_number"] == 3 and page["next_page_token"] == ""
    assert len(seen) == len(set(seen)) == 8 and "off@acme.example" not in seen
    inactive = requests.get(url, params={"status": "inactive"}, headers=bearer(token)).json()
    assert [u["email"] for u in inactive["users"]] == ["off@acme.example"]
    pending = requests.get(url, params={"status": "pending"}, headers=bearer(token)).json()
    assert pending["users"][0]["email"] == "invited@acme.example" and "id" not in pending["users"][0]
    assert requests.get(url, params={"page_size": 5000}, headers=bearer(token)).json()["page_size"] == 2000


def test_list_users_refuses_invalid_or_stale_cursors(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    url = f"{emulator.api_base_url}/users"
    bad = requests.get(url, params={"next_page_token": "garbage"}, headers=bearer(token))
    assert (bad.status_code, bad.json()) == (400, {"code": 300, "message": "The next page token is invalid or expired."})
    cursor = requests.get(url, params={"page_size": 1}, headers=bearer(token)).json()["next_page_token"]
    emulator.set_options(access_token_ttl=10**6)
    token = admin_token(emulator, emulator_account)
    emulator.advance_clock(901)
    stale = requests.get(url, params={"page_size": 1, "next_page_token": cursor}, headers=bearer(token))
    assert stale.status_code == 400 and stale.json()["code"] == 300


def test_user_level_tokens_cannot_act_on_other_users(emulator, emulator_account):
    app = emulator.seed_oauth_app("http://127.0.0.1:8080/cb", scopes=["user:read:user", "meeting:write:meeting"])
    token = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])["access_token"]
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token)).status_code == 200
    assert create(emulator, token).status_code == 201
    other = requests.get(f"{emulator.api_base_url}/users/{emulator_account.admin['id']}", headers=bearer(token))
    assert other.status_code == 400 and other.json()["code"] == 4711
    assert requests.get(f"{emulator.api_base_url}/users", headers=bearer(token)).json()["code"] == 4711


def test_accounts_are_isolated(emulator, emulator_account):
    other = seed_typical_account(emulator, prefix="globex")
    mine, theirs = admin_token(emulator, emulator_account), admin_token(emulator, other)
    meeting = create(emulator, mine).json()
    for path in (f"/meetings/{meeting['id']}",):
        assert requests.get(emulator.api_base_url + path, headers=bearer(theirs)).json()["code"] == 3001
        assert requests.delete(emulator.api_base_url + path, headers=bearer(theirs)).status_code == 404
    stranger = requests.get(f"{emulator.api_base_url}/users/{emulator_account.users[0]['id']}", headers=bearer(theirs))
    assert (stranger.status_code, stranger.json()["code"]) == (404, 1001)
    assert create(emulator, theirs, user=emulator_account.users[0]["email"]).status_code == 404
    listed = requests.get(f"{emulator.api_base_url}/users", headers=bearer(theirs)).json()
    assert {u["email"] for u in listed["users"]} == {"admin@globex.example", "bob@globex.example",
                                                    "cleo@globex.example", "dan@globex.example"}


# ---- REST: meetings ------------------------------------------------------------------------------

def test_create_meeting_returns_the_full_meeting_object(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    host = emulator_account.users[1]
    response = create(emulator, token, user=host["email"], start_time="2030-05-01T10:00:00", password="ab@_*-9",
                      agenda="Bring questions", settings={"waiting_room": True, "host_video": True})
    assert response.status_code == 201
    meeting = response.json()
    assert isinstance(meeting["id"], int) and len(str(meeting["id"])) == 11
    assert len(meeting["uuid"]) == 24 and meeting["uuid"].endswith("==")
    assert (meeting["host_id"], meeting["host_email"], meeting["status"]) == (host["id"], host["email"], "waiting")
    assert meeting["start_time"] == "2030-05-01T08:00:00Z"  # local Berlin time (CEST) read in `timezone`
    assert (meeting["timezone"], meeting["duration"], meeting["topic"]) == ("Europe/Berlin", 30, "Intro call")
    assert meeting["password"] == "ab@_*-9" and meeting["agenda"] == "Bring questions"
    assert meeting["h323_password"] and meeting["pstn_password"] and meeting["encrypted_password"]
    assert meeting["join_url"] == f"{emulator.url}/j/{meeting['id']}?pwd={meeting['encrypted_password']}"
    assert meeting["start_url"].startswith(f"{emulator.url}/s/{meeting['id']}?zak=")
    assert meeting["settings"]["waiting_room"] is True and meeting["settings"]["host_video"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meeting["created_at"])
    utc = create(emulator, token, start_time="2030-01-15T10:00:00Z").json()
    assert utc["start_time"] == "2030-01-15T10:00:00Z"
    assert requests.get(meeting["join_url"]).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"type": 5}, "type"),
    ({"password": "12345678901"}, "password"),
    ({"password": "abc def"}, "password"),
    ({"agenda": "x" * 2001}, "agenda"),
    ({"start_time": "2030-05-01 10:00"}, "start_time"),
    ({"start_time": "2030-13-01T10:00:00Z"}, "start_time"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
])
def test_create_meeting_validation_answers_400_code_300_with_errors(emulator, emulator_account, body, field):
    token = admin_token(emulator, emulator_account)
    response = create(emulator, token, **body)
    assert response.status_code == 400
    assert response.json()["code"] == 300 and response.json()["message"] == "Validation Failed."
    assert field in [e["field"] for e in response.json()["errors"]]
    assert create(emulator, token, agenda="x" * 2000).status_code == 201


def test_create_meeting_refuses_a_body_that_is_not_a_json_object(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    response = requests.post(f"{emulator.api_base_url}/users/me/meetings", data="not json",
                             headers={**bearer(token), "Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (400, {"code": 300, "message": "Request Body should be a valid JSON object."})


def test_get_meeting_mints_a_fresh_start_url_valid_for_two_hours(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    emulator.set_options(access_token_ttl=10**6)
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    url = f"{emulator.api_base_url}/meetings/{meeting['id']}"
    first, second = (requests.get(url, headers=bearer(token)).json() for _ in range(2))
    assert first["start_url"] != second["start_url"] and first["join_url"] == meeting["join_url"]
    assert requests.get(first["start_url"]).status_code == 200
    emulator.advance_clock(7100)
    fresh = requests.get(url, headers=bearer(token)).json()["start_url"]
    emulator.advance_clock(200)
    assert requests.get(first["start_url"]).status_code == 410
    assert requests.get(fresh).status_code == 200
    assert requests.get(f"{emulator.url}/s/{meeting['id']}?zak=forged").status_code == 403


def test_patch_meeting_answers_204_and_changes_only_given_fields(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    url = f"{emulator.api_base_url}/meetings/{meeting['id']}"
    response = requests.patch(url, json={"start_time": "2030-06-01T12:00:00Z", "duration": 45}, headers=bearer(token))
    assert (response.status_code, response.content) == (204, b"")
    after = requests.get(url, headers=bearer(token)).json()
    assert (after["start_time"], after["duration"], after["topic"]) == ("2030-06-01T12:00:00Z", 45, "Intro call")
    assert (after["id"], after["join_url"]) == (meeting["id"], meeting["join_url"])
    missing = requests.patch(f"{emulator.api_base_url}/meetings/99999999999", json={}, headers=bearer(token))
    assert (missing.status_code, missing.json()["code"]) == (404, 3001)
    emulator.start_meeting(meeting["id"])
    started = requests.patch(url, json={"duration": 50}, headers=bearer(token))
    assert (started.status_code, started.json()["code"]) == (400, 3000)


def test_a_held_meeting_cannot_be_deleted(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    url = f"{emulator.api_base_url}/meetings/{meeting['id']}"
    emulator.start_meeting(meeting["id"])
    in_progress = requests.delete(url, headers=bearer(token))
    assert (in_progress.status_code, in_progress.json()["code"]) == (400, 3002)
    emulator.end_meeting(meeting["id"])
    ended = requests.delete(url, headers=bearer(token))
    assert (ended.status_code, ended.json()["code"]) == (400, 3007)
    assert requests.get(url, headers=bearer(token)).json()["status"] == "waiting"


def test_delete_meeting_answers_204_then_404_code_3001(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    url = f"{emulator.api_base_url}/meetings/{meeting['id']}?schedule_for_reminder=false&cancel_meeting_reminder=true"
    first = requests.delete(url, headers=bearer(token))
    assert (first.status_code, first.content) == (204, b"")
    second = requests.delete(url, headers=bearer(token))
    assert (second.status_code, second.json()) == (404, {"code": 3001, "message": f"Meeting {meeting['id']} is not found or has expired."})
    assert requests.get(f"{emulator.api_base_url}/meetings/{meeting['id']}", headers=bearer(token)).status_code == 404


def test_list_user_meetings_pages_through_a_hosts_meetings(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    bob, cleo = emulator_account.users[0], emulator_account.users[1]
    made = [create(emulator, token, user=bob["id"], start_time=f"2030-05-0{d}T10:00:00Z").json() for d in (3, 1, 2)]
    create(emulator, token, user=cleo["id"])
    url = f"{emulator.api_base_url}/users/{bob['id']}/meetings"
    first = requests.get(url, params={"type": "scheduled", "page_size": 2}, headers=bearer(token)).json()
    assert (first["total_records"], first["page_size"], len(first["meetings"])) == (3, 2, 2)
    rest = requests.get(url, params={"page_size": 2, "next_page_token": first["next_page_token"]},
                        headers=bearer(token)).json()
    assert rest["next_page_token"] == ""
    listed = first["meetings"] + rest["meetings"]
    assert [m["start_time"][:10] for m in listed] == ["2030-05-01", "2030-05-02", "2030-05-03"]
    assert {m["id"] for m in listed} == {m["id"] for m in made}
    assert set(listed[0]) == {"uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone",
                              "agenda", "created_at", "join_url"}
    bad = requests.get(url, params={"type": "someday"}, headers=bearer(token))
    assert (bad.status_code, bad.json()["code"]) == (400, 300)


def test_list_user_meetings_truncates_the_agenda_to_250_characters_as_zoom_does(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    made = create(emulator, token, user=emulator_account.users[0]["id"], agenda="a" * 300 + "\nmarker").json()
    url = f"{emulator.api_base_url}/users/{emulator_account.users[0]['id']}/meetings"
    [listed] = requests.get(url, headers=bearer(token)).json()["meetings"]
    assert listed["agenda"] == "a" * 250
    full = requests.get(f"{emulator.api_base_url}/meetings/{made['id']}", headers=bearer(token)).json()
    assert full["agenda"].endswith("\nmarker")


# ---- limits --------------------------------------------------------------------------------------

def test_success_answers_carry_rate_limit_headers(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    me = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token))
    assert me.headers["X-RateLimit-Category"] == "Light"
    assert int(me.headers["X-RateLimit-Remaining"]) == int(me.headers["X-RateLimit-Limit"]) - 1
    made = create(emulator, token)
    assert (made.headers["X-RateLimit-Category"], made.headers["X-RateLimit-Limit"],
            made.headers["X-RateLimit-Remaining"]) == ("Medium", "100", "99")


def test_per_second_limit_answers_429_qps_per_account(emulator, emulator_account):
    emulator.set_options(qps={"Medium": 2})
    token = admin_token(emulator, emulator_account)
    other = admin_token(emulator, seed_typical_account(emulator, prefix="globex"))
    url = f"{emulator.api_base_url}/users"
    deadline = time.time() + 5
    while True:  # three calls inside one wall-clock second
        start = time.time()
        answers = [requests.get(url, headers=bearer(token)) for _ in range(3)]
        if int(start) == int(time.time()) or time.time() > deadline:
            break
        time.sleep(1 - (time.time() % 1))
    assert [a.status_code for a in answers] == [200, 200, 429]
    limited = answers[2]
    assert limited.json() == {"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."}
    assert (limited.headers["X-RateLimit-Type"], limited.headers["X-RateLimit-Category"]) == ("QPS", "Medium")
    assert requests.get(url, headers=bearer(other)).status_code == 200  # another account has its own budget


def test_daily_user_limit_counts_creates_and_updates_but_not_deletes(emulator, emulator_account):
    emulator.set_options(user_daily_meeting_limit=3)
    token = admin_token(emulator, emulator_account)
    first = create(emulator, token).json()
    second = create(emulator, token).json()
    assert requests.delete(f"{emulator.api_base_url}/meetings/{second['id']}", headers=bearer(token)).status_code == 204
    patched = requests.patch(f"{emulator.api_base_url}/meetings/{first['id']}", json={"duration": 20},
                             headers=bearer(token))
    assert (patched.status_code, patched.headers["X-RateLimit-Remaining"]) == (204, "0")
    refused = create(emulator, token)
    assert refused.status_code == 429
    assert refused.json() == {"code": 429, "message": "You have exceeded the daily rate limit (3) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."}
    assert (refused.headers["X-RateLimit-Type"], refused.headers["X-RateLimit-Remaining"]) == ("Daily-limit", "0")
    retry_at = datetime.strptime(refused.headers["Retry-After"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    now = datetime.now(timezone.utc)
    assert (retry_at.hour, retry_at.minute, retry_at.second) == (0, 0, 0) and now < retry_at <= now + timedelta(days=1)
    assert create(emulator, token, user=emulator_account.users[0]["id"]).status_code == 201  # other host unaffected
    emulator.advance_clock((retry_at - now).total_seconds() + 1)
    token = admin_token(emulator, emulator_account)
    assert create(emulator, token).status_code == 201  # a new UTC day


def test_account_daily_limit_answers_429_daily_limit(emulator, emulator_account):
    emulator.set_options(account_daily={"Light": 2})
    token = admin_token(emulator, emulator_account)
    answers = [requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["X-RateLimit-Type"] == "Daily-limit"
    assert answers[2].headers["Retry-After"].endswith("T00:00:00Z")


# ---- faults --------------------------------------------------------------------------------------

def test_faults_fail_only_the_next_matching_calls(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    emulator.fail_next(2, status=503, endpoint="create_meeting")
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token)).status_code == 200
    assert [create(emulator, token).status_code for _ in range(3)] == [503, 503, 201]
    assert emulator.faults() == []
    assert len(emulator.meetings()) == 1


def test_refused_connections_for_a_while_then_the_same_data_again(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    made = create(emulator, token, user=emulator_account.users[0]["id"]).json()

    emulator.refuse_connections(1.0)

    refused_at = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{emulator.api_base_url}/meetings/{made['id']}", headers=bearer(token), timeout=2)
    while True:  # it listens again after the second (later on a loaded machine, never sooner)
        try:
            again = requests.get(f"{emulator.api_base_url}/meetings/{made['id']}", headers=bearer(token), timeout=5)
            break
        except requests.ConnectionError:
            assert time.monotonic() - refused_at < 20
            time.sleep(0.05)
    assert time.monotonic() - refused_at >= 0.9
    assert again.status_code == 200 and again.json()["id"] == made["id"]


def test_hang_fault_does_the_work_after_the_client_gave_up(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    emulator.hang_next(1.0, endpoint="create_meeting")
    with pytest.raises(requests.Timeout):
        requests.post(f"{emulator.api_base_url}/users/me/meetings", json={"topic": "Lost answer"},
                      headers=bearer(token), timeout=0.3)
    deadline = time.monotonic() + 20  # the stall ends after a second; a loaded machine only makes it later
    while True:
        listed = requests.get(f"{emulator.api_base_url}/users/me/meetings", headers=bearer(token)).json()
        if listed["meetings"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert [m["topic"] for m in listed["meetings"]] == ["Lost answer"]


def test_a_call_stalled_across_a_reset_acts_on_nothing_and_is_not_logged(emulator, emulator_account):
    """A test that ends while Zoom stalls must not leave a late call in the next test's data or call log."""
    token = admin_token(emulator, emulator_account)
    emulator.hang_next(1.0, endpoint="create_meeting")
    with pytest.raises(requests.Timeout):
        requests.post(f"{emulator.api_base_url}/users/me/meetings", json={"topic": "Previous test"},
                      headers=bearer(token), timeout=0.3)
    emulator.reset()
    time.sleep(1.2)
    assert emulator.calls() == [] and emulator.meetings() == []


def test_rate_limit_fault_answers_429_with_headers(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    emulator.rate_limit_next(1, limit_type="Daily-limit", endpoint="get_user")
    limited = requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token))
    assert limited.status_code == 429 and limited.headers["X-RateLimit-Type"] == "Daily-limit"
    assert limited.headers["Retry-After"].endswith("T00:00:00Z")


def test_token_endpoint_faults_answer_invalid_grant_xml_or_5xx(emulator, emulator_account):
    app = emulator_account.oauth_app
    tokens = emulator.issue_tokens(app["client_id"], emulator_account.admin["email"])
    emulator.token_error_next("invalid_grant")
    emulator.token_error_next("xml")
    emulator.token_error_next("error", status=502)
    assert refresh(emulator, app, tokens["refresh_token"]).json() == INVALID_TOKEN
    xml = refresh(emulator, app, tokens["refresh_token"])
    assert xml.status_code == 400 and xml.headers["Content-Type"].startswith("application/xml")
    assert refresh(emulator, app, tokens["refresh_token"]).status_code == 502
    assert refresh(emulator, app, tokens["refresh_token"]).status_code == 200  # faults used up, token untouched


def test_revoking_an_accounts_tokens_answers_124_and_invalid_grant(emulator, emulator_account):
    app = emulator_account.oauth_app
    tokens = emulator.issue_tokens(app["client_id"], emulator_account.admin["email"])
    s2s = s2s_token(emulator, emulator_account.s2s_app, emulator_account.account_id).json()
    assert emulator.revoke_tokens(account_id=emulator_account.account_id) == 3
    for token in (tokens["access_token"], s2s["access_token"]):
        assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token)).json() == INVALID_ACCESS
    assert refresh(emulator, app, tokens["refresh_token"]).json() == INVALID_TOKEN


# ---- webhooks ------------------------------------------------------------------------------------

def test_deauthorize_kills_tokens_and_sends_a_signed_app_deauthorized(emulator, emulator_account, receiver):
    app, admin = emulator_account.oauth_app, emulator_account.admin
    tokens = emulator.issue_tokens(app["client_id"], admin["email"])
    result = emulator.deauthorize(app["client_id"], admin["id"], url=receiver.url)
    assert result["revoked"] == 2 and result["delivery"]["delivered"]
    sent = receiver.requests[0]
    assert verify_zoom_signature(app["secret_token"], sent["headers"], sent["raw"])
    assert abs(int(sent["headers"]["x-zm-request-timestamp"]) - time.time()) < 5
    body = json.loads(sent["raw"])
    assert body["event"] == "app_deauthorized" and abs(body["event_ts"] / 1000 - time.time()) < 5
    assert {k: body["payload"][k] for k in ("account_id", "user_id", "client_id")} == {
        "account_id": emulator_account.account_id, "user_id": admin["id"], "client_id": app["client_id"]}
    assert body["payload"]["signature"] and body["payload"]["deauthorization_time"].endswith("Z")
    assert "user_data_retention" not in body["payload"]
    assert refresh(emulator, app, tokens["refresh_token"]).json() == INVALID_TOKEN
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(tokens["access_token"])).json() == INVALID_ACCESS
    assert not verify_zoom_signature("wrong-secret", sent["headers"], sent["raw"])


def test_meeting_deleted_on_zoom_sends_a_signed_meeting_deleted(emulator, emulator_account, receiver):
    app = emulator_account.oauth_app
    emulator.update_app(app["client_id"], webhook_url=receiver.url)
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    emulator.delete_meeting_on_zoom(meeting["id"])
    sent = receiver.requests[0]
    assert verify_zoom_signature(app["secret_token"], sent["headers"], sent["raw"])
    body = json.loads(sent["raw"])
    assert body["event"] == "meeting.deleted"
    assert body["payload"]["account_id"] == emulator_account.account_id
    assert body["payload"]["operator"] == emulator_account.admin["email"]
    obj = body["payload"]["object"]
    assert (obj["id"], obj["uuid"], obj["host_id"], obj["start_time"]) == (
        meeting["id"], meeting["uuid"], meeting["host_id"], meeting["start_time"])
    assert requests.get(f"{emulator.api_base_url}/meetings/{meeting['id']}", headers=bearer(token)).status_code == 404


def test_api_delete_also_sends_meeting_deleted_to_subscribed_apps(emulator, emulator_account, receiver):
    emulator.update_app(emulator_account.oauth_app["client_id"], webhook_url=receiver.url)
    token = admin_token(emulator, emulator_account)
    meeting = create(emulator, token).json()
    requests.delete(f"{emulator.api_base_url}/meetings/{meeting['id']}", headers=bearer(token))
    deliveries = emulator.wait_for_webhooks(1)
    assert deliveries[0]["event"] == "meeting.deleted" and deliveries[0]["body"]["payload"]["object"]["id"] == meeting["id"]


@pytest.mark.parametrize("status, attempts", [(500, 4), (503, 4), (400, 1), (404, 1), (204, 1)])
def test_webhooks_are_retried_only_on_server_errors(emulator, emulator_account, receiver, status, attempts):
    emulator.set_options(webhook_retry_delays=[0.05, 0.05, 0.05])
    receiver.status = status
    delivery = emulator.deauthorize(emulator_account.oauth_app["client_id"], emulator_account.admin["email"],
                                    url=receiver.url)["delivery"]
    assert len(delivery["attempts"]) == len(receiver.requests) == attempts
    assert delivery["delivered"] is (status < 300)


def test_webhook_timeouts_are_retried(emulator, emulator_account, receiver):
    emulator.set_options(webhook_retry_delays=[0.05], webhook_timeout=0.2)
    receiver.delays = [0.5]
    delivery = emulator.deauthorize(emulator_account.oauth_app["client_id"], emulator_account.admin["email"],
                                    url=receiver.url)["delivery"]
    assert [(a["status"], a["error"]) for a in delivery["attempts"]] == [(None, "ReadTimeout"), (200, None)]
    assert delivery["delivered"] is True


def test_url_validation_reports_right_and_wrong_answers(emulator, emulator_account, receiver):
    secret_token = emulator_account.oauth_app["secret_token"]
    receiver.crc_secret = secret_token
    right = emulator.validate_url(receiver.url, client_id=emulator_account.oauth_app["client_id"])
    assert right["ok"] is True and right["status"] == 200
    sent = receiver.requests[0]
    assert verify_zoom_signature(secret_token, sent["headers"], sent["raw"])
    assert json.loads(sent["raw"])["event"] == "endpoint.url_validation"
    receiver.crc_secret = "some other secret"
    assert emulator.validate_url(receiver.url, secret_token=secret_token)["ok"] is False
    receiver.crc_secret = None
    assert emulator.validate_url(receiver.url, secret_token=secret_token)["ok"] is False


# ---- control: log, counters, reset ---------------------------------------------------------------

def test_call_log_and_counters_record_every_zoom_call(emulator, emulator_account):
    app = emulator_account.oauth_app
    tokens = exchange(emulator, app, authorize(emulator, app, emulator_account.admin["email"])).json()
    refresh(emulator, app, tokens["refresh_token"])
    s2s_token(emulator, emulator_account.s2s_app, emulator_account.account_id)
    meeting = create(emulator, tokens["access_token"]).json()
    emulator.fail_next(1, endpoint="get_meeting")
    requests.get(f"{emulator.api_base_url}/meetings/{meeting['id']}", headers=bearer(tokens["access_token"]))
    counters = emulator.counters()
    assert counters["token_requests"] == {"authorization_code": 1, "refresh_token": 1, "account_credentials": 1}
    assert counters["meetings_created_by_host"] == {emulator_account.admin["id"]: 1}
    assert counters["meetings_by_host"] == {emulator_account.admin["id"]: 1}
    assert counters["requests"]["token"] == 3 and counters["requests"]["create_meeting"] == 1
    created = emulator.calls(endpoint="create_meeting")
    assert len(created) == 1
    call = created[0]
    assert (call["method"], call["path"], call["status"]) == ("POST", "/v2/users/me/meetings", 201)
    assert call["json"]["topic"] == "Intro call" and call["started"] <= call["ended"]
    failed = emulator.calls(endpoint="get_meeting")[0]
    assert (failed["status"], failed["fault"]) == (500, "error")
    assert [c["endpoint"] for c in emulator.calls(since=created[0]["seq"])] == ["get_meeting"]
    assert not [c for c in emulator.calls() if c["path"].startswith("/_emulator")]


def test_reset_forgets_data_options_faults_and_log(emulator, emulator_account):
    token = admin_token(emulator, emulator_account)
    create(emulator, token)
    emulator.set_options(access_token_ttl=5)
    emulator.fail_next(3)
    emulator.advance_clock(3600)
    emulator.reset()
    assert emulator.meetings() == [] and emulator.calls() == [] and emulator.faults() == []
    assert emulator.options()["access_token_ttl"] == 3600
    assert requests.get(f"{emulator.api_base_url}/users/me", headers=bearer(token)).status_code == 401


def test_server_takes_options_at_start_and_stops():
    server = EmulatorServer({"access_token_ttl": 5, "qps": {"Light": 3}}).start()
    try:
        assert server.api_base_url == server.url + "/v2" and server.oauth_base_url == server.url
        options = server.control.options()
        assert options["access_token_ttl"] == 5 and options["qps"] == {"Light": 3, "Medium": 1000}
    finally:
        server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/_emulator/options", timeout=2)


def test_serve_starts_with_a_demo_seed_a_person_can_use():
    process = subprocess.Popen([sys.executable, "-c", "from sidecar.emulator import serve; serve(port=0)"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = [process.stdout.readline() for _ in range(4)]
        url = re.search(r"Zoom emulator at (\S+)", banner[0]).group(1)
        creds = dict(re.findall(r"(\w+)=(\S+)", banner[3]))
        token = requests.post(f"{url}/oauth/token", auth=(creds["client_id"], creds["client_secret"]),
                              params={"grant_type": "account_credentials", "account_id": creds["account_id"]})
        users = requests.get(f"{url}/v2/users", headers=bearer(token.json()["access_token"])).json()
        assert users["total_records"] == 3
        assert "client_id=" in banner[2] and "redirect_uri=" in banner[2]
    finally:
        process.terminate()
        process.wait(timeout=5)


# ---- the control API for a person ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/_emulator/"])
def test_index_page_lists_the_control_api(emulator, path):
    page = requests.get(emulator.url + path, timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/plain")
    for call in ("POST             /_emulator/faults", "/_emulator/reset", "/_emulator/users", "/_emulator/calls"):
        assert call.split()[-1] in page.text
    assert "kinds: error, hang, rate_limit, invalid_grant, xml" in page.text
    assert emulator.calls() == []  # the index is not a Zoom call


@pytest.mark.parametrize("body, message", [
    ({"count": 2}, "a fault needs a kind: one of error, hang"),
    ({"kind": "error", "sttus": 500}, "unknown fault field(s) sttus (fields: kind, count"),
    ({"kind": "boom"}, "unknown fault kind: boom"),
    ([{"kind": "error"}], "must be a JSON object"),
])
def test_bad_fault_body_answers_400_saying_what_is_wrong(emulator, body, message):
    answer = requests.post(emulator.url + "/_emulator/faults", json=body, timeout=5)
    assert answer.status_code == 400
    assert message in answer.json()["error"] and "__init__" not in answer.json()["error"]
    assert emulator.faults() == []


def test_bad_control_body_names_the_missing_field(emulator):
    user = requests.post(emulator.url + "/_emulator/users", json={"account_id": "x"}, timeout=5)
    assert user.status_code == 400
    assert user.json()["error"] == "POST /_emulator/users: missing 1 required field: 'email'"
    clock = requests.post(emulator.url + "/_emulator/clock/advance", json={}, timeout=5)
    assert clock.json()["error"] == "missing field 'seconds' in the JSON body of POST /_emulator/clock/advance"


def test_serve_logs_plain_lines_without_colour_codes():
    process = subprocess.Popen([sys.executable, "-c", "from sidecar.emulator import serve; serve(port=0)"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"Zoom emulator at (\S+)", process.stdout.readline()).group(1)
        assert requests.get(url + "/v2/users", timeout=5).status_code == 401
    finally:
        process.terminate()
        _, log = process.communicate(timeout=5)
    assert '"GET /v2/users HTTP/1.1" 401' in log
    assert "\x1b[" not in log
