"""OAuth connect (SPEC section 5): one-time state + PKCE, the browser round trip, tokens stored encrypted."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlparse

import requests

from tests.fixtures.connect import RETURN_URL, code_and_state, connect_oauth


def _start(shim, tenant_id, actor=12):
    answer = shim.as_tenant(tenant_id, actor).post("/v1/tenant/zoom/connect", json={"return_url": RETURN_URL})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["authorize_url"]


def _consent(authorize_url, email):
    """The Zoom consent as a browser does it: open the page, submit the sign-in/Allow form, read the redirect."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200 and 'id="allow"' in page.text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    action = urljoin(page.url, re.search(r'<form method="post" action="([^"]*)"', page.text).group(1))
    allowed = browser.post(action, data={**hidden, "email": email, "password": ""}, allow_redirects=False,
                           timeout=10)
    assert allowed.status_code == 302, allowed.text
    return allowed.headers["Location"]


def test_browser_round_trip_connects_the_tenant_and_stores_tokens_encrypted(shim, db, world, emulator_account,
                                                                         platform_oauth):
    authorize_url = _start(shim, world.tenant_id)
    query = parse_qs(urlparse(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == [platform_oauth["client_id"]]
    assert query["redirect_uri"] == ["http://wordpress.test/?booknetic_action=zoom_oauth_callback"]

    location = _consent(authorize_url, emulator_account.admin["email"])
    assert location.startswith("http://wordpress.test/?booknetic_action=zoom_oauth_callback&")
    code, state = code_and_state(location)
    answer = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": state})

    assert answer.status_code == 200
    assert answer.get_json() == {"tenant_id": world.tenant_id, "return_url": RETURN_URL,
                                 "message": "Your Zoom account has been connected"}
    row = db.query_one("SELECT * FROM {connections} WHERE tenant_id = %(t)s", {"t": world.tenant_id})
    assert (row["method"], row["status"]) == ("oauth", "connected")
    assert row["zoom_account_id"] == emulator_account.account_id
    assert row["zoom_user_id"] == emulator_account.admin["id"]
    assert row["zoom_user_email"] == emulator_account.admin["email"]
    assert row["client_id"] == platform_oauth["client_id"]
    assert row["access_token_enc"] and row["refresh_token_enc"]
    assert not row["access_token_enc"].startswith("eyJ") and "eyJ" not in row["refresh_token_enc"]
    status = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom").get_json()
    assert status["connected"] is True and status["connected_method"] == "oauth"
    assert status["account_email"] == emulator_account.admin["email"]


def test_stored_tokens_are_the_ones_zoom_granted_and_work(shim, app, world, emulator, emulator_account,
                                                          platform_oauth):
    connect_oauth(shim, world.tenant_id, emulator_account.admin["email"])
    users = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom/users")
    assert users.status_code == 200
    assert emulator.counters()["token_requests"] == {"authorization_code": 1}


def test_state_is_one_time_and_stored_only_as_a_hash(shim, db, world, emulator_account, platform_oauth):
    authorize_url = _start(shim, world.tenant_id)
    state = parse_qs(urlparse(authorize_url).query)["state"][0]
    rows = db.query("SELECT * FROM {oauth_states}")
    assert len(rows) == 1 and rows[0]["state_hash"] != state and state not in str(rows[0])
    assert rows[0]["tenant_id"] == world.tenant_id and rows[0]["wp_user_id"] == 12
    location = _consent(authorize_url, emulator_account.admin["email"])
    code, _ = code_and_state(location)
    first = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": state})
    again = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": state})
    assert first.status_code == 200
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_state"


def test_forged_state_is_refused_and_stores_nothing(shim, db, world, emulator, emulator_account, platform_oauth):
    authorize_url = _start(shim, world.tenant_id)
    code, _ = code_and_state(_consent(authorize_url, emulator_account.admin["email"]))
    answer = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": "forged-state-1234"})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_state"
    assert db.query("SELECT * FROM {connections}") == []
    assert emulator.counters().get("token_requests", {}) == {}


def test_expired_state_is_refused(shim, db, world, emulator_account, platform_oauth):
    authorize_url = _start(shim, world.tenant_id)
    code, state = code_and_state(_consent(authorize_url, emulator_account.admin["email"]))
    db.execute("UPDATE {oauth_states} SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND")
    answer = shim.as_tenant("platform").post("/v1/oauth/callback", json={"code": code, "state": state})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_state"
    assert db.query("SELECT * FROM {connections}") == []


def test_state_expires_ten_minutes_after_connect(shim, db, world, platform_oauth):
    _start(shim, world.tenant_id)
    row = db.query_one("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), expires_at) AS s FROM {oauth_states}")
    assert 590 <= row["s"] <= 600


def test_state_of_another_wordpress_user_is_refused(shim, db, world, emulator_account, platform_oauth):
    authorize_url = _start(shim, world.tenant_id, actor=12)
    code, state = code_and_state(_consent(authorize_url, emulator_account.admin["email"]))
    answer = shim.as_tenant("platform", actor=13).post("/v1/oauth/callback", json={"code": code, "state": state})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_state"
    assert db.query("SELECT * FROM {connections}") == []


def test_connecting_another_zoom_account_replaces_the_connection_and_revokes_the_old_tokens(
        shim, db, world, emulator, emulator_account, platform_oauth):
    connect_oauth(shim, world.tenant_id, emulator_account.admin["email"])
    other = emulator.seed_account()
    other_user = emulator.seed_user(other, "owner@other.example", "Olga", "Owner", role_name="Owner")
    connect_oauth(shim, world.tenant_id, "owner@other.example")
    rows = db.query("SELECT zoom_account_id, zoom_user_id FROM {connections}")
    assert rows == [{"zoom_account_id": other, "zoom_user_id": other_user["id"]}]
    assert len(emulator.calls(endpoint="revoke")) == 1


def test_reconnecting_the_same_zoom_user_does_not_revoke(shim, world, emulator, emulator_account, platform_oauth):
    connect_oauth(shim, world.tenant_id, emulator_account.admin["email"])
    connect_oauth(shim, world.tenant_id, emulator_account.admin["email"])
    assert emulator.calls(endpoint="revoke") == []
    assert shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom/users").status_code == 200


def test_connect_needs_the_oauth_method_and_an_app(shim, world, oauth_app):
    from tests.fixtures.connect import configure_platform

    configure_platform(shim, method="s2s")
    answer = shim.as_tenant(world.tenant_id).post("/v1/tenant/zoom/connect", json={"return_url": RETURN_URL})
    assert answer.status_code == 409 and answer.get_json()["error"] == "wrong_method"
    configure_platform(shim, method="oauth")
    answer = shim.as_tenant(world.tenant_id).post("/v1/tenant/zoom/connect", json={"return_url": RETURN_URL})
    assert answer.status_code == 409 and answer.get_json()["error"] == "platform_not_configured"


def test_disconnect_forgets_tokens_revokes_and_keeps_meetings(shim, db, world, emulator, connected_tenant):
    db.execute("""INSERT INTO {meetings} (tenant_id, appointment_id, zoom_meeting_id, state)
                  VALUES (%(t)s, 1, 123, 'active')""", {"t": world.tenant_id})
    answer = shim.as_tenant(world.tenant_id).delete("/v1/tenant/zoom")
    assert answer.status_code == 200
    assert answer.get_json()["connected"] is False and answer.get_json()["meetings"]["active"] == 1
    assert db.query("SELECT * FROM {connections}") == []
    assert len(db.query("SELECT * FROM {meetings}")) == 1
    revokes = emulator.calls(endpoint="revoke")
    assert len(revokes) == 1 and revokes[0]["status"] == 200
    users = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom/users")
    assert users.status_code == 409 and users.get_json()["error"] == "not_connected"


def test_users_lists_every_page_of_the_connected_account(shim, emulator, connected_tenant):
    account = connected_tenant.account
    for n in range(301):
        emulator.seed_user(account.account_id, f"staff{n}@acme.example", f"S{n}", "Staff")
    emulator.seed_user(account.account_id, "invited@acme.example", "Ivy", "Invited", status="pending")
    answer = shim.as_tenant(connected_tenant.tenant_id).get("/v1/tenant/zoom/users")
    assert answer.status_code == 200
    users = answer.get_json()["users"]
    assert len(users) == 4 + 301 and len({u["id"] for u in users}) == 305
    assert "invited@acme.example" not in {u["email"] for u in users}
    bob = next(u for u in users if u["email"] == account.users[0]["email"])
    assert bob == {"id": account.users[0]["id"], "email": account.users[0]["email"], "first_name": "Bob",
                   "last_name": "Staff", "display_name": "Bob Staff", "status": "active", "type": 2,
                   "licence": "Licensed"}
    assert len(emulator.calls(endpoint="list_users")) == 2  # 300 per page
