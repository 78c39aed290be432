"""A platform running Booknetic's own Zoom add-on switches to the sidecar without anyone reconnecting."""
import pytest

from sidecar import context
from sidecar.services.import_addon import import_addon
from sidecar.services.tokens import TenantTokens
from sidecar.store import connections, settings


def php_serialize(data: dict) -> str:
    """PHP's serialize() of a flat array of strings and integers, as update_option stores it."""
    parts = []
    for key, value in data.items():
        parts.append(f's:{len(key.encode())}:"{key}";')
        parts.append(f"i:{value};" if isinstance(value, int) else f's:{len(value.encode())}:"{value}";')
    return f"a:{len(data)}:{{{''.join(parts)}}}"


@pytest.fixture
def addon_install(booknetic, world, emulator, emulator_account):
    """wp_options as the add-on leaves them: platform OAuth app, one tenant connected with a live grant."""
    app = emulator_account.oauth_app
    grant = emulator.issue_tokens(app["client_id"], emulator_account.users[0]["email"])
    for name, value in {
        "bkntc_zoom_enable": "on", "bkntc_zoom_integration_method": "oauth",
        "bkntc_zoom_api_key": app["client_id"], "bkntc_zoom_api_secret": app["client_secret"],
        f"bkntc_t{world.tenant_id}_zoom_enable": "on",
        f"bkntc_t{world.tenant_id}_zoom_meeting_title": "{service_name} with {staff_name}",
        f"bkntc_t{world.tenant_id}_zoom_set_random_password": "off",
        f"bkntc_t{world.tenant_id}_zoom_user_data": php_serialize({
            "access_token": grant["access_token"], "refresh_token": grant["refresh_token"],
            "expires_in": 4102444800, "method": "personal_app", "user_email": emulator_account.users[0]["email"]}),
    }.items():
        booknetic.option(name, value)
    return grant


@pytest.fixture
def ctx(config, db):
    return context.build(config, db)


def test_import_moves_settings_and_grant_into_encrypted_tables(ctx, db, world, addon_install, emulator_account):
    report = import_addon(ctx, dry_run=False, purge_plaintext=False)
    assert report.platform == "imported"
    assert report.tenants[world.tenant_id] == ["settings", "oauth connection"]
    platform = settings.platform(db, ctx.crypto)
    assert platform.enabled and platform.client_id == emulator_account.oauth_app["client_id"]
    assert settings.tenant(db, world.tenant_id).random_password is False
    conn = connections.get(db, ctx.crypto, world.tenant_id)
    assert conn.zoom_account_id == emulator_account.account_id  # learnt from /users/me, for deauthorization
    assert conn.zoom_user_id == emulator_account.users[0]["id"]
    row = db.query_one("SELECT access_token_enc, refresh_token_enc FROM {connections}")
    assert addon_install["access_token"] not in str(row) and addon_install["refresh_token"] not in str(row)
    assert TenantTokens(ctx, world.tenant_id).access_token() == addon_install["access_token"]


def test_dry_run_changes_nothing(ctx, db, world, addon_install):
    report = import_addon(ctx, dry_run=True, purge_plaintext=True)
    assert report.tenants[world.tenant_id] == ["settings", "oauth connection"]
    assert connections.get(db, ctx.crypto, world.tenant_id) is None
    assert db.query_one("SELECT COUNT(*) AS n FROM {settings}")["n"] == 0
    assert db.query_one("SELECT COUNT(*) AS n FROM {options}")["n"] == 8


def test_purge_removes_plaintext_secrets_once_imported(ctx, db, world, addon_install):
    report = import_addon(ctx, dry_run=False, purge_plaintext=True)
    assert report.purged_options == 2  # the platform app secret and the tenant's token array
    left = {r["option_name"] for r in db.query("SELECT option_name FROM {options}")}
    assert "bkntc_zoom_api_secret" not in left and f"bkntc_t{world.tenant_id}_zoom_user_data" not in left
    assert "bkntc_zoom_api_key" in left  # not a secret; Booknetic's screens still read it


def test_second_import_keeps_what_the_sidecar_already_has(ctx, world, addon_install):
    import_addon(ctx, dry_run=False, purge_plaintext=False)
    again = import_addon(ctx, dry_run=False, purge_plaintext=False)
    assert again.platform == "kept" and again.tenants[world.tenant_id] == []
