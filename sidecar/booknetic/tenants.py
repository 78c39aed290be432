"""Tenants and their plan's capabilities (SaaS: permissions.capabilities.zoom == "on")."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sidecar.database import Database


@dataclass(frozen=True)
class Tenant:
    id: int
    user_id: int | None
    email: str | None
    full_name: str | None
    domain: str | None
    plan_id: int | None
    plan_capabilities: dict


def get(db: Database, tenant_id: int) -> Tenant | None:
    """The tenant with its effective plan (the expire plan once its subscription has lapsed)."""
    row = db.query_one(
        """SELECT t.id, t.user_id, t.email, t.full_name, t.domain, t.plan_id, t.expires_in, t.money_balance,
                  p.permissions
             FROM {tenants} t LEFT JOIN {plans} p ON p.id = t.plan_id WHERE t.id = %(t)s""",
        {"t": tenant_id},
    )
    if row is None:
        return None
    return Tenant(
        id=row["id"], user_id=row["user_id"], email=row["email"], full_name=row["full_name"],
        domain=row["domain"], plan_id=row["plan_id"],
        plan_capabilities=effective_capabilities(db, row["permissions"], row["expires_in"], row["money_balance"]),
    )


def effective_capabilities(db: Database, permissions: str | None, expires_in: datetime | None,
                           money_balance) -> dict:
    """The capabilities a tenant has now: its plan's, or the expire plan's once it lapsed and cannot pay."""
    if expires_in is not None and expires_in < datetime.utcnow() and (money_balance or 0) <= 0:
        # booknetic.md section 2: an expired tenant that cannot pay gets the plan flagged expire_plan
        fallback = db.query_one("SELECT permissions FROM {plans} WHERE expire_plan = 1 ORDER BY id LIMIT 1")
        permissions = fallback["permissions"] if fallback else None
    return _capabilities(permissions)


def _capabilities(permissions: str | None) -> dict:
    try:
        data = json.loads(permissions or "{}")
    except ValueError:
        return {}
    caps = data.get("capabilities") if isinstance(data, dict) else None
    return caps if isinstance(caps, dict) else {}


def can(tenant: Tenant | None, capability: str) -> bool:
    """Whether the tenant's plan switches the capability on."""
    return tenant is not None and allows(tenant.plan_capabilities, capability)


def allows(capabilities: dict, capability: str) -> bool:
    """Whether effective capabilities (effective_capabilities) switch the capability on."""
    return capabilities.get(capability) == "on"
