"""Platform settings (SPEC section 4): method, OAuth app and webhook secret; secrets write-only and encrypted."""
from __future__ import annotations

import pytest

FULL = {"enabled": True, "method": "oauth", "client_id": "platform-app-id", "client_secret": "app-secret-value-1",
        "webhook_secret_token": "webhook-secret-value-1"}


def test_get_shows_defaults_and_the_urls_to_register(shim, db):
    answer = shim.as_tenant("platform").get("/v1/platform/zoom")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "enabled": False, "method": "oauth", "client_id": None, "client_secret_set": False,
        "webhook_secret_token_set": False,
        "redirect_uri": "http://wordpress.test/?booknetic_action=zoom_oauth_callback",
        "webhook_url": "http://wordpress.test/?booknetic_action=zoom_webhook"}


def test_saved_secrets_are_write_only_and_encrypted_at_rest(shim, db):
    platform = shim.as_tenant("platform")
    saved = platform.put("/v1/platform/zoom", json=FULL)
    assert saved.status_code == 200
    shown = platform.get("/v1/platform/zoom").get_json()
    assert shown["enabled"] is True and shown["client_id"] == "platform-app-id"
    assert shown["client_secret_set"] is True and shown["webhook_secret_token_set"] is True
    for answer in (saved, platform.get("/v1/platform/zoom")):
        assert "app-secret-value-1" not in answer.get_data(as_text=True)
        assert "webhook-secret-value-1" not in answer.get_data(as_text=True)
    row = db.query_one("SELECT * FROM {settings} WHERE tenant_id = 0")
    assert "app-secret-value-1" not in str(row) and "webhook-secret-value-1" not in str(row)
    assert row["client_secret_enc"] and row["webhook_secret_enc"]


def test_omitted_secrets_stay_unchanged(shim, db, app):
    from sidecar import context
    from sidecar.store import settings

    platform = shim.as_tenant("platform")
    platform.put("/v1/platform/zoom", json=FULL)
    platform.put("/v1/platform/zoom", json={"enabled": True, "method": "s2s", "client_id": "other-id"})
    with app.app_context():
        ctx = context.current()
        stored = settings.platform(ctx.db, ctx.crypto)
    assert (stored.method, stored.client_id) == ("s2s", "other-id")
    assert stored.client_secret == "app-secret-value-1"
    assert stored.webhook_secret_token == "webhook-secret-value-1"


@pytest.mark.parametrize("body, field", [
    ({"method": "zoom"}, "method"),
    ({"enabled": "yes"}, "enabled"),
    ({"client_id": 12}, "client_id"),
    ({"client_secret": ["x"]}, "client_secret"),
    ({"webhook_secret_token": "x" * 300}, "webhook_secret_token"),
    ({"redirect_uri": "http://evil.test"}, "redirect_uri"),
])
def test_bad_input_is_refused_naming_the_field(shim, db, body, field):
    answer = shim.as_tenant("platform").put("/v1/platform/zoom", json=body)
    assert answer.status_code == 400
    assert answer.get_json()["field"] == field
    assert db.query("SELECT * FROM {settings}") == []


def test_tenants_cannot_read_or_change_platform_settings(shim, db, world):
    tenant = shim.as_tenant(world.tenant_id)
    assert tenant.get("/v1/platform/zoom").status_code == 403
    answer = tenant.put("/v1/platform/zoom", json=FULL)
    assert answer.status_code == 403 and answer.get_json()["error"] == "platform_required"
    assert db.query("SELECT * FROM {settings}") == []


def test_tenant_settings_default_and_save(shim, world):
    tenant = shim.as_tenant(world.tenant_id)
    options = {"use_host_defaults": True, "waiting_room": False, "join_before_host": False, "mute_upon_entry": False,
               "auto_recording": "none", "meetings_for": "pending_and_approved"}
    assert tenant.get("/v1/tenant/zoom/settings").get_json() == {
        "enabled": True, "meeting_title": "{service_name} with {customer_full_name}",
        "meeting_agenda": "Appointment #{appointment_id}", "random_password": True, **options}
    saved = tenant.put("/v1/tenant/zoom/settings", json={"enabled": False, "meeting_title": "Call {service_name}",
                                                          "random_password": False})
    assert saved.status_code == 200
    assert tenant.get("/v1/tenant/zoom/settings").get_json() == {
        "enabled": False, "meeting_title": "Call {service_name}", "meeting_agenda": "Appointment #{appointment_id}",
        "random_password": False, **options}


@pytest.mark.parametrize("body, field", [
    ({"enabled": 1}, "enabled"), ({"meeting_title": ""}, "meeting_title"),
    ({"meeting_agenda": "x" * 2001}, "meeting_agenda"), ({"colour": "red"}, "colour"),
])
def test_bad_tenant_settings_are_refused_naming_the_field(shim, world, body, field):
    answer = shim.as_tenant(world.tenant_id).put("/v1/tenant/zoom/settings", json=body)
    assert answer.status_code == 400 and answer.get_json()["field"] == field
