"""Server-to-Server connect (SPEC section 5): credentials checked with a token before saving; 422 names the field."""
from __future__ import annotations

import pytest

from tests.fixtures.connect import configure_platform


@pytest.fixture
def s2s_platform(shim, db):
    configure_platform(shim, method="s2s")


def _credentials(account, **changes):
    return {"account_id": account.account_id, "client_id": account.s2s_app["client_id"],
            "client_secret": account.s2s_app["client_secret"], **changes}


def test_good_credentials_connect_and_are_stored_encrypted(shim, db, world, emulator, emulator_account,
                                                          s2s_platform):
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=_credentials(emulator_account))
    assert answer.status_code == 200
    status = answer.get_json()
    assert status["connected"] is True and status["connected_method"] == "s2s" and status["method"] == "s2s"
    assert status["account_id"] == emulator_account.account_id
    assert emulator_account.s2s_app["client_secret"] not in answer.get_data(as_text=True)
    row = db.query_one("SELECT * FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id})
    assert (row["method"], row["client_id"]) == ("s2s", emulator_account.s2s_app["client_id"])
    assert emulator_account.s2s_app["client_secret"] not in str(row)
    assert row["access_token_enc"] and row["refresh_token_enc"] is None
    assert emulator.counters()["token_requests"] == {"account_credentials": 1}


def test_cached_s2s_token_is_reused_for_zoom_calls(shim, world, emulator, emulator_account, s2s_platform):
    shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=_credentials(emulator_account))
    for _ in range(3):
        users = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom/users")
        assert users.status_code == 200
    emails = sorted(u["email"] for u in users.get_json()["users"])
    assert emails == sorted([emulator_account.admin["email"]] + [u["email"] for u in emulator_account.users])
    assert emulator.counters()["token_requests"] == {"account_credentials": 1}


@pytest.mark.parametrize("changes, field", [
    ({"account_id": "NotTheAccount123"}, "account_id"),
    ({"client_secret": "wrong-secret"}, "client_secret"),
    ({"client_id": "wrong-client-id"}, "client_secret"),
])
def test_refused_credentials_name_the_field_and_save_nothing(shim, db, world, emulator_account, s2s_platform,
                                                             changes, field):
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials",
                                                 json=_credentials(emulator_account, **changes))
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["field"] == field
    if field == "client_secret":
        assert "Client ID or Client Secret" in body["message"]
    assert db.query("SELECT * FROM {connections}") == []


@pytest.mark.parametrize("missing", ["account_id", "client_id", "client_secret"])
def test_missing_field_is_a_400_naming_it(shim, db, world, emulator_account, s2s_platform, missing):
    body = _credentials(emulator_account)
    del body[missing]
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=body)
    assert answer.status_code == 400 and answer.get_json()["field"] == missing


def test_zoom_down_answers_503_and_saves_nothing(shim, db, world, emulator, emulator_account, s2s_platform):
    emulator.fail_next(count=10, status=503, endpoint="token")
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=_credentials(emulator_account))
    assert answer.status_code == 503 and answer.get_json()["error"] == "zoom_unavailable"
    assert db.query("SELECT * FROM {connections}") == []


def test_switching_the_platform_method_keeps_existing_connections_working(shim, world, booknetic, emulator,
                                                                         emulator_account, oauth_app):
    from tests.fixtures.connect import connect_oauth

    configure_platform(shim, method="s2s")
    shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=_credentials(emulator_account))
    other = booknetic.world(domain="beta")
    configure_platform(shim, method="oauth", app=oauth_app)
    connect_oauth(shim, other.tenant_id, emulator_account.users[0]["email"])
    emulator.expire_tokens()
    s2s_status = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom").get_json()
    assert (s2s_status["method"], s2s_status["connected_method"]) == ("oauth", "s2s")
    assert shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom/users").status_code == 200
    assert shim.as_tenant(other.tenant_id).get("/v1/tenant/zoom/users").status_code == 200
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/credentials", json=_credentials(emulator_account))
    assert answer.status_code == 409 and answer.get_json()["error"] == "wrong_method"
