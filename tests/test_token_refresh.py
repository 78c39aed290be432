"""Token refresh (SPEC section 5): once per expiry across all processes, the rotated refresh token stored in
the same transaction, invalid_grant -> needs_reconnect; no token or secret in logs or answers."""
from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import Counter

import pymysql
import pytest

from sidecar import context
from sidecar.database import Database
from sidecar.errors import NeedsReconnect, NotConnected
from sidecar.services.tokens import TenantTokens
from sidecar.store import connections
from tests.fixtures.database import MYSQL, make_config

PROCESSES, THREADS = 4, 50


def _stored(app, tenant_id):
    with app.app_context():
        ctx = context.current()
        return connections.get(ctx.db, ctx.crypto, tenant_id)


def _expire_in_db(db, tenant_id):
    """Make our copy of the access token due (Zoom's still works), as if its hour were up."""
    db.execute("UPDATE {connections} SET access_expires_at = UTC_TIMESTAMP(6) + INTERVAL 5 SECOND "
               "WHERE tenant_id = %(t)s", {"t": tenant_id})


def _grants(emulator):
    return emulator.counters().get("token_requests", {})


def test_due_token_is_refreshed_and_the_rotated_refresh_token_stored(app, shim, db, emulator, connected_tenant):
    tid = connected_tenant.tenant_id
    before = _stored(app, tid)
    _expire_in_db(db, tid)
    assert shim.as_tenant(tid).get("/v1/tenant/zoom/users").status_code == 200
    after = _stored(app, tid)
    assert after.access_token != before.access_token and after.refresh_token != before.refresh_token
    assert _grants(emulator) == {"authorization_code": 1, "refresh_token": 1}
    assert shim.as_tenant(tid).get("/v1/tenant/zoom/users").status_code == 200
    assert _grants(emulator)["refresh_token"] == 1  # the new token is reused, not refreshed again


def test_token_zoom_rejects_is_renewed_once_and_the_call_retried(shim, emulator, connected_tenant):
    emulator.expire_tokens(client_id=connected_tenant.app["client_id"])
    assert shim.as_tenant(connected_tenant.tenant_id).get("/v1/tenant/zoom/users").status_code == 200
    assert _grants(emulator) == {"authorization_code": 1, "refresh_token": 1}


def test_revoked_refresh_token_marks_the_connection_needs_reconnect(app, shim, db, emulator, connected_tenant, caplog):
    tid = connected_tenant.tenant_id
    emulator.revoke_tokens(client_id=connected_tenant.app["client_id"])
    _expire_in_db(db, tid)
    with caplog.at_level(logging.INFO, logger="sidecar"):
        answer = shim.as_tenant(tid).get("/v1/tenant/zoom/users")
    assert answer.status_code == 409 and answer.get_json()["error"] == "needs_reconnect"
    assert [r for r in caplog.records if r.getMessage() == "connection_needs_reconnect" and r.tenant == tid]
    status = shim.as_tenant(tid).get("/v1/tenant/zoom").get_json()
    assert status["needs_reconnect"] is True and status["connected"] is False
    with app.app_context():
        ctx = context.current()
        assert TenantTokens(ctx, tid).connection().connected is False
        with pytest.raises(NeedsReconnect):
            TenantTokens(ctx, tid).access_token()
    assert _grants(emulator)["refresh_token"] == 1  # no second try with a dead grant


def test_reconnecting_clears_needs_reconnect(shim, db, emulator, emulator_account, connected_tenant):
    from tests.fixtures.connect import connect_oauth

    tid = connected_tenant.tenant_id
    db.execute("UPDATE {connections} SET status = 'needs_reconnect' WHERE tenant_id = %(t)s", {"t": tid})
    connect_oauth(shim, tid, emulator_account.admin["email"])
    assert shim.as_tenant(tid).get("/v1/tenant/zoom").get_json()["connected"] is True


def test_not_connected_tenant_has_no_tokens(app, world):
    with app.app_context():
        ctx = context.current()
        assert TenantTokens(ctx, world.tenant_id).connection() is None
        with pytest.raises(NotConnected):
            TenantTokens(ctx, world.tenant_id).access_token()


def _contend(db_name: str, key: str, zoom_url: str, tenant_id: int, start: multiprocessing.Barrier,
             results: multiprocessing.Queue) -> None:
    """One process: THREADS threads, each with its own Database and Context, ask for the token at once."""
    config = make_config(db_name, keys=(key,), zoom_url=zoom_url)
    ready = threading.Barrier(THREADS + 1)
    found: list[str] = []

    def ask():
        db = Database(config.database, connect_timeout=30)
        ctx = context.build(config, db)
        db.query_one("SELECT 1 AS x")  # connect before the start, so the race is about the token only
        ready.wait()
        try:
            found.append(TenantTokens(ctx, tenant_id).access_token())
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a failure
            found.append(f"ERROR {type(exc).__name__}: {exc}")
        finally:
            db.close()
            ctx.zoom.close()

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for t in threads:
        t.start()
    start.wait()
    ready.wait()
    for t in threads:
        t.join()
    results.put(found)


@pytest.fixture
def room_for_200_sessions():
    """4 x 50 threads hold one MariaDB session each at the same time; make sure the server allows that."""
    conn = pymysql.connect(**MYSQL, autocommit=True)
    with conn.cursor() as cur:
        cur.execute("SELECT @@GLOBAL.max_connections")
        before = cur.fetchone()[0]
        if before < 400:
            cur.execute("SET GLOBAL max_connections = 400")
    yield
    if before < 400:
        with conn.cursor() as cur:
            cur.execute(f"SET GLOBAL max_connections = {int(before)}")
    conn.close()


def test_refresh_happens_once_across_processes(app, db, db_name, encryption_key, emulator, connected_tenant,
                                               room_for_200_sessions):
    tid = connected_tenant.tenant_id
    old = _stored(app, tid)
    _expire_in_db(db, tid)
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(PROCESSES), spawn.Queue()
    procs = [spawn.Process(target=_contend, args=(db_name, encryption_key, emulator.url, tid, start, results))
             for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    answers = [token for _ in procs for token in results.get(timeout=120)]
    for p in procs:
        p.join(timeout=30)

    grants = _grants(emulator)
    print(f"\n{PROCESSES} processes x {THREADS} threads: token endpoint calls by grant {grants}")
    assert len(answers) == PROCESSES * THREADS
    assert [a for a in answers if a.startswith("ERROR")] == []
    new = _stored(app, tid)
    assert Counter(answers) == {new.access_token: PROCESSES * THREADS}
    assert new.access_token != old.access_token and new.refresh_token != old.refresh_token
    assert grants == {"authorization_code": 1, "refresh_token": 1}


def test_no_token_or_secret_in_logs_or_answers(app, shim, db, emulator, emulator_account, booknetic, caplog):
    from tests.fixtures.connect import WEBHOOK_SECRET, configure_platform, connect_oauth

    caplog.set_level(logging.DEBUG)
    oauth_app = emulator.seed_oauth_app("http://wordpress.test/?booknetic_action=zoom_oauth_callback")
    answers = [configure_platform(shim, app=oauth_app)]
    a = booknetic.world(domain="alpha").tenant_id
    answers.append(connect_oauth(shim, a, emulator_account.admin["email"]))
    first = _stored(app, a)
    _expire_in_db(db, a)
    tenant = shim.as_tenant(a)
    for path in ("/v1/tenant/zoom/users", "/v1/tenant/zoom", "/v1/platform/zoom"):
        answers.append((shim.as_tenant("platform") if "platform" in path else tenant).get(path).get_json())
    second = _stored(app, a)
    configure_platform(shim, method="s2s")
    b = booknetic.world(domain="beta").tenant_id
    s2s = emulator_account.s2s_app
    answers.append(shim.as_tenant(b).put("/v1/tenant/zoom/credentials", json={
        "account_id": emulator_account.account_id, "client_id": s2s["client_id"], "client_secret": "bad-secret"
    }).get_json())
    answers.append(shim.as_tenant(b).put("/v1/tenant/zoom/credentials", json={
        "account_id": emulator_account.account_id, "client_id": s2s["client_id"], "client_secret": s2s["client_secret"]
    }).get_json())
    third = _stored(app, b)
    answers.append(tenant.delete("/v1/tenant/zoom").get_json())

    secrets = [oauth_app["client_secret"], WEBHOOK_SECRET, s2s["client_secret"], first.access_token,
               first.refresh_token, second.access_token, second.refresh_token, third.access_token]
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "token_refreshed" in logged and "connection_made" in logged
    for secret in secrets:
        assert secret and secret not in logged
        assert secret not in str(answers)
