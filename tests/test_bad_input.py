"""Input anyone can send answers a 4xx with a JSON error and changes nothing: the inputs a fault-injection
run found answering 500 (issue 16), each on every route it applies to. The fuzz in test_bad_input_fuzz.py
tries many more; these stay as named regressions."""
from __future__ import annotations

import json
import time

import pytest

from sidecar.services.webhooks import zoom_signature
from tests.fixtures.app import signed_headers
from tests.fixtures.connect import WEBHOOK_SECRET, configure_platform
from tests.fixtures.database import table_checksums as state

DEEP = b"[" * 100_000
CREDENTIALS = ("account_id", "client_id", "client_secret")
PASTED = {"zero-width space": "abc\u200bdef", "curly quote": "abc\u2019def", "emoji": "abc\U0001f600def"}


def json_operations(client) -> list[tuple[str, str, dict]]:
    """(method, path template, operation) of every described route that takes a JSON body."""
    paths = client.get("/openapi.json").get_json()["paths"]
    found = [(method.upper(), path, op) for path, ops in paths.items() for method, op in ops.items()
             if "application/json" in op.get("requestBody", {}).get("content", {})]
    assert len(found) >= 9  # every PUT/POST of SPEC section 4, the webhook included
    return found


def concrete(path: str, world) -> str:
    """A template's path with the world's own ids (so only the body can be at fault)."""
    return (path.replace("{appointment_id}", "1").replace("{staff_id}", str(world.staff_id))
            .replace("{service_id}", str(world.service_id)))


def signer_for(path: str, world) -> str:
    return "platform" if path.startswith(("/v1/platform", "/v1/zoom", "/v1/oauth")) else str(world.tenant_id)


def assert_json_error(answer, status: int | tuple[int, ...] = (400, 401, 403, 404, 409, 413, 422)):
    statuses = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in statuses, (answer.status_code, answer.get_data(as_text=True)[:300])
    body = answer.get_json()
    assert isinstance(body, dict) and body["error"] and body["message"], body
    return body


@pytest.fixture
def ready(shim, world, platform_oauth, db):
    """A tenant whose plan has Zoom, the platform configured with a webhook secret."""
    return world


def test_deeply_nested_json_on_every_json_route(client, shim, db, ready):
    before = state(db)
    for method, path, _ in json_operations(client):
        target = concrete(path, ready)
        answer = shim.as_tenant(signer_for(path, ready)).request(method, target, body=DEEP)
        body = assert_json_error(answer, 400)
        assert "JSON" in body["message"], (path, body)
    assert state(db) == before


def test_deeply_nested_webhook_before_zoom_signature_is_checked(shim, db, ready):
    ts = str(int(time.time()))
    answer = shim.as_tenant("platform").post("/v1/zoom/webhook", body=DEEP, headers={
        "x-zm-request-timestamp": ts, "x-zm-signature": zoom_signature(WEBHOOK_SECRET, ts, DEEP)})
    assert_json_error(answer, 400)


def test_unicode_digit_zoom_timestamp_is_refused(shim, db, ready):
    body = json.dumps({"event": "app_deauthorized", "payload": {}}).encode()
    answer = shim.as_tenant("platform").post("/v1/zoom/webhook", body=body, headers={
        "x-zm-request-timestamp": "²", "x-zm-signature": zoom_signature(WEBHOOK_SECRET, "²", body)})
    assert assert_json_error(answer, 401)["error"] == "bad_webhook_signature"


def test_unicode_digit_shim_timestamp_is_refused(client, db, ready):
    path = f"/v1/tenant/services/{ready.service_id}/zoom"
    body = b'{"enabled":true}'
    headers = signed_headers("PUT", path, body, tenant=str(ready.tenant_id), ts="²")
    before = state(db)
    answer = client.put(path, data=body, headers=headers)
    assert_json_error(answer, 401)
    assert state(db) == before


@pytest.mark.parametrize("pasted", sorted(PASTED))
@pytest.mark.parametrize("name", CREDENTIALS)
def test_pasted_non_ascii_in_s2s_credentials_is_a_400_naming_the_field(shim, db, world, emulator_account, name,
                                                                        pasted):
    configure_platform(shim, method="s2s")
    credentials = {"account_id": emulator_account.account_id, "client_id": emulator_account.s2s_app["client_id"],
                   "client_secret": emulator_account.s2s_app["client_secret"]}
    credentials[name] = credentials[name][:4] + PASTED[pasted] + credentials[name][4:]
    before = state(db)
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=credentials)
    body = assert_json_error(answer, 400)
    assert body["field"] == name and "ASCII" in body["message"]
    assert state(db) == before


@pytest.mark.parametrize("name", ("client_id", "client_secret", "webhook_secret_token"))
def test_pasted_non_ascii_in_platform_app_credentials_is_a_400_naming_the_field(shim, db, name):
    before = state(db)
    answer = shim.as_tenant("platform").put("/v1/platform/zoom", json={name: "abc\u200bdef"})
    assert assert_json_error(answer, 400)["field"] == name
    assert state(db) == before


def string_fields(client) -> list[tuple[str, str, str]]:
    """(method, path template, field) for every string field of every JSON body described."""
    document = client.get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    found = []
    for method, path, op in json_operations(client):
        ref = op["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
        for name, prop in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}).items():
            kinds = [prop.get("type")] + [alt.get("type") for alt in prop.get("anyOf", [])]
            if "string" in kinds or "array" in kinds:
                found.append((method, path, name))
    assert len(found) >= 12
    return found


def test_lone_surrogate_in_any_string_field(client, shim, db, ready):
    before = state(db)
    for method, path, name in string_fields(client):
        raw = ('{"%s": "abc\\ud800"}' % name).encode()
        answer = shim.as_tenant(signer_for(path, ready)).request(method, concrete(path, ready), body=raw)
        assert_json_error(answer, 400)
    assert state(db) == before


@pytest.mark.parametrize("path", [
    "/v1/tenant/appointments/4294967296/sync",
    "/v1/tenant/appointments/99999999999999999999/sync",
    "/v1/tenant/appointments/0/sync",
    "/v1/tenant/appointments/-1/sync",
    "/v1/tenant/services/4294967296/zoom",
    "/v1/tenant/staff/4294967296/zoom-user",
])
def test_ids_out_of_range_are_not_found(shim, db, ready, path):
    before = state(db)
    answer = shim.as_tenant(ready.tenant_id).post(path, json={}) if path.endswith("sync") else \
        shim.as_tenant(ready.tenant_id).put(path, json={"enabled": True} if "services" in path else
                                            {"zoom_user_id": None})
    assert_json_error(answer, 404)
    assert state(db) == before


@pytest.mark.parametrize("header, value", [("tenant", "4294967296"), ("actor", "18446744073709551616")])
def test_signed_ids_beyond_their_columns_are_refused(client, db, ready, header, value):
    path = "/v1/tenant/zoom/connect"
    body = b'{"return_url": "http://wordpress.test/wp-admin/"}'
    who = {"tenant": str(ready.tenant_id), "actor": "12", header: value}
    before = state(db)
    answer = client.post(path, data=body, headers=signed_headers("POST", path, body, **who))
    assert assert_json_error(answer, 401)["error"] == "bad_signature"
    assert state(db) == before


@pytest.mark.parametrize("path, body, says", [
    ("/v1/tenant/appointments/1/sync", {"timeout": 0}, "timeout must be more than 0"),
    ("/v1/tenant/appointments/1/sync", {"timeout": 61}, "timeout must be at most 60"),
    ("/v1/tenant/appointments/1/sync", {"timeout": "2"}, "timeout must be a number"),
    ("/v1/tenant/shortcodes/expand", {"appointment_id": 0, "channel": "email", "audience": "customer",
                                      "texts": ["x"]}, "appointment_id must be at least 1"),
    ("/v1/tenant/shortcodes/expand", {"appointment_id": 4294967296, "channel": "email", "audience": "customer",
                                      "texts": ["x"]}, "appointment_id must be at most 4294967295"),
])
def test_a_number_out_of_its_range_says_which_bound(shim, db, ready, path, body, says):
    before = state(db)
    body = assert_json_error(shim.as_tenant(ready.tenant_id).post(path, json=body), 400)
    assert body["message"] == says and body["field"] == says.split()[0]
    assert state(db) == before
