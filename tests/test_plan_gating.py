"""Plan gating (SPEC section 5): without the zoom capability every tenant call is 403 plan_lacks_zoom,
except GET /v1/tenant/zoom, which answers available: false so the shim hides the menu."""
from __future__ import annotations

import pytest

CALLS = [
    ("POST", "/v1/tenant/zoom/connect", {"return_url": "http://wordpress.test/x"}),
    ("PUT", "/v1/tenant/zoom/credentials", {"account_id": "a", "client_id": "b", "client_secret": "c"}),
    ("DELETE", "/v1/tenant/zoom", None),
    ("GET", "/v1/tenant/zoom/users", None),
    ("GET", "/v1/tenant/zoom/settings", None),
    ("PUT", "/v1/tenant/zoom/settings", {"enabled": False}),
]


@pytest.fixture
def no_zoom_tenant(booknetic):
    return booknetic.world(zoom_plan=False, domain="basic").tenant_id


def test_status_answers_available_false_without_the_capability(shim, no_zoom_tenant, platform_oauth):
    answer = shim.as_tenant(no_zoom_tenant).get("/v1/tenant/zoom")
    assert answer.status_code == 200
    assert answer.get_json() == {"available": False, "method": "oauth", "connected_method": None,
                                 "connected": False, "needs_reconnect": False, "account_email": None,
                                 "account_id": None, "queued": 0,
                                 "meetings": {"active": 0, "failed": 0, "longer_than_basic_limit": 0}}


def test_status_answers_available_true_with_the_capability(shim, world):
    assert shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom").get_json()["available"] is True


@pytest.mark.parametrize("method, path, body", CALLS)
def test_every_other_tenant_call_is_refused_without_the_capability(shim, db, emulator, no_zoom_tenant,
                                                                   platform_oauth, method, path, body):
    answer = shim.as_tenant(no_zoom_tenant).request(method, path, body)
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "plan_lacks_zoom"
    assert db.query("SELECT * FROM {settings} WHERE tenant_id = %(t)s", {"t": no_zoom_tenant}) == []
    assert db.query("SELECT * FROM {oauth_states}") == []
    assert emulator.calls() == []


def test_losing_the_capability_keeps_the_connection_but_refuses_calls(shim, db, booknetic, connected_tenant):
    basic = booknetic.plan(zoom=False, name="Basic")
    db.execute("UPDATE {tenants} SET plan_id = %(p)s WHERE id = %(t)s", {"p": basic, "t": connected_tenant.tenant_id})
    tenant = shim.as_tenant(connected_tenant.tenant_id)
    status = tenant.get("/v1/tenant/zoom").get_json()
    assert status["available"] is False and status["connected"] is True
    assert tenant.get("/v1/tenant/zoom/users").status_code == 403


def test_counts_show_active_and_failed_meetings_and_queued_jobs(shim, db, world):
    for appointment, state in ((1, "active"), (2, "active"), (3, "failed"), (4, "deleted")):
        db.execute("INSERT INTO {meetings} (tenant_id, appointment_id, state) VALUES (%(t)s, %(a)s, %(s)s)",
                   {"t": world.tenant_id, "a": appointment, "s": state})
    db.execute("INSERT INTO {jobs} (tenant_id, appointment_id) VALUES (%(t)s, 9)", {"t": world.tenant_id})
    status = shim.as_tenant(world.tenant_id).get("/v1/tenant/zoom").get_json()
    assert status["meetings"] == {"active": 2, "failed": 1, "longer_than_basic_limit": 0} and status["queued"] == 1
