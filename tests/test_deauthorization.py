"""Zoom webhooks (SPEC section 5): signature over the raw body, URL validation, and `app_deauthorized`
disconnecting exactly the OAuth connections of that app, user and account."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.fixtures.connect import (WEBHOOK_SECRET, configure_platform, connect_oauth, connected_tenant_ids,
                                    deauth_event, zoom_signature)


@pytest.fixture
def webhook_url(shim):
    """The shim's webhook URL stand-in: relays Zoom's raw body and x-zm-* headers, signed as `platform`."""

    def relay(environ, start_response):
        request = Request(environ)
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-zm-")}
        answer = shim.as_tenant("platform").post("/v1/zoom/webhook", body=request.get_data(), headers=headers)
        return Response(answer.get_data(), answer.status_code, content_type=answer.content_type)(environ,
                                                                                                 start_response)

    server = make_server("127.0.0.1", 0, relay, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/?booknetic_action=zoom_webhook"
    server.shutdown()


def _post(shim, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    body = json.dumps(event, separators=(",", ":")).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(secret, ts, body)})


def test_deauthorization_disconnects_only_that_users_oauth_connections(shim, db, booknetic, emulator,
                                                                       emulator_account, platform_oauth, webhook_url):
    admin, other = emulator_account.admin, emulator_account.users[0]
    a1, a2, b, s2s = (booknetic.world(domain=d).tenant_id for d in ("a-one", "a-two", "bee", "sees"))
    connect_oauth(shim, a1, admin["email"])
    connect_oauth(shim, a2, admin["email"])
    connect_oauth(shim, b, other["email"])
    configure_platform(shim, method="s2s", app=platform_oauth)
    app = emulator_account.s2s_app
    assert shim.as_tenant(s2s).put("/v1/tenant/zoom/credentials", json={
        "account_id": emulator_account.account_id, "client_id": app["client_id"],
        "client_secret": app["client_secret"]}).status_code == 200

    result = emulator.deauthorize(platform_oauth["client_id"], admin["id"], url=webhook_url)

    assert result["delivery"]["attempts"][-1]["status"] == 200
    assert connected_tenant_ids(db) == sorted([b, s2s])
    assert shim.as_tenant(a1).get("/v1/tenant/zoom").get_json()["connected"] is False
    assert shim.as_tenant(b).get("/v1/tenant/zoom/users").status_code == 200
    assert shim.as_tenant(s2s).get("/v1/tenant/zoom/users").status_code == 200
    assert emulator.calls(endpoint="revoke") == []


def test_deauthorization_of_another_app_changes_nothing(shim, db, world, emulator_account, connected_tenant):
    answer = _post(shim, {"event": "app_deauthorized", "event_ts": 1, "payload": {
        "account_id": emulator_account.account_id, "user_id": emulator_account.admin["id"],
        "client_id": "SomeOtherApp", "deauthorization_time": "2026-01-01T00:00:00Z", "signature": "x"}})
    assert answer.status_code == 200 and answer.get_json()["disconnected"] == 0
    assert connected_tenant_ids(db) == [world.tenant_id]


def test_url_validation_is_answered_as_zoom_expects(emulator, platform_oauth, webhook_url):
    result = emulator.validate_url(webhook_url, secret_token=WEBHOOK_SECRET)
    assert result["ok"] is True, result["reason"]


def test_url_validation_answer_is_exact(shim, platform_oauth):
    answer = _post(shim, {"payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}, "event_ts": 1654503849680,
                          "event": "endpoint.url_validation"})
    expected = hmac.new(WEBHOOK_SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert answer.status_code == 200
    assert answer.get_json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


@pytest.mark.parametrize("case", ["wrong_secret", "stale", "future", "tampered_body", "missing"])
def test_bad_or_stale_signature_is_401_and_changes_nothing(shim, db, world, connected_tenant, case):
    event = deauth_event(connected_tenant)
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    headers = {"x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)}
    if case == "wrong_secret":
        headers["x-zm-signature"] = zoom_signature("not-the-secret", ts, body)
    elif case in ("stale", "future"):
        ts = str(int(time.time()) + (-301 if case == "stale" else 301))
        headers = {"x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)}
    elif case == "tampered_body":
        body = body.replace(b'"signature": "x"', b'"signature": "y"')
    else:
        headers = {}
    answer = shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers=headers)
    assert answer.status_code == 401 and answer.get_json()["error"] == "bad_webhook_signature"
    assert connected_tenant_ids(db) == [world.tenant_id]


def test_signature_covers_the_raw_bytes_not_reserialised_json(shim, db, world, connected_tenant):
    body = json.dumps(deauth_event(connected_tenant), indent=3).encode()  # unusual spacing, as sent
    ts = str(int(time.time()))
    answer = shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)})
    assert answer.status_code == 200 and answer.get_json()["disconnected"] == 1
    assert connected_tenant_ids(db) == []


def test_unknown_events_are_acknowledged_and_ignored(shim, db, world, connected_tenant):
    answer = _post(shim, {"event": "meeting.started", "event_ts": 1, "payload": {"object": {"id": 1}}})
    assert answer.status_code == 200 and answer.get_json() == {"status": "ignored"}
    assert connected_tenant_ids(db) == [world.tenant_id]


def test_without_a_webhook_secret_nothing_is_accepted(shim, db):
    answer = _post(shim, {"payload": {"plainToken": "abc"}, "event_ts": 1, "event": "endpoint.url_validation"})
    assert answer.status_code == 401


def test_tenants_cannot_post_webhooks(shim, world, platform_oauth):
    body = b'{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}'
    ts = str(int(time.time()))
    answer = shim.as_tenant(world.tenant_id).post("/v1/zoom/webhook", body=body, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)})
    assert answer.status_code == 403
