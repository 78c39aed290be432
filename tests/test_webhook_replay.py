"""Zoom webhooks are handled once: a replayed delivery changes nothing, and a deauthorization never ends a
connection made after it."""
from __future__ import annotations

import json
import time

from tests.fixtures.connect import WEBHOOK_SECRET, connect_oauth, connected_tenant_ids, deauth_event, zoom_signature


def _delivery(event: dict) -> tuple[bytes, dict]:
    body = json.dumps(event, separators=(",", ":")).encode()
    ts = str(int(time.time()))
    return body, {"x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, body)}


def _send(shim, body: bytes, headers: dict):
    return shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers=headers)


def test_a_replayed_deauthorization_does_not_disconnect_a_tenant_who_reconnected(shim, db, world, connected_tenant):
    body, headers = _delivery(deauth_event(connected_tenant))
    assert _send(shim, body, headers).get_json()["disconnected"] == 1
    connect_oauth(shim, world.tenant_id, connected_tenant.zoom_user["email"])

    replayed = _send(shim, body, headers)  # the same bytes and x-zm-* headers, within the 300 s window

    assert replayed.status_code == 200 and replayed.get_json() == {"status": "duplicate"}
    assert connected_tenant_ids(db) == [world.tenant_id]
    assert shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom").get_json()["connected"] is True


def test_a_deauthorization_older_than_the_connection_leaves_it_alone(shim, db, world, connected_tenant):
    before = time.time() - 60  # deauthorized a minute ago, delivered (freshly signed) only now
    db.execute("UPDATE {connections} SET connected_at = UTC_TIMESTAMP(6) - INTERVAL 10 SECOND")

    answer = _send(shim, *_delivery(deauth_event(connected_tenant, at=before)))

    assert answer.status_code == 200 and answer.get_json()["disconnected"] == 0
    assert connected_tenant_ids(db) == [world.tenant_id]


def test_url_validation_is_answered_every_time(shim, platform_oauth):
    body, headers = _delivery({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}})
    first, again = _send(shim, body, headers), _send(shim, body, headers)
    assert first.get_json() == again.get_json() and "encryptedToken" in again.get_json()
