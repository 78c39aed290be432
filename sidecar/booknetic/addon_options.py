"""The Zoom add-on's settings and tokens in wp_options (plain text, PHP-serialized arrays), read once by
`booknetic-zoom import-addon` to take over an existing install (booknetic.md section 3.1)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sidecar.booknetic import phpserial
from sidecar.database import Database

_TENANT_OPTION = re.compile(r"^bkntc_t(\d+)_(zoom_[a-z_]+)$")
# Options holding a secret, removed by --purge-plaintext once imported.
SECRET_KEYS = ("zoom_api_secret", "zoom_user_data", "zoom_client_secret")


@dataclass(frozen=True)
class AddonPlatform:
    enabled: bool
    method: str  # "oauth" | "s2s"
    client_id: str | None
    client_secret: str | None


@dataclass(frozen=True)
class AddonTenant:
    tenant_id: int
    enabled: bool
    meeting_title: str | None
    meeting_agenda: str | None
    random_password: bool
    user_data: dict | None  # access_token, refresh_token, expires_in (epoch), method, user_email
    s2s_account_id: str | None
    s2s_client_id: str | None
    s2s_client_secret: str | None


def platform(db: Database) -> AddonPlatform | None:
    """The platform's add-on settings, or None when the add-on never saved any."""
    rows = db.query("SELECT option_name, option_value FROM {options} WHERE option_name LIKE 'bkntc\\_zoom\\_%%'")
    values = {r["option_name"][len("bkntc_"):]: r["option_value"] for r in rows}
    if not values:
        return None
    method = values.get("zoom_integration_method") or "oauth"
    return AddonPlatform(
        enabled=values.get("zoom_enable") == "on",
        method="s2s" if method in ("server_to_server", "jwt") else "oauth",
        client_id=values.get("zoom_api_key") or None,
        client_secret=values.get("zoom_api_secret") or None,
    )


def tenants(db: Database) -> list[AddonTenant]:
    """Every tenant with add-on options, by tenant id."""
    rows = db.query("SELECT option_name, option_value FROM {options} WHERE option_name LIKE 'bkntc\\_t%%\\_zoom\\_%%'")
    by_tenant: dict[int, dict[str, str]] = {}
    for row in rows:
        match = _TENANT_OPTION.match(row["option_name"])
        if match:
            by_tenant.setdefault(int(match.group(1)), {})[match.group(2)] = row["option_value"]
    return [_tenant(tenant_id, values) for tenant_id, values in sorted(by_tenant.items())]


def _tenant(tenant_id: int, values: dict[str, str]) -> AddonTenant:
    user_data = None
    if values.get("zoom_user_data"):
        try:
            parsed = phpserial.loads(values["zoom_user_data"])
        except phpserial.PhpSerialError:
            parsed = None
        user_data = parsed if isinstance(parsed, dict) and parsed.get("access_token") else None
    return AddonTenant(
        tenant_id=tenant_id,
        enabled=values.get("zoom_enable", "on") == "on",
        meeting_title=values.get("zoom_meeting_title"),
        meeting_agenda=values.get("zoom_meeting_agenda"),
        random_password=values.get("zoom_set_random_password", "on") == "on",
        user_data=user_data,
        s2s_account_id=values.get("zoom_account_id") or None,
        s2s_client_id=values.get("zoom_client_id") or None,
        s2s_client_secret=values.get("zoom_client_secret") or None,
    )


def purge_secrets(db: Database, tenant_ids: list[int]) -> int:
    """Delete the add-on's plain-text secret options (platform and the given tenants); return rows deleted."""
    names = [f"bkntc_{key}" for key in SECRET_KEYS] + [
        f"bkntc_t{t}_{key}" for t in tenant_ids for key in SECRET_KEYS
    ]
    deleted = 0
    for name in names:
        deleted += db.execute("DELETE FROM {options} WHERE option_name = %(n)s", {"n": name})
    return deleted
