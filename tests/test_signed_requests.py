"""Only the shim may call the sidecar: every badly signed request is refused with a JSON error and
changes nothing (SPEC section 4)."""
import json

import pytest

from sidecar.app import create_app
from sidecar.signing import signature
from sidecar.store import nonces
from tests.fixtures.app import signed_headers

PATH_TEMPLATE = "/v1/tenant/services/{}/zoom"


def test_spec_test_vectors():
    body = b'{"enabled":true}'
    assert signature("test-secret", "1767225600", "PUT", "/v1/tenant/services/7/zoom", "3", "12", body) == \
        "e1fa3c5dfa69162921238e0a40ffe2ad66d66122f792a6543ff9a766685733f3"
    assert signature("test-secret", "1767225600", "GET", "/v1/tenant/zoom/users?page=2", "3", "12", b"") == \
        "b89a94cd08b07a086a85701a0d6d03041f6f6a83fc1bc4e09364e4ec9e917adb"


@pytest.fixture
def toggle(world):
    path = PATH_TEMPLATE.format(world.service_id)
    body = json.dumps({"enabled": True}).encode()
    return path, body, signed_headers("PUT", path, body, tenant=str(world.tenant_id))


def service_rows(booknetic, world):
    return booknetic.data_rows("services", world.service_id, "activate_zoom")


def nonce_count(db):
    return db.query_one("SELECT COUNT(*) AS n FROM {nonces}")["n"]


def test_signed_request_is_accepted(client, booknetic, world, toggle):
    path, body, headers = toggle
    answer = client.put(path, data=body, headers=headers)
    assert answer.status_code == 200, answer.json
    assert service_rows(booknetic, world)[0]["data_value"] == "1"


def tamper_cases(world, path, body, headers):
    other_tenant = str(world.tenant_id + 1000)
    no_signature = {k: v for k, v in headers.items() if k != "X-BKZ-Signature"}
    return {
        "no signature": (path, body, no_signature, "unsigned"),
        "wrong signature": (path, body, {**headers, "X-BKZ-Signature": "0" * 64}, "bad_signature"),
        "stale timestamp": (path, body, signed_headers("PUT", path, body, tenant=str(world.tenant_id),
                                                       ts=1767225600), "stale_request"),
        "body changed after signing": (path, json.dumps({"enabled": False}).encode(), headers, "bad_signature"),
        "tenant changed after signing": (path, body, {**headers, "X-BKZ-Tenant": other_tenant}, "bad_signature"),
        "path changed after signing": (PATH_TEMPLATE.format(world.service_id + 1), body, headers, "bad_signature"),
        "signed with another secret": (path, body, signed_headers("PUT", path, body, tenant=str(world.tenant_id),
                                                                  secret="not-the-shared-secret-at-all"),
                                       "bad_signature"),
    }


@pytest.mark.parametrize("case", ["no signature", "wrong signature", "stale timestamp", "body changed after signing",
                                  "tenant changed after signing", "path changed after signing",
                                  "signed with another secret"])
def test_tampered_request_is_refused_and_writes_nothing(client, db, booknetic, world, toggle, case):
    path, body, headers, code = tamper_cases(world, *toggle)[case]
    answer = client.put(path, data=body, headers=headers)
    assert answer.status_code == 401
    assert answer.json["error"] == code and answer.json["message"]
    assert service_rows(booknetic, world) == []
    assert nonce_count(db) == 0


def test_replayed_nonce_is_refused(client, booknetic, world, toggle):
    path, body, headers = toggle
    assert client.put(path, data=body, headers=headers).status_code == 200
    booknetic.db.execute("DELETE FROM {data}")
    replay = client.put(path, data=body, headers=headers)
    assert replay.status_code == 401 and replay.json["error"] == "replayed_request"
    assert service_rows(booknetic, world) == []


def test_replayed_nonce_is_refused_by_another_worker(app, client, booknetic, world, toggle):
    """Each gunicorn worker (and host) has its own connection: the guard lives in the shared database."""
    path, body, headers = toggle
    assert client.put(path, data=body, headers=headers).status_code == 200
    other_worker = create_app(app.config["BKZ"]).test_client()
    replay = other_worker.put(path, data=body, headers=headers)
    assert replay.status_code == 401 and replay.json["error"] == "replayed_request"


def test_request_signed_before_the_database_started_is_refused(db):
    """A restart of MariaDB empties the nonce table (MEMORY), so nonces signed before it may be forgotten."""
    started = db.query_one("SELECT UNIX_TIMESTAMP() - VARIABLE_VALUE AS t FROM information_schema.GLOBAL_STATUS"
                           " WHERE VARIABLE_NAME = 'UPTIME'")["t"]
    assert not nonces.remember(db, "n" * 20, keep_seconds=600, signed_at=int(started) - 1)
    assert nonces.remember(db, "m" * 20, keep_seconds=600, signed_at=int(started) + 1)
    assert nonce_count(db) == 1


def test_tenant_smuggled_in_the_body_is_refused(client, db, booknetic, world):
    path = PATH_TEMPLATE.format(world.service_id)
    body = json.dumps({"enabled": True, "tenant_id": world.tenant_id}).encode()
    answer = client.put(path, data=body, headers=signed_headers("PUT", path, body, tenant=str(world.tenant_id)))
    assert answer.status_code == 403 and answer.json["error"] == "tenant_in_body"
    assert service_rows(booknetic, world) == [] and nonce_count(db) == 0


def test_tenant_cannot_touch_another_tenants_service(shim, booknetic, world):
    other = booknetic.world(domain="other")
    answer = shim.as_tenant(world.tenant_id).put(PATH_TEMPLATE.format(other.service_id), {"enabled": True})
    assert answer.status_code == 404 and answer.json["error"] == "unknown_service"
    assert booknetic.data_rows("services", other.service_id, "activate_zoom") == []


def test_platform_signature_is_not_a_tenant(shim, booknetic, world):
    answer = shim.put(PATH_TEMPLATE.format(world.service_id), {"enabled": True})
    assert answer.status_code == 403 and answer.json["error"] == "tenant_required"


def test_unknown_route_answers_json(shim):
    answer = shim.get("/v1/nothing-here")
    assert answer.status_code == 404 and answer.json["error"] == "not_found"


def test_oversized_body_is_refused_unread(client, db):
    from sidecar.app import MAX_BODY_BYTES

    path, body = "/v1/tenant/shortcodes/expand", b"x" * (MAX_BODY_BYTES + 1)
    answer = client.post(path, data=body, headers=signed_headers("POST", path, body, tenant="3"))
    assert answer.status_code == 413 and answer.json["error"] == "request_entity_too_large"
    assert nonce_count(db) == 0
